/*
 * Hostile: writes 0 to port 0xf4, QEMU's isa-debug-exit device: if the kernel let it through, QEMU
 * would exit at once. With IOPL 0 an out instruction is a general protection fault in ring 3.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_outb: about to outb 0 to port 0xf4\n");
    __asm__ volatile("outb %0, $0xf4" : : "a"((uint8_t)0));
    printf("SHOULD NOT PRINT\n");
    return 0;
}
