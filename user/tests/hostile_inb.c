/*
 * Hostile: reads the keyboard controller's data port 0x60. With IOPL 0 and no I/O permission bitmap
 * an in instruction is a general protection fault in ring 3.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("inb");
}
