/*
 * Hostile: executes cli. With IOPL 0 that is a general protection fault in ring 3; the kernel must
 * end the process (and keep its interrupts on).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_cli: about to cli\n");
    __asm__ volatile("cli");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
