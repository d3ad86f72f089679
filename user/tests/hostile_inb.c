/*
 * Hostile: reads the keyboard controller's data port 0x60. With IOPL 0 and no I/O permission bitmap
 * an in instruction is a general protection fault in ring 3.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_inb: about to inb from port 0x60\n");
    uint8_t value;
    __asm__ volatile("inb $0x60, %0" : "=a"(value));
    (void)value;
    printf("SHOULD NOT PRINT\n");
    return 0;
}
