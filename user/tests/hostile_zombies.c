/*
 * Hostile: fills the process table with zombies. It forks children that exit at once and never
 * reaps them, until fork fails; then, for SECONDS (default 2), it tries again every 10 ms, so
 * that any slot that frees up is taken at once, and exits (its zombies go to pid 1).
 *
 *     hostile_zombies: fork failed (EAGAIN) after 61 children
 *     hostile_zombies: held the table for 2 s; 0 more children; exiting
 *
 * The kernel keeps one slot for pid 1 all the while, so init can always start a shell again.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long seconds = argc > 1 ? strtol(argv[1], NULL, 10) : 2;
    int children = 0;
    int pid;
    while ((pid = fork()) > 0) {
        children++;
    }
    if (pid == 0) {
        _exit(0); /* a zombie until someone reaps it */
    }
    printf("hostile_zombies: fork failed (%s) after %d children\n",
           errno == EAGAIN ? "EAGAIN" : strerror(errno), children);
    int more = 0;
    int64_t end = monotonic_ns() + (int64_t)seconds * 1000000000;
    struct timespec pause = { 0, 10 * 1000 * 1000 };
    while (monotonic_ns() < end) {
        pid = fork();
        if (pid == 0) {
            _exit(0);
        }
        more += pid > 0;
        nanosleep(&pause, NULL);
    }
    printf("hostile_zombies: held the table for %ld s; %d more children; exiting\n", seconds, more);
    return 0;
}
