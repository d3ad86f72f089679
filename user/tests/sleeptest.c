/*
 * nanosleep's accuracy on CLOCK_MONOTONIC: ten sleeps of 100 ms, each measured. The timer runs
 * at 100 Hz, so a sleep may last up to one tick (10 ms) longer than asked, never shorter:
 *
 *     sleeptest: sleep 1: 100.012 ms
 *     ...
 *     sleeptest: sleep 10: 109.998 ms
 *     sleeptest: ok
 *
 * every duration within [100, 200) ms. Otherwise "sleeptest: FAIL ..." and exit status 1.
 *
 * Never shorter is the kernel's promise. The upper bound is looser than the tick: QEMU runs
 * without -icount here, so the guest's clock is the host's, and a busy host can stall the
 * virtual CPU for tens of milliseconds. 200 ms still catches a sleeper that misses its
 * wake-up tick and waits for some later event (a starved or lost wake-up).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLEEPS     10
#define REQUEST_NS (100 * 1000 * 1000LL)
#define LIMIT_NS   (200 * 1000 * 1000LL)

int main(void)
{
    int failures = 0;
    struct timespec request = { 0, (int32_t)REQUEST_NS };
    for (int i = 1; i <= SLEEPS; i++) {
        int64_t before = monotonic_ns();
        int r = nanosleep(&request, NULL);
        int64_t after = monotonic_ns();
        if (r != 0 || before < 0 || after < 0) {
            printf("sleeptest: FAIL sleep %d: nanosleep or clock_gettime: %s\n", i,
                   strerror(errno));
            return 1;
        }
        int64_t took = after - before;
        int64_t us = took / 1000;
        printf("sleeptest: sleep %d: %d.%03d ms\n", i, (int)(us / 1000), (int)(us % 1000));
        if (took < REQUEST_NS || took >= LIMIT_NS) {
            printf("sleeptest: FAIL sleep %d lasted outside [100, 200) ms\n", i);
            failures++;
        }
    }
    if (failures != 0) {
        return 1;
    }
    printf("sleeptest: ok\n");
    return 0;
}
