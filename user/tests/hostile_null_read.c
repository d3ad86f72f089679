/*
 * Hostile: reads address 0. Page 0 is never mapped, so the kernel must end the process on
 * the page fault (user-mode read of a not-present page) and carry on.
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("null_read");
}
