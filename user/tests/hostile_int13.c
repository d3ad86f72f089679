/*
 * Hostile: raises int $13 by software: the general protection vector. Only vectors whose gate has
 * DPL 3 (int 0x80) may be raised from ring 3; this one must be a general protection fault instead,
 * and the kernel must end the process.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_int13: about to execute int $13\n");
    __asm__ volatile("int $13");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
