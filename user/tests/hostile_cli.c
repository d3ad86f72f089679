/*
 * Hostile: executes cli. With IOPL 0 that is a general protection fault in ring 3; the kernel must
 * end the process (and keep its interrupts on).
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("cli");
}
