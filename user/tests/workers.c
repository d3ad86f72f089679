/*
 * workers [N]: forks N workers (3 by default) that each exit with status 41 on purpose, reaps
 * every one and checks its status. The workers' non-zero statuses are this program's business,
 * not the run's: under init=none, `./ringlet run` must still exit 0 when workers itself does.
 *
 *     workers: 3 workers exited with 41 and were reaped
 *     workers: ok
 *
 * Otherwise "workers: FAIL ..." and exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_NAME "workers"
#include "check.h"

#define WORKER_STATUS 41
#define MAX_WORKERS   16

int main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 3;
    if (n < 1 || n > MAX_WORKERS) {
        printf("usage: workers [1..%d]\n", MAX_WORKERS);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0) {
            fail("fork", "%s", strerror(errno));
            return 1;
        }
        if (pid == 0) {
            _exit(WORKER_STATUS);
        }
    }
    int reaped = 0;
    for (;;) {
        int status;
        int pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno != ECHILD) {
                fail("waitpid", "%s", strerror(errno));
            }
            break;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != WORKER_STATUS) {
            fail("status", "worker %d ended with wait status 0x%x", pid, status);
        }
        reaped++;
    }
    if (reaped != n) {
        fail("reaped", "%d of %d workers", reaped, n);
    }
    if (failures != 0) {
        return 1;
    }
    printf("workers: %d workers exited with %d and were reaped\n", reaped, WORKER_STATUS);
    printf("workers: ok\n");
    return 0;
}
