/*
 * Hostile: reads 0xC0000000, the first byte of the kernel's half. Kernel pages are
 * supervisor-only, so the kernel must end the process on the page fault (user-mode read of a
 * present supervisor page).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_read_kernel: about to read 0xc0000000\n");
    volatile uintptr_t address = 0xC0000000u;
    uint32_t value = *(volatile uint32_t *)address;
    (void)value;
    printf("SHOULD NOT PRINT\n");
    return 0;
}
