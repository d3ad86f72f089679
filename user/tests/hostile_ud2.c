/*
 * Hostile: executes ud2: an invalid opcode fault (#UD). The kernel must end the process.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_ud2: about to execute ud2\n");
    __asm__ volatile("ud2");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
