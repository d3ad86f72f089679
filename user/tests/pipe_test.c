/*
 * Pipes between processes, one line per check and "pipe_test: ok" at the end:
 *
 *     pipe_test: ok message        a child writes a message, the parent reads it whole
 *     pipe_test: ok blocking read  a read on an empty pipe waits for the writer (a child that
 *                                  sleeps 50 ms first): it returns the data, not 0, and only
 *                                  after the writer wrote
 *     pipe_test: ok epipe          a write to a pipe whose read end is closed everywhere fails
 *                                  with EPIPE, in a child and in this process; both ignore
 *                                  SIGPIPE, which would otherwise end them (as on Linux)
 *     pipe_test: ok eof            read returns 0 once every write end is closed and the pipe
 *                                  is empty
 *     pipe_test: ok dup2           a child whose stdout is dup2'ed onto a pipe: printf lands
 *                                  in the pipe
 *     pipe_test: ok
 *
 * A failed check prints "pipe_test: FAIL <check>: ..." and the exit status is 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_NAME "pipe_test"
#include "check.h"

#define MESSAGE "hello through the pipe"

/* Reads until n bytes arrived or the pipe ends. Returns the count read, or -1. */
static long read_full(int fd, char *buffer, long n)
{
    long got = 0;
    while (got < n) {
        long r = read(fd, buffer + got, (unsigned long)(n - got));
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            break;
        }
        got += r;
    }
    return got;
}

/* Waits for pid and checks it exited with 0. */
static void reap(const char *check, int pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        fail(check, "waitpid(%d): %s", pid, strerror(errno));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fail(check, "child ended with status 0x%x", status);
    }
}

static void check_message(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fail("message", "pipe: %s", strerror(errno));
        return;
    }
    int pid = fork();
    if (pid == 0) {
        close(fds[0]);
        _exit(write(fds[1], MESSAGE, sizeof(MESSAGE)) == sizeof(MESSAGE) ? 0 : 1);
    }
    close(fds[1]);
    char buffer[64];
    long n = read_full(fds[0], buffer, sizeof(MESSAGE));
    close(fds[0]);
    if (pid < 0) {
        fail("message", "fork: %s", strerror(errno));
        return;
    }
    reap("message", pid);
    if (n != sizeof(MESSAGE) || strcmp(buffer, MESSAGE) != 0) {
        fail("message", "read %ld bytes", n);
    } else {
        printf("pipe_test: ok message\n");
    }
}

static void check_blocking_read(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fail("blocking read", "pipe: %s", strerror(errno));
        return;
    }
    int64_t start = monotonic_ns();
    int pid = fork();
    if (pid == 0) {
        close(fds[0]);
        struct timespec pause = { 0, 50 * 1000 * 1000 };
        nanosleep(&pause, NULL);
        _exit(write(fds[1], "late", 4) == 4 ? 0 : 1);
    }
    close(fds[1]);
    char buffer[8];
    long n = read(fds[0], buffer, sizeof(buffer));
    int64_t waited = monotonic_ns() - start;
    close(fds[0]);
    if (pid < 0) {
        fail("blocking read", "fork: %s", strerror(errno));
        return;
    }
    reap("blocking read", pid);
    if (n != 4 || memcmp(buffer, "late", 4) != 0) {
        fail("blocking read", "read returned %ld", n);
    } else if (waited < 40 * 1000 * 1000) {
        fail("blocking read", "read returned after %d ms, before the writer wrote",
             (int)(waited / 1000000));
    } else {
        printf("pipe_test: ok blocking read\n");
    }
}

static void check_epipe(void)
{
    /* Both writers below would die of SIGPIPE otherwise (unless this is init, which the kernel
     * spares, or a shell ignored it for us); the child inherits the disposition. */
    struct kernel_sigaction ignore = { .handler = SIG_IGN };
    rt_sigaction(SIGPIPE, &ignore, NULL, sizeof(ignore.mask));
    int fds[2];
    int go[2]; /* the parent says "closed" through this one */
    if (pipe(fds) != 0 || pipe(go) != 0) {
        fail("epipe", "pipe: %s", strerror(errno));
        return;
    }
    int pid = fork();
    if (pid == 0) {
        /* Once the parent has closed its ends, the child holds the only (write) end. */
        close(fds[0]);
        close(go[1]);
        char byte;
        read(go[0], &byte, 1);
        errno = 0;
        long r = write(fds[1], "x", 1);
        _exit(r == -1 && errno == EPIPE ? 0 : 1);
    }
    close(fds[0]);
    close(fds[1]);
    close(go[0]);
    write(go[1], "g", 1);
    close(go[1]);
    if (pid < 0) {
        fail("epipe", "fork: %s", strerror(errno));
        return;
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        fail("epipe", "waitpid: %s", strerror(errno));
        return;
    }
    if (WIFSIGNALED(status)) {
        fail("epipe", "the writer was killed by signal %d", WTERMSIG(status));
        return;
    }
    if (WEXITSTATUS(status) != 0) {
        fail("epipe", "the child's write did not fail with EPIPE");
        return;
    }
    /* The same in this process: a write end whose read end is gone. */
    int again[2];
    if (pipe(again) != 0) {
        fail("epipe", "pipe: %s", strerror(errno));
        return;
    }
    close(again[0]);
    errno = 0;
    long r = write(again[1], "x", 1);
    int error = errno;
    close(again[1]);
    if (r != -1 || error != EPIPE) {
        fail("epipe", "write returned %ld errno %d, want -1 EPIPE", r, error);
    } else {
        printf("pipe_test: ok epipe\n");
    }
}

static void check_eof(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fail("eof", "pipe: %s", strerror(errno));
        return;
    }
    int pid = fork();
    if (pid == 0) {
        close(fds[0]);
        _exit(write(fds[1], "abc", 3) == 3 ? 0 : 1); /* exiting closes the write end */
    }
    close(fds[1]);
    char buffer[8];
    long n = read_full(fds[0], buffer, sizeof(buffer)); /* ends only at EOF */
    long after = read(fds[0], buffer, sizeof(buffer));
    close(fds[0]);
    if (pid < 0) {
        fail("eof", "fork: %s", strerror(errno));
        return;
    }
    reap("eof", pid);
    if (n != 3 || after != 0) {
        fail("eof", "read %ld bytes then %ld, want 3 then 0", n, after);
    } else {
        printf("pipe_test: ok eof\n");
    }
}

static void check_dup2(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fail("dup2", "pipe: %s", strerror(errno));
        return;
    }
    int pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) != STDOUT_FILENO) {
            _exit(2);
        }
        close(fds[1]);
        printf("via stdout\n");
        _exit(0);
    }
    close(fds[1]);
    char buffer[32];
    long n = read_full(fds[0], buffer, sizeof(buffer));
    close(fds[0]);
    if (pid < 0) {
        fail("dup2", "fork: %s", strerror(errno));
        return;
    }
    reap("dup2", pid);
    if (n != 11 || memcmp(buffer, "via stdout\n", 11) != 0) {
        fail("dup2", "read %ld bytes from the child's stdout", n);
    } else {
        printf("pipe_test: ok dup2\n");
    }
}

int main(void)
{
    check_message();
    check_blocking_read();
    check_epipe();
    check_eof();
    check_dup2();
    if (failures != 0) {
        return 1;
    }
    printf("pipe_test: ok\n");
    return 0;
}
