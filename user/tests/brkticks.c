/*
 * Large brk moves must not hold the kernel with interrupts off: each round moves the break up
 * by 96 MiB, touches the first and last new page, and moves it back. It runs rounds until the
 * guest's monotonic clock has moved a second (and at least ten rounds). The test compares that
 * second with the host's clock between the two lines below: when the kernel loses timer ticks,
 * the guest's second takes many host seconds.
 *
 * Prints "brkticks: start", then "brkticks: R rounds in M ms, last round touched 2 pages" and
 * "brkticks: ok", or a FAIL line (exit 1).
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define STEP (96u * 1024u * 1024u)

int main(void)
{
    unsigned long base = __brk(0);
    printf("brkticks: start\n");
    int64_t start = monotonic_ns();
    unsigned rounds = 0;
    unsigned long sum = 0;
    while (rounds < 10 || monotonic_ns() - start < 1000000000) {
        if (__brk(base + STEP) != base + STEP) {
            printf("brkticks: FAIL brk(+96 MiB) refused in round %u\n", rounds);
            return 1;
        }
        volatile unsigned char *first = (volatile unsigned char *)base;
        volatile unsigned char *last = (volatile unsigned char *)(base + STEP - 1);
        sum += *first + *last; /* demand-zero pages read as zero */
        *first = 1;
        *last = 2;
        if (__brk(base) != base) {
            printf("brkticks: FAIL brk(back) refused in round %u\n", rounds);
            return 1;
        }
        rounds++;
    }
    int64_t ms = (monotonic_ns() - start) / 1000000;
    printf("brkticks: %u rounds in %ld ms, new pages read %lu\n", rounds, (long)ms, sum);
    if (sum != 0) {
        printf("brkticks: FAIL a page given back came back with old data\n");
        return 1;
    }
    printf("brkticks: ok\n");
    return 0;
}
