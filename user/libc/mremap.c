/*
 * mremap as a libc program uses it: realloc of large blocks (musl's and glibc's malloc grow and
 * shrink mmap-ed chunks with mremap), and the call itself: shrinking, growing in place, moving
 * with MREMAP_MAYMOVE (the data and a PROT_NONE page go along), MREMAP_FIXED over an old
 * mapping, MREMAP_DONTUNMAP, a copy-on-write page moved in a forked child, and Linux's errno for
 * bad calls. One line per failed check; ends with "mremap: N checks, M failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_NAME "mremap"
#include "check.h"

#define PAGE 4096
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* The raw call, so that neither libc second-guesses the arguments. */
static long raw_mremap(void *addr, unsigned long old_len, unsigned long new_len,
                       unsigned long flags, void *new_addr)
{
    return syscall(SYS_mremap, addr, old_len, new_len, flags, new_addr);
}

static void expect_errno(const char *what, long result, int want)
{
    checks++;
    if (result != -1 || errno != want) {
        failures++;
        printf("mremap: FAIL %s: result %ld errno %d, want %d\n", what, result, errno, want);
    }
}

static char *map(size_t len, int prot)
{
    return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Whether every byte of p[0..n) is the pattern byte (i * 7 + seed) & 0xff. */
static int pattern_ok(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i += 997) {
        if (p[i] != (unsigned char)(i * 7 + seed)) {
            return 0;
        }
    }
    return 1;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i += 997) {
        p[i] = (unsigned char)(i * 7 + seed);
    }
}

static void realloc_big(void)
{
    size_t size = 256 * 1024;
    unsigned char *p = malloc(size);
    fill(p, size, 3);
    int ok = 1;
    for (int i = 0; i < 6; i++) { /* 256 KiB up to 16 MiB, then back down */
        size_t bigger = size * 2;
        p = realloc(p, bigger);
        ok &= p != NULL && pattern_ok(p, size, 3);
        fill(p, bigger, 3);
        size = bigger;
    }
    p = realloc(p, 300 * 1024);
    ok &= p != NULL && pattern_ok(p, 300 * 1024, 3);
    free(p);
    check(ok, "realloc of 256 KiB .. 16 MiB keeps the data");
    printf("mremap: realloc 256 KiB -> 16 MiB -> 300 KiB kept the data: %s\n", ok ? "yes" : "no");
}

static void shrink_grow_move(void)
{
    char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);
    memset(p, 'a', 4 * PAGE);
    /* Shrink: the tail goes; the head stays where it is. */
    long r = raw_mremap(p, 4 * PAGE, 2 * PAGE, 0, NULL);
    check(r == (long)p && p[PAGE] == 'a', "shrink keeps the address and the data");
    /* A hole after it now: growing in place back to 3 pages must work without MAYMOVE. */
    r = raw_mremap(p, 2 * PAGE, 3 * PAGE, 0, NULL);
    check(r == (long)p, "grow in place into the freed page");
    check(p[2 * PAGE] == 0, "the grown page is zero");
    /* Block growth: a mapping right after it. */
    char *wall =
        mmap(p + 3 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check(wall == p + 3 * PAGE, "a wall after the mapping");
    errno = 0;
    expect_errno("grow without MAYMOVE into a wall", raw_mremap(p, 3 * PAGE, 5 * PAGE, 0, NULL),
                 ENOMEM);
    /* Move: the data goes along; the old range is gone. */
    p[0] = 'x';
    p[2 * PAGE] = 'z';
    char *q = (char *)raw_mremap(p, 3 * PAGE, 64 * PAGE, MREMAP_MAYMOVE, NULL);
    check(q != MAP_FAILED && q != p, "MAYMOVE moves when growing in place cannot");
    check(q[0] == 'x' && q[PAGE] == 'a' && q[2 * PAGE] == 'z' && q[63 * PAGE] == 0,
          "the data moved along");
    check(mprotect(p, PAGE, PROT_READ) == -1 && errno == ENOMEM, "the old range is unmapped");
    /* A PROT_NONE page keeps its data through a move. */
    char *n = map(PAGE, PROT_READ | PROT_WRITE);
    n[5] = 'n';
    mprotect(n, PAGE, PROT_NONE);
    char *n2 = (char *)raw_mremap(n, PAGE, 2 * PAGE, MREMAP_MAYMOVE, NULL);
    check(n2 != MAP_FAILED && mprotect(n2, 2 * PAGE, PROT_READ) == 0 && n2[5] == 'n',
          "a PROT_NONE page moved with its data");
    munmap(n2, 2 * PAGE);
    /* A range that spans two mappings (mprotect split one) is refused. */
    mprotect(q + PAGE, PAGE, PROT_READ);
    expect_errno("range over two mappings", raw_mremap(q, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, NULL),
                 EFAULT);
    mprotect(q + PAGE, PAGE, PROT_READ | PROT_WRITE);
    printf("mremap: moved 3 pages to 64 at a new address: %s\n",
           q != p && q[0] == 'x' && q[2 * PAGE] == 'z' ? "yes" : "no");
    /* MREMAP_FIXED onto an existing mapping replaces it. */
    char *target = map(2 * PAGE, PROT_READ | PROT_WRITE);
    memset(target, 't', 2 * PAGE);
    char *f = (char *)raw_mremap(q, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    check(f == target && f[0] == 'x' && f[PAGE] == 0, "MREMAP_FIXED replaces the target");
    /* DONTUNMAP: the old range stays mapped, empty. */
    char *d = map(PAGE, PROT_READ | PROT_WRITE);
    d[0] = 'd';
    char *moved = (char *)raw_mremap(d, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
    check(moved != MAP_FAILED && moved != d && moved[0] == 'd' && d[0] == 0,
          "MREMAP_DONTUNMAP leaves the old range mapped and empty");
    munmap(moved, PAGE);
    munmap(d, PAGE);
    munmap(f, 2 * PAGE);
    munmap(q + PAGE, 63 * PAGE);
    munmap(wall, PAGE);
}

/* A page shared copy-on-write with the parent moves in the child; each still sees its own. */
static void cow_move(void)
{
    char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
    strcpy(p, "parent");
    pid_t pid = fork();
    if (pid == 0) {
        char *q = (char *)raw_mremap(p, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE, NULL);
        if (q == MAP_FAILED || strcmp(q, "parent") != 0) {
            _exit(1);
        }
        strcpy(q, "child");
        _exit(strcmp(q, "child") == 0 ? 7 : 2);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 7, "child moved its copy-on-write page");
    check(strcmp(p, "parent") == 0, "the parent's page is untouched");
    printf("mremap: copy-on-write page moved in the child (exit %d), parent still sees %s\n",
           WEXITSTATUS(status), p);
    munmap(p, 2 * PAGE);
}

static void bad_calls(void)
{
    char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
    expect_errno("unknown flag", raw_mremap(p, PAGE, PAGE, 8, NULL), EINVAL);
    expect_errno("FIXED without MAYMOVE", raw_mremap(p, PAGE, PAGE, MREMAP_FIXED, p + PAGE),
                 EINVAL);
    expect_errno("DONTUNMAP with a new size",
                 raw_mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL), EINVAL);
    expect_errno("unaligned address", raw_mremap(p + 1, PAGE, PAGE, 0, NULL), EINVAL);
    expect_errno("new length 0", raw_mremap(p, PAGE, 0, 0, NULL), EINVAL);
    expect_errno("old length 0 of a private mapping", raw_mremap(p, 0, PAGE, MREMAP_MAYMOVE, NULL),
                 EINVAL);
    expect_errno("unmapped address", raw_mremap((void *)0x10000000, PAGE, 2 * PAGE, 0, NULL),
                 EFAULT);
    expect_errno("range past its mapping", raw_mremap(p, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, NULL),
                 EFAULT);
    expect_errno("overlapping FIXED",
                 raw_mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + PAGE),
                 EINVAL);
    expect_errno("FIXED unaligned target",
                 raw_mremap(p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)0x20000001),
                 EINVAL);
    expect_errno("FIXED into the kernel",
                 raw_mremap(p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)0xc0000000),
                 EINVAL);
    expect_errno("huge growth", raw_mremap(p, PAGE, 0xf0000000ul, MREMAP_MAYMOVE, NULL), ENOMEM);
    check(p[0] == 0 && raw_mremap(p, 2 * PAGE, 2 * PAGE, 0, NULL) == (long)p,
          "the mapping survives the bad calls; same size is a no-op");
    munmap(p, 2 * PAGE);
}

int main(void)
{
    realloc_big();
    shrink_grow_move();
    cow_move();
    bad_calls();
    return check_summary();
}
