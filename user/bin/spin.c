/*
 * spin [SECONDS]: a busy loop that never blocks, for watching preemption (ps, two spins at
 * once, Ctrl-C, kill). Without an argument it spins until killed; with one it stops after that
 * many whole seconds of CLOCK_MONOTONIC and prints "spin: done after N s".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    long seconds = -1;
    if (argc > 2 || (argc == 2 && ((seconds = strtol(argv[1], NULL, 10)) < 0))) {
        printf("usage: spin [SECONDS]\n");
        return 2;
    }
    int64_t deadline = 0;
    if (seconds >= 0) {
        int64_t now = monotonic_ns();
        if (now < 0) {
            printf("spin: clock_gettime: %s\n", strerror(errno));
            return 1;
        }
        deadline = now + (int64_t)seconds * 1000000000;
    }
    volatile uint32_t counter = 0;
    for (;;) {
        counter++;
        /* Looking at the clock is a system call: only every 64 Ki turns. */
        if (seconds >= 0 && (counter & 0xffff) == 0 && monotonic_ns() >= deadline) {
            printf("spin: done after %ld s\n", seconds);
            return 0;
        }
    }
}
