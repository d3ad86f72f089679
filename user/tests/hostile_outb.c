/*
 * Hostile: writes 0 to port 0xf4, QEMU's isa-debug-exit device: if the kernel let it through, QEMU
 * would exit at once. With IOPL 0 an out instruction is a general protection fault in ring 3.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("outb");
}
