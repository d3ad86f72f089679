/*
 * Hostile: tries to kill pid 1 with every signal kill accepts (and SIGSTOP, which would stop
 * any other process). Like Linux, pid 1 gets only the signals it has asked for, so each call
 * must leave it running. Prints what each kill returned and, after giving a pending signal time
 * to act, whether pid 1 still exists:
 *
 *     hostile_kill_init: kill(1, 9) = 0
 *     ...
 *     hostile_kill_init: pid 1 survived
 *
 * Exit status 0 when pid 1 survived, 1 when it did not.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#define SIGSTOP_LINUX 19

int main(void)
{
    const int signals[] = { SIGKILL, SIGTERM, SIGINT, SIGSTOP_LINUX };
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        int r = kill(1, signals[i]);
        printf("hostile_kill_init: kill(1, %d) = %d%s\n", signals[i], r,
               r == 0 ? "" : (errno == EINVAL ? " (EINVAL)" : " (other error)"));
    }
    struct timespec pause = { 0, 200 * 1000 * 1000 }; /* pid 1 runs meanwhile */
    nanosleep(&pause, NULL);
    if (kill(1, 0) != 0) {
        printf("hostile_kill_init: pid 1 is gone\n");
        return 1;
    }
    printf("hostile_kill_init: pid 1 survived\n");
    return 0;
}
