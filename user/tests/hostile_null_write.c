/*
 * Hostile: writes address 0. Page 0 is never mapped, so the kernel must end the process on
 * the page fault (user-mode write to a not-present page) and carry on.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_null_write: about to write address 0\n");
    volatile uintptr_t address = 0; /* volatile: the compiler may not turn this into a trap */
    *(volatile int *)address = 42;
    printf("SHOULD NOT PRINT\n");
    return 0;
}
