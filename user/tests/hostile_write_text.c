/*
 * Hostile: writes into its own code. Text is mapped read-only and executable, so the kernel
 * must end the process on the page fault (user-mode write to a present read-only page).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_write_text: about to write into its own code at main\n");
    volatile uintptr_t address = (uintptr_t)main;
    *(volatile unsigned char *)address = 0xc3; /* ret */
    printf("SHOULD NOT PRINT\n");
    return 0;
}
