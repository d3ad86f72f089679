/*
 * Hostile: executes ud2: an invalid opcode fault (#UD). The kernel must end the process.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("ud2");
}
