/*
 * usertests, in the spirit of xv6's: every hostile act a program can try (the table in
 * hostile_acts.h, shared with the hostile_* programs), each in a child of its own. The kernel
 * must end the child with the signal its fault maps to (page faults and general protection
 * faults: SIGSEGV 11; ud2: SIGILL 4; divide error: SIGFPE 8), reaped before
 * the next check, and in the end every frame must be back:
 *
 *     usertests: ok null read             (one line per act)
 *     ...
 *     usertests: ok huge malloc           malloc in 1 MiB steps until it returns NULL (ENOMEM):
 *                                         the child exits normally, it is not killed
 *     usertests: freeram before N after M
 *     usertests: ok
 *
 * A wrong ending prints "usertests: FAIL NAME: ..." and the exit status is 1. The kernel
 * prints its own line for each child it kills ("pid N (usertests) killed: ...").
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostile_acts.h"

#define MALLOC_STEP (1024 * 1024)

/*
 * Takes memory until malloc says no. Exits 0 when it ended with NULL and ENOMEM after at
 * least one step, 1 otherwise; prints nothing, since with no memory left even a new stack
 * page is out of reach.
 */
static void huge_malloc(void)
{
    unsigned steps = 0;
    for (;;) {
        errno = 0;
        char *p = malloc(MALLOC_STEP);
        if (p == NULL) {
            _exit(errno == ENOMEM && steps > 0 ? 0 : 1);
        }
        p[0] = 1;
        p[MALLOC_STEP - 1] = 1;
        steps++;
    }
}

/* After the table's acts: one that must not be killed. */
static const struct hostile_act huge_malloc_act = { "", "huge malloc", "", huge_malloc, 0 };

/* Runs one act in a child and checks how the child ended. Returns 1 on a failure. */
static int run_act(const struct hostile_act *act)
{
    int pid = fork();
    if (pid < 0) {
        printf("usertests: FAIL %s: fork: %s\n", act->name, strerror(errno));
        return 1;
    }
    if (pid == 0) {
        act->run();
        _exit(act->signal == 0 ? 0 : 99); /* 99: the act did not fault */
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("usertests: FAIL %s: waitpid: %s\n", act->name, strerror(errno));
        return 1;
    }
    if (act->signal != 0 && WIFSIGNALED(status) && WTERMSIG(status) == act->signal) {
        printf("usertests: ok %s\n", act->name);
        return 0;
    }
    if (act->signal == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("usertests: ok %s\n", act->name);
        return 0;
    }
    if (WIFSIGNALED(status)) {
        printf("usertests: FAIL %s: killed by signal %d, want %s %d\n", act->name, WTERMSIG(status),
               act->signal ? "signal" : "exit", act->signal);
    } else {
        printf("usertests: FAIL %s: exited with %d, want %s %d\n", act->name, WEXITSTATUS(status),
               act->signal ? "signal" : "exit", act->signal);
    }
    return 1;
}

static unsigned long free_ram(void)
{
    struct sysinfo info;
    if (sysinfo(&info) != 0) {
        printf("usertests: FAIL sysinfo: %s\n", strerror(errno));
        exit(1);
    }
    return info.freeram;
}

int main(void)
{
    /* Printing first grows this stack to its printf depth before freeram is taken. */
    printf("usertests: %d hostile acts, each in a child\n", (int)HOSTILE_ACT_COUNT + 1);
    unsigned long before = free_ram();
    int failures = 0;
    for (size_t i = 0; i < HOSTILE_ACT_COUNT; i++) {
        failures += run_act(&hostile_acts[i]);
    }
    failures += run_act(&huge_malloc_act);
    unsigned long after = free_ram();
    printf("usertests: freeram before %lu after %lu\n", before, after);
    if (before != after) {
        printf("usertests: FAIL %ld units of memory not given back\n", (long)(before - after));
        failures++;
    }
    if (failures != 0) {
        return 1;
    }
    printf("usertests: ok\n");
    return 0;
}
