/*
 * fork, exit statuses and waitpid, one line per check:
 *
 *     fork_test: ok cow            a global and a heap buffer written after fork differ
 *                                  between parent and child, in both directions
 *     fork_test: ok exit status    a child's exit(42) arrives as WIFEXITED, WEXITSTATUS 42
 *     fork_test: ok sigsegv        a child writing NULL: WTERMSIG 11
 *     fork_test: ok sigill         ud2: WTERMSIG 4
 *     fork_test: ok sigfpe         divide by zero: WTERMSIG 8
 *     fork_test: ok sigkill        kill(SIGKILL) on a sleeping child: WTERMSIG 9
 *     fork_test: ok sigterm        kill(SIGTERM) on a sleeping child: WTERMSIG 15
 *     fork_test: ok orphan         a grandchild whose parent exits gets getppid() == 1
 *     fork_test: ok wait all       waitpid(-1) reaps every child, then fails with ECHILD
 *     fork_test: all ok
 *
 * The orphan check needs init as pid 1 (it reaps the grandchild); when pid 1 is something
 * else it prints "fork_test: skip orphan (pid 1 is not init)". A failed check prints
 * "fork_test: FAIL <check>: ..."; the exit status is the number of failures.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ringlet.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_NAME "fork_test"
#include "check.h"

#define BUFFER_SIZE       10000 /* spans three pages */
#define WAIT_ALL_CHILDREN 5

static int global = 1;

/* Forks, failing the check (and returning -1) when fork does. */
static int fork_or_fail(const char *check)
{
    int pid = fork();
    if (pid < 0) {
        fail(check, "fork: %s", strerror(errno));
    }
    return pid;
}

/* Waits for pid. Returns its status, or -1 after failing the check. */
static int wait_or_fail(const char *check, int pid)
{
    int status;
    int r = waitpid(pid, &status, 0);
    if (r != pid) {
        fail(check, "waitpid(%d) returned %d (%s)", pid, r, strerror(errno));
        return -1;
    }
    return status;
}

static void describe(int status, char *text, size_t size)
{
    if (WIFEXITED(status)) {
        snprintf(text, size, "exited with %d", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        snprintf(text, size, "killed by signal %d", WTERMSIG(status));
    } else {
        snprintf(text, size, "status 0x%x", status);
    }
}

/* Passes the check when status says the child was killed by signal. */
static void expect_signal(const char *check, int status, int signal)
{
    if (WIFSIGNALED(status) && WTERMSIG(status) == signal) {
        ok(check);
    } else {
        char text[48];
        describe(status, text, sizeof(text));
        fail(check, "child %s, want killed by signal %d", text, signal);
    }
}

static bool all_bytes(const char *buffer, char value)
{
    for (int i = 0; i < BUFFER_SIZE; i++) {
        if (buffer[i] != value) {
            return false;
        }
    }
    return true;
}

/* (1) Copy-on-write: after fork each side sees only its own writes. */
static void check_cow(void)
{
    char *buffer = malloc(BUFFER_SIZE);
    int fds[2];
    if (buffer == NULL || pipe(fds) != 0) {
        fail("cow", "malloc or pipe failed");
        return;
    }
    global = 1;
    memset(buffer, 'A', BUFFER_SIZE);
    int pid = fork_or_fail("cow");
    if (pid < 0) {
        return;
    }
    if (pid == 0) {
        /* Wait until the parent has written its own values, then look at ours. */
        char go;
        close(fds[1]);
        if (read(fds[0], &go, 1) != 1) {
            _exit(3);
        }
        if (global != 1 || !all_bytes(buffer, 'A')) {
            _exit(1); /* the parent's writes leaked into the child */
        }
        global = 2;
        memset(buffer, 'C', BUFFER_SIZE);
        if (global != 2 || !all_bytes(buffer, 'C')) {
            _exit(2);
        }
        _exit(0);
    }
    close(fds[0]);
    global = 3;
    memset(buffer, 'P', BUFFER_SIZE);
    write(fds[1], "x", 1);
    close(fds[1]);
    int status = wait_or_fail("cow", pid);
    if (status < 0) {
        return;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char text[48];
        describe(status, text, sizeof(text));
        fail("cow", "child saw the parent's writes or lost its own (%s)", text);
    } else if (global != 3 || !all_bytes(buffer, 'P')) {
        fail("cow", "the child's writes leaked into the parent (global %d)", global);
    } else {
        ok("cow");
    }
    free(buffer);
}

/* (2) exit(42) arrives as an exit status of 42. */
static void check_exit_status(void)
{
    int pid = fork_or_fail("exit status");
    if (pid == 0) {
        exit(42);
    }
    if (pid < 0) {
        return;
    }
    int status = wait_or_fail("exit status", pid);
    if (status < 0) {
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 42) {
        ok("exit status");
    } else {
        char text[48];
        describe(status, text, sizeof(text));
        fail("exit status", "child %s, want exited with 42", text);
    }
}

static void write_null(void)
{
    volatile uintptr_t address = 0;
    *(volatile int *)address = 1;
}

static void execute_ud2(void)
{
    __asm__ volatile("ud2");
}

static void divide_by_zero(void)
{
    uint32_t quotient;
    __asm__ volatile("divl %2" : "=a"(quotient) : "a"(1), "r"(0), "d"(0) : "cc");
    (void)quotient;
}

/* (3) A child doing act must be killed by signal. */
static void check_fault(const char *check, void (*act)(void), int signal)
{
    int pid = fork_or_fail(check);
    if (pid == 0) {
        act();
        _exit(0);
    }
    if (pid < 0) {
        return;
    }
    int status = wait_or_fail(check, pid);
    if (status < 0) {
        return;
    }
    expect_signal(check, status, signal);
}

/* (3) A child that is asleep (it says so through a pipe first) is killed with signal. */
static void check_kill(const char *check, int signal)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fail(check, "pipe: %s", strerror(errno));
        return;
    }
    int pid = fork_or_fail(check);
    if (pid == 0) {
        close(fds[0]);
        write(fds[1], "s", 1);
        for (;;) {
            sleep(10);
        }
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return;
    }
    char ready;
    read(fds[0], &ready, 1);
    close(fds[0]);
    struct timespec moment = { 0, 20 * 1000 * 1000 }; /* let it reach nanosleep */
    nanosleep(&moment, NULL);
    if (kill(pid, signal) != 0) {
        fail(check, "kill(%d, %d): %s", pid, signal, strerror(errno));
    }
    int status = wait_or_fail(check, pid);
    if (status < 0) {
        return;
    }
    expect_signal(check, status, signal);
}

/* Whether pid 1 is init (by its name in the process table). */
static bool pid1_is_init(void)
{
    static struct ringlet_proc_info procs[RINGLET_MAX_PROCS];
    int n = ringlet_procs(procs, RINGLET_MAX_PROCS);
    for (int i = 0; i < n; i++) {
        if (procs[i].pid == 1) {
            procs[i].name[RINGLET_NAME_SIZE - 1] = '\0';
            const char *slash = strrchr(procs[i].name, '/');
            const char *base = slash != NULL ? slash + 1 : procs[i].name;
            return strcmp(base, "init") == 0;
        }
    }
    return false;
}

/* (4) A grandchild whose parent exits is adopted by init: getppid() becomes 1. */
static void check_orphan(void)
{
    if (!pid1_is_init()) {
        printf("fork_test: skip orphan (pid 1 is not init)\n");
        return;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        fail("orphan", "pipe: %s", strerror(errno));
        return;
    }
    int pid = fork_or_fail("orphan");
    if (pid == 0) {
        close(fds[0]);
        if (fork() != 0) {
            _exit(0); /* the parent leaves at once (or fork failed: the pipe closes empty) */
        }
        /* The grandchild: wait up to a second for the new parent, then report it. */
        int parent = getppid();
        for (int i = 0; i < 100 && parent != 1; i++) {
            struct timespec tick = { 0, 10 * 1000 * 1000 };
            nanosleep(&tick, NULL);
            parent = getppid();
        }
        write(fds[1], &parent, sizeof(parent));
        _exit(0);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return;
    }
    wait_or_fail("orphan", pid);
    int parent = -1;
    long n = read(fds[0], &parent, sizeof(parent));
    close(fds[0]);
    if (n != (long)sizeof(parent)) {
        fail("orphan", "no answer from the grandchild (read returned %ld)", n);
    } else if (parent != 1) {
        fail("orphan", "the grandchild's parent is %d, want 1", parent);
    } else {
        ok("orphan");
    }
}

/* (5) waitpid(-1) returns each child once, then ECHILD. */
static void check_wait_all(void)
{
    int pids[WAIT_ALL_CHILDREN];
    bool reaped[WAIT_ALL_CHILDREN];
    int started = 0;
    for (int i = 0; i < WAIT_ALL_CHILDREN; i++) {
        int pid = fork_or_fail("wait all");
        if (pid == 0) {
            _exit(10 + i);
        }
        if (pid < 0) {
            break;
        }
        pids[started] = pid;
        reaped[started] = false;
        started++;
    }
    int bad = failures;
    for (int n = 0; n < started; n++) {
        int status;
        int pid = waitpid(-1, &status, 0);
        int i = 0;
        while (i < started && pids[i] != pid) {
            i++;
        }
        if (i == started) {
            fail("wait all", "waitpid(-1) returned %d (%s), not a child's pid", pid,
                 pid < 0 ? strerror(errno) : "unknown");
            break;
        }
        if (reaped[i]) {
            fail("wait all", "pid %d reaped twice", pid);
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 10 + i) {
            fail("wait all", "pid %d: status 0x%x, want exit %d", pid, status, 10 + i);
        }
        reaped[i] = true;
    }
    errno = 0;
    int status;
    int r = waitpid(-1, &status, 0);
    if (r != -1 || errno != ECHILD) {
        fail("wait all", "waitpid(-1) with no children returned %d errno %d, want -1 ECHILD", r,
             errno);
    }
    if (failures == bad) {
        ok("wait all");
    }
}

int main(void)
{
    check_cow();
    check_exit_status();
    check_fault("sigsegv", write_null, SIGSEGV);
    check_fault("sigill", execute_ud2, SIGILL);
    check_fault("sigfpe", divide_by_zero, SIGFPE);
    check_kill("sigkill", SIGKILL);
    check_kill("sigterm", SIGTERM);
    check_orphan();
    check_wait_all();
    if (failures == 0) {
        printf("fork_test: all ok\n");
    }
    return failures;
}
