/*
 * Hostile: sets IOPL to 3 with popf, then writes 0 to port 0xf4 (QEMU's isa-debug-exit).
 * In ring 3 popf silently keeps IOPL at 0, so the out must still be a general protection fault;
 * if the kernel let user code raise IOPL, QEMU would exit at once.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_popf_iopl: about to popf with IOPL=3, then outb 0 to port 0xf4\n");
    __asm__ volatile("pushfl\n\t"
                     "orl $0x3000, (%%esp)\n\t"
                     "popfl"
                     :
                     :
                     : "cc", "memory");
    __asm__ volatile("outb %0, $0xf4" : : "a"((uint8_t)0));
    printf("SHOULD NOT PRINT\n");
    return 0;
}
