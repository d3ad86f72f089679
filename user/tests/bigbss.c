/*
 * A program whose .bss is 64 MiB, run in a machine with less memory than that: the loader maps
 * the bss on first touch (demand-zero), so the program starts at once and only the pages it
 * touches take frames. Touches one byte in each of 16 pages spread over the array and checks
 * that each read as zero before, and that sysinfo's free memory went down by that much: one
 * frame a page, plus at most one page table each (the touches are 4 MiB apart) and two spare.
 * Prints "bigbss: 16 pages touched, F frames taken" and "bigbss: ok", or a FAIL line.
 */
#include <stdio.h>
#include <sys/sysinfo.h>

#define SIZE    (64u * 1024u * 1024u)
#define TOUCHES 16u

static unsigned char big[SIZE];

static unsigned long free_units(void)
{
    struct sysinfo info;
    return sysinfo(&info) == 0 ? info.freeram : 0;
}

int main(void)
{
    unsigned long before = free_units();
    unsigned nonzero = 0;
    for (unsigned i = 0; i < TOUCHES; i++) {
        volatile unsigned char *p = &big[i * (SIZE / TOUCHES) + 123];
        nonzero += *p != 0;
        *p = (unsigned char)(i + 1);
    }
    unsigned long taken = before - free_units();
    printf("bigbss: %u pages touched, %lu frames taken\n", TOUCHES, taken);
    if (nonzero || taken < TOUCHES || taken > 2 * TOUCHES + 2) {
        printf("bigbss: FAIL %u pages were not zero, %lu frames taken\n", nonzero, taken);
        return 1;
    }
    printf("bigbss: ok\n");
    return 0;
}
