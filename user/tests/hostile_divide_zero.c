/*
 * Hostile: divides by zero with divl: a divide error (#DE). The kernel must end the
 * process.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("divide_zero");
}
