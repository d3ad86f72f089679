/*
 * System calls whose buffers are user pages nobody has touched yet: the kernel's copies must
 * go through the same fault path as the program's own accesses (docs/memory.md).
 *
 *   copyfault USTACK_KIB [FILE]
 *
 * 1. read() into a 64 KiB buffer in a fresh stack frame: the stack grows inside the call.
 *    Prints "copyfault: stack read N bytes sum S" (S: the bytes of FILE, which the test sums too).
 * 2. write() from untouched stack pages into a pipe, read back: all zeros.
 * 3. With the stack pointer moved (alloca) to just above the stack limit, a read into a page
 *    below the stack pointer but inside the limit works; one into a page past the limit fails
 *    with -EFAULT, and the program lives on (a user-mode touch there kills it).
 * 4. waitpid with a read-only status pointer fails with -EFAULT and leaves the child for a
 *    later waitpid, which gets its status; waitpid(-1, kernel pointer) without children is
 *    -ECHILD.
 * Ends with "copyfault: ok" when every check held, else "copyfault: N failed" (exit 1).
 */
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syscall.h>
#include <unistd.h>

#define STACK_TOP 0xC0000000u
#define PAGE      4096u
#define BIG       (64u * 1024u)

static int failed;
static const int read_only_status = 0x5a5a; /* .rodata: mapped read-only */

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("copyfault: FAIL %s\n", what);
        failed++;
    }
}

/* The buffer lives in this frame only; nothing touches it before read() does. */
__attribute__((noinline)) static void stack_read(int fd)
{
    unsigned char buf[BIG];
    long got = syscall_raw(SYS_read, fd, (long)buf, sizeof(buf), 0, 0, 0);
    unsigned long sum = 0;
    for (long i = 0; i < got; i++) {
        sum += buf[i];
    }
    printf("copyfault: stack read %ld bytes sum %lu\n", got, sum);
    check(got > 0, "read into an untouched stack buffer");
}

/* Writes from the middle of a large frame, far below anything touched before. */
__attribute__((noinline)) static void stack_write(void)
{
    unsigned char frame[4 * BIG];
    unsigned char *from = frame + 2 * BIG;
    int fds[2];
    check(pipe(fds) == 0, "pipe");
    long put = syscall_raw(SYS_write, fds[1], (long)from, 1000, 0, 0, 0);
    static unsigned char back[1000];
    memset(back, 0xff, sizeof(back));
    long got = read(fds[0], back, sizeof(back));
    int zeros = 0;
    for (long i = 0; i < got; i++) {
        zeros += back[i] == 0;
    }
    printf("copyfault: stack write %ld bytes, %d zero bytes back\n", put, zeros);
    check(put == 1000 && got == 1000 && zeros == 1000, "write from untouched stack pages");
    close(fds[0]);
    close(fds[1]);
}

static long inside_result;
static long outside_result;

/* Moves the stack pointer to just above the limit, then reads around the limit. */
__attribute__((noinline)) static void near_the_limit(int fd, uint32_t limit)
{
    volatile char here;
    uint32_t at = (uint32_t)(uintptr_t)&here;
    uint32_t target = limit + 3 * PAGE;
    if (at > target) {
        char *room = alloca(at - target); /* not touched: only the stack pointer moves */
        __asm__ volatile("" : : "r"(room) : "memory");
    }
    inside_result = syscall_raw(SYS_read, fd, (long)(limit + PAGE), 100, 0, 0, 0);
    outside_result = syscall_raw(SYS_read, fd, (long)(limit - 2 * PAGE), 100, 0, 0, 0);
}

static void wait_checks(void)
{
    long none = syscall_raw(SYS_waitpid, -1, (long)0xC0000000u, 0, 0, 0, 0);
    printf("copyfault: waitpid without children, kernel pointer: %ld\n", none);
    check(none == -ECHILD, "waitpid with no children is -ECHILD");

    int child = fork();
    if (child == 0) {
        _exit(41);
    }
    sleep(1); /* the child is a zombie by now; the result below does not depend on it */
    long refused = syscall_raw(SYS_waitpid, child, (long)&read_only_status, 0, 0, 0, 0);
    int status = 0;
    long reaped = waitpid(child, &status, 0);
    printf("copyfault: waitpid to read-only: %ld; again: %s, exit %d\n", refused,
           reaped == child ? "same child" : "lost", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    check(refused == -EFAULT, "waitpid into read-only memory is -EFAULT");
    check(reaped == child && WIFEXITED(status) && WEXITSTATUS(status) == 41,
          "the child waits for the next waitpid");
    check(read_only_status == 0x5a5a, "read-only memory unchanged");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: copyfault USTACK_KIB [FILE]\n");
        return 2;
    }
    uint32_t limit = STACK_TOP - (uint32_t)atoi(argv[1]) * 1024u;
    const char *file = argc > 2 ? argv[2] : "/mod/copyfault";
    int fd = open(file, O_RDONLY, 0);
    if (fd < 0) {
        printf("copyfault: cannot open %s\n", file);
        return 2;
    }
    stack_read(fd);
    stack_write();
    close(fd);
    fd = open(file, O_RDONLY, 0); /* from the start again: the next reads need 100 bytes */
    near_the_limit(fd, limit);
    printf("copyfault: read inside the limit: %ld, past the limit: %ld\n", inside_result,
           outside_result);
    check(inside_result == 100, "a read inside the stack limit grows the stack");
    check(outside_result == -EFAULT, "a read past the stack limit is -EFAULT");
    wait_checks();
    if (failed) {
        printf("copyfault: %d failed\n", failed);
        return 1;
    }
    printf("copyfault: ok\n");
    return 0;
}
