/*
 * Hostile: executes hlt, a privileged instruction: a general protection fault in ring 3.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_hlt: about to hlt\n");
    __asm__ volatile("hlt");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
