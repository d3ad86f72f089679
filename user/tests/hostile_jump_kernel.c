/*
 * Hostile: calls 0xC0100000, where the kernel's code is. Kernel pages are supervisor-only, so
 * the instruction fetch must page-fault and the kernel must end the process.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_jump_kernel: about to call 0xc0100000\n");
    volatile uintptr_t address = 0xC0100000u;
    ((void (*)(void))address)();
    printf("SHOULD NOT PRINT\n");
    return 0;
}
