/*
 * Hostile: loads the GDT register with the value sgdt reads (so a kernel that wrongly ran this in
 * ring 0 would survive to print SHOULD NOT PRINT). lgdt is privileged: a general protection
 * fault in ring 3.
 */
#include <stdint.h>
#include <stdio.h>

struct __attribute__((packed)) descriptor_pointer {
    uint16_t limit;
    uint32_t base;
};

int main(void)
{
    printf("hostile_lgdt: about to sgdt, then lgdt the same value\n");
    struct descriptor_pointer gdtr;
    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    __asm__ volatile("lgdt %0" : : "m"(gdtr));
    printf("SHOULD NOT PRINT\n");
    return 0;
}
