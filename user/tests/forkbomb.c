/*
 * A polite fork bomb: forks until the process table is full and checks that fork then fails
 * with EAGAIN rather than crashing anything. Every child blocks reading a pipe nobody writes;
 * the parent then kills them all with SIGKILL, reaps each, and checks that every frame came
 * back (sysinfo's freeram is exact):
 *
 *     forkbomb: forking until fork fails
 *     forkbomb: limit reached after N forks (EAGAIN)
 *     forkbomb: all children reaped
 *     forkbomb: freeram before N after M
 *     forkbomb: ok
 *
 * Failures print "forkbomb: FAIL ..." and make the exit status 1. While it runs, nobody else
 * can fork either (a shell's next command fails until the children are gone).
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 256 /* far above the kernel's 64 processes */

static int children[MAX_CHILDREN];

static bool free_ram(unsigned long *ram)
{
    struct sysinfo info;
    if (sysinfo(&info) != 0) {
        printf("forkbomb: FAIL sysinfo: %s\n", strerror(errno));
        return false;
    }
    *ram = info.freeram;
    return true;
}

int main(void)
{
    int failures = 0;
    int fds[2];
    if (pipe(fds) != 0) {
        printf("forkbomb: FAIL pipe: %s\n", strerror(errno));
        return 1;
    }
    /* Printing first also grows the stack to its depth in printf before freeram is taken. */
    printf("forkbomb: forking until fork fails\n");
    unsigned long before;
    if (!free_ram(&before)) {
        return 1;
    }

    int count = 0;
    int fork_error = 0;
    while (count < MAX_CHILDREN) {
        int pid = fork();
        if (pid == 0) {
            /* Block until killed. Should the parent die first, the pipe ends and so do we. */
            close(fds[1]);
            char byte;
            read(fds[0], &byte, 1);
            _exit(0);
        }
        if (pid < 0) {
            fork_error = errno;
            break;
        }
        children[count++] = pid;
    }
    if (fork_error == EAGAIN) {
        printf("forkbomb: limit reached after %d forks (EAGAIN)\n", count);
    } else if (fork_error != 0) {
        printf("forkbomb: FAIL fork failed after %d forks with errno %d (%s), want EAGAIN\n", count,
               fork_error, strerror(fork_error));
        failures++;
    } else {
        printf("forkbomb: FAIL %d forks and no failure yet: is there no process limit?\n", count);
        failures++;
    }

    for (int i = 0; i < count; i++) {
        if (kill(children[i], SIGKILL) != 0) {
            printf("forkbomb: FAIL kill(%d): %s\n", children[i], strerror(errno));
            failures++;
        }
    }
    int reaped = 0;
    for (int i = 0; i < count; i++) {
        int status;
        if (waitpid(children[i], &status, 0) != children[i]) {
            printf("forkbomb: FAIL waitpid(%d): %s\n", children[i], strerror(errno));
            failures++;
            continue;
        }
        reaped++;
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
            printf("forkbomb: FAIL pid %d ended with status 0x%x, want signal 9\n", children[i],
                   status);
            failures++;
        }
    }
    int status;
    if (reaped == count && waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD) {
        printf("forkbomb: all children reaped\n");
    } else {
        printf("forkbomb: FAIL reaped %d of %d children, or some child is left\n", reaped, count);
        failures++;
    }

    unsigned long after;
    if (!free_ram(&after)) {
        return 1;
    }
    printf("forkbomb: freeram before %lu after %lu\n", before, after);
    if (before != after) {
        printf("forkbomb: FAIL %ld units of memory not given back\n", (long)(before - after));
        failures++;
    }
    close(fds[0]);
    close(fds[1]);
    if (failures == 0) {
        printf("forkbomb: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
