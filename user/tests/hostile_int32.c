/*
 * Hostile: raises int $32 by software: the first hardware interrupt vector (the timer, after the
 * PIC remap). Only vectors whose gate has DPL 3 (int 0x80) may be raised from ring 3; this one
 * must be a general protection fault instead, and the kernel must end the process.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_int32: about to execute int $32\n");
    __asm__ volatile("int $32");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
