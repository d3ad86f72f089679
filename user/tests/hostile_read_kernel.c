/*
 * Hostile: reads 0xC0000000, the first byte of the kernel's half. Kernel pages are
 * supervisor-only, so the kernel must end the process on the page fault (user-mode read of a
 * present supervisor page).
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("read_kernel");
}
