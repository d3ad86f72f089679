/*
 * Hostile: recurses far past the 1 MiB the kernel lets a user stack grow to (4 KiB per level, up
 * to 4 MiB). The stack must stop growing at the limit and the next page fault below it must end
 * the process; "SHOULD NOT PRINT" appears only if all 4 MiB were granted.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("stack_overflow");
}
