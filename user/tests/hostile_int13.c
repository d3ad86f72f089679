/*
 * Hostile: raises int $13 by software: the general protection vector. Only vectors whose gate has
 * DPL 3 (int 0x80) may be raised from ring 3; this one must be a general protection fault instead,
 * and the kernel must end the process.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("int13");
}
