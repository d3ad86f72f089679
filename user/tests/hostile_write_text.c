/*
 * Hostile: writes into its own code. Text is mapped read-only and executable, so the kernel
 * must end the process on the page fault (user-mode write to a present read-only page).
 */
#include "hostile_acts.h"

int main(void)
{
    return hostile_main("write_text");
}
