/*
 * Hostile: executes hlt, a privileged instruction: a general protection fault in ring 3.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("hlt");
}
