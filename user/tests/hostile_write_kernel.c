/*
 * Hostile: writes 0xC0000000, the first byte of the kernel's half. Kernel pages are
 * supervisor-only, so the kernel must end the process on the page fault (user-mode write to a
 * present supervisor page).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_write_kernel: about to write 0xc0000000\n");
    volatile uintptr_t address = 0xC0000000u;
    *(volatile uint32_t *)address = 0x12345678;
    printf("SHOULD NOT PRINT\n");
    return 0;
}
