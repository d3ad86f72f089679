/*
 * Hostile: calls 0xC0100000, where the kernel's code is. Kernel pages are supervisor-only, so
 * the instruction fetch must page-fault and the kernel must end the process.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("jump_kernel");
}
