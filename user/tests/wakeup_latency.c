/*
 * wakeup_latency N...: the scheduler's promise, measured. With N CPU-bound processes runnable,
 * a process woken by input runs within N+1 time slices (a slice is 20 ms).
 *
 * For each N: N children spin on the CPU for ROUNDS * PERIOD_NS; one of them, the writer, also
 * sends the time into a pipe every PERIOD_NS (long enough for its slice to run out in between,
 * even when it is the only one runnable). The parent blocks reading the pipe; each time it is
 * woken it looks at the clock, so it measures how long it waited for the CPU after the
 * wakeup. The writer sends the time once more right after the write; a round in which the
 * writer lost the CPU between its two looks at the clock (a tick landed there) proves nothing
 * and is not counted.
 *
 *     wakeup_latency: N=1: 20 wakeups, 20 measured, longest 10 ms, bound 40 ms
 *     ...
 *     wakeup_latency: ok
 *
 * A wakeup that waited longer than the bound prints "wakeup_latency: FAIL N=...: ..." and the
 * exit status is 1. Every child is reaped; nothing is left running.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_NAME "wakeup_latency"
#include "check.h"

#define ROUNDS       20
#define PERIOD_NS    (60 * 1000 * 1000LL) /* three slices between wakeups */
#define SLICE_NS     (20 * 1000 * 1000LL)
#define TICK_NS      (10 * 1000 * 1000LL)
#define MAX_SPINNERS 8

/* Spins until end; the writer (out >= 0) sends the time into out every PERIOD_NS. */
static _Noreturn void spin_child(int out, int64_t start, int64_t end)
{
    int64_t next = start + PERIOD_NS;
    for (;;) {
        int64_t now = monotonic_ns();
        if (now >= end) {
            _exit(0);
        }
        if (out >= 0 && now >= next) {
            int64_t stamps[2];
            stamps[0] = now;
            write(out, &stamps[0], sizeof(stamps[0])); /* wakes the parent */
            stamps[1] = monotonic_ns();
            write(out, &stamps[1], sizeof(stamps[1]));
            next += PERIOD_NS;
        }
    }
}

/* Reads exactly one time stamp; false at end of file or on an error. */
static int read_stamp(int fd, int64_t *stamp)
{
    return read(fd, stamp, sizeof(*stamp)) == (long)sizeof(*stamp);
}

/* One measurement with n spinners. */
static void measure(int n)
{
    char check[16];
    snprintf(check, sizeof(check), "N=%d", n);
    int fds[2];
    if (pipe(fds) != 0) {
        fail(check, "pipe: %s", strerror(errno));
        return;
    }
    int64_t start = monotonic_ns();
    int64_t end = start + (ROUNDS + 1) * PERIOD_NS - PERIOD_NS / 2;
    int pids[MAX_SPINNERS];
    int started = 0;
    for (; started < n; started++) {
        int pid = fork();
        if (pid < 0) {
            fail(check, "fork: %s", strerror(errno));
            break;
        }
        if (pid == 0) {
            close(fds[0]);
            spin_child(started == 0 ? fds[1] : -1, start, end);
        }
        pids[started] = pid;
    }
    close(fds[1]); /* the pipe ends when the writer does */

    int64_t bound = (n + 1) * SLICE_NS;
    int64_t longest = 0;
    int wakeups = 0;
    int measured = 0;
    int64_t sent;
    while (read_stamp(fds[0], &sent)) {
        int64_t woke = monotonic_ns();
        int64_t after_write;
        if (!read_stamp(fds[0], &after_write)) {
            break;
        }
        wakeups++;
        if (after_write - sent > TICK_NS) {
            continue; /* the writer lost the CPU between its two looks at the clock */
        }
        measured++;
        if (woke - sent > longest) {
            longest = woke - sent;
        }
    }
    close(fds[0]);
    for (int i = 0; i < started; i++) {
        int status;
        if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status)) {
            fail(check, "spinner %d did not exit normally", pids[i]);
        }
    }
    printf(TEST_NAME ": N=%d: %d wakeups, %d measured, longest %d ms, bound %d ms\n", n, wakeups,
           measured, (int)(longest / 1000000), (int)(bound / 1000000));
    if (measured < ROUNDS / 2) {
        fail(check, "only %d of %d wakeups could be measured", measured, ROUNDS);
    } else if (longest > bound) {
        fail(check, "a woken process waited %d ms for the CPU, more than %d slices",
             (int)(longest / 1000000), n + 1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: wakeup_latency N...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        int n = (int)strtol(argv[i], NULL, 10);
        if (n < 1 || n > MAX_SPINNERS) {
            printf("wakeup_latency: N must be 1..%d\n", MAX_SPINNERS);
            return 2;
        }
        measure(n);
    }
    if (failures != 0) {
        return 1;
    }
    printf(TEST_NAME ": ok\n");
    return 0;
}
