/*
 * Hostile: reads address 0. Page 0 is never mapped, so the kernel must end the process on
 * the page fault (user-mode read of a not-present page) and carry on.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_null_read: about to read address 0\n");
    volatile uintptr_t address = 0; /* volatile: the compiler may not turn this into a trap */
    int value = *(volatile int *)address;
    (void)value;
    printf("SHOULD NOT PRINT\n");
    return 0;
}
