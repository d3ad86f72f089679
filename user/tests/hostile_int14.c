/*
 * Hostile: raises int $14 by software: the page-fault vector (a handler entered this way would
 * find no error code on its stack). Only vectors whose gate has DPL 3 (int 0x80) may be raised
 * from ring 3; this one must be a general protection fault instead, and the kernel must end the
 * process.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_int14: about to execute int $14\n");
    __asm__ volatile("int $14");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
