/*
 * abibench: one static musl program that measures the same operations on Ringlet and on Linux,
 * so that `./ringlet bench --linux` compares two kernels, not two programs. It uses only calls
 * both kernels have (Linux's i386 ABI) and prints one line per case:
 *
 *   abibench case=NAME iterations=N instructions=I
 *
 * with I per operation (two decimals), counted with rdtsc under QEMU's -icount shift=0,sleep=off
 * (one tick per guest instruction). Also: "abibench uname=SYSNAME RELEASE", "abibench
 * memory_per_process bytes=B processes=N", "abibench memory_part name=FIELD bytes=B" for each
 * of /proc/meminfo's kernel accounts the kernel has, and "abibench: done". As Linux's /init (pid 1)
 * it powers the machine off at the end; anywhere else it just exits.
 *
 * The fork and exec cases run it again: "abibench exit" exits at once. Its own path is argv[0]
 * when that is absolute (Linux's /init), else /mod/argv[0] (a Ringlet boot module).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/reboot.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#define PAGE 4096

static char self[256];

static inline uint64_t instructions_now(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t)high << 32 | low;
}

static void report(const char *name, uint32_t iterations, uint64_t instructions)
{
    uint64_t hundredths = instructions * 100 / iterations;
    printf("abibench case=%s iterations=%u instructions=%llu.%02llu\n", name, iterations,
           (unsigned long long)(hundredths / 100), (unsigned long long)(hundredths % 100));
    fflush(stdout);
}

static void fail(const char *what)
{
    printf("abibench: %s failed\n", what);
    fflush(stdout);
    _exit(1);
}

static void bench_getpid(void)
{
    enum { N = 10000 };
    getpid();
    uint64_t before = instructions_now();
    for (int i = 0; i < N; i++) {
        getpid();
    }
    report("getpid", N, instructions_now() - before);
}

static void bench_yield(void)
{
    enum { N = 2000 };
    int child = fork();
    if (child == 0) {
        for (int i = 0; i < N + 10; i++) {
            sched_yield();
        }
        _exit(0);
    }
    sched_yield();
    uint64_t before = instructions_now();
    for (int i = 0; i < N; i++) {
        sched_yield();
    }
    uint64_t after = instructions_now();
    waitpid(child, NULL, 0);
    report("sched_yield_round_trip", N, after - before);
}

static void bench_pipe(void)
{
    enum { N = 1000 };
    int to_child[2], to_parent[2];
    if (pipe(to_child) != 0 || pipe(to_parent) != 0) {
        fail("pipe");
    }
    char byte = 'x';
    int child = fork();
    if (child == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        while (read(to_child[0], &byte, 1) == 1) {
            write(to_parent[1], &byte, 1);
        }
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    write(to_child[1], &byte, 1); /* one warm-up round */
    read(to_parent[0], &byte, 1);
    uint64_t before = instructions_now();
    for (int i = 0; i < N; i++) {
        write(to_child[1], &byte, 1);
        read(to_parent[0], &byte, 1);
    }
    uint64_t after = instructions_now();
    close(to_child[1]);
    waitpid(child, NULL, 0);
    close(to_parent[0]);
    report("pipe_round_trip", N, after - before);
}

/* A private anonymous region of pages pages, each written once (so present in the parent). */
static char *touched(int pages)
{
    char *p = mmap(NULL, (size_t)pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED) {
        fail("mmap");
    }
    for (int i = 0; i < pages; i++) {
        p[i * PAGE] = (char)i;
    }
    return p;
}

/* fork + exit + wait (exec false) or fork + execve(self, "exit") + wait (exec true), n times,
 * with pages extra pages touched in the parent (0: none). */
static void bench_fork(const char *name, int n, int exec, int pages)
{
    char *extra = pages ? touched(pages) : NULL;
    char *argv[] = { self, "exit", NULL };
    uint64_t before = instructions_now();
    for (int i = 0; i < n; i++) {
        int child = fork();
        if (child == 0) {
            if (exec) {
                execve(self, argv, NULL);
                _exit(127);
            }
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (status != 0) {
            fail(name);
        }
    }
    report(name, (uint32_t)n, instructions_now() - before);
    if (extra) {
        munmap(extra, (size_t)pages * PAGE);
    }
}

static void bench_scale(void)
{
    static const int sizes[] = { 1, 16, 256 };
    char name[64];
    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        snprintf(name, sizeof(name), "fork_exit_wait_pages_%d", sizes[i]);
        bench_fork(name, 20, 0, sizes[i]);
        snprintf(name, sizeof(name), "fork_execve_wait_pages_%d", sizes[i]);
        bench_fork(name, 10, 1, sizes[i]);
    }
}

/* First write to a fresh anonymous page: the demand-zero fault, per page. */
static void bench_anonymous_fault(void)
{
    enum { N = 256 };
    char *p = mmap(NULL, N * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fail("mmap");
    }
    uint64_t before = instructions_now();
    for (int i = 0; i < N; i++) {
        p[i * PAGE] = 1;
    }
    report("anonymous_page_fault", N, instructions_now() - before);
    munmap(p, N * PAGE);
}

/* Each level takes about one page of stack: about one stack-growth fault a level. */
static __attribute__((noinline)) int descend(int levels)
{
    volatile char frame[PAGE - 32];
    __asm__ volatile("" : : "r"(frame) : "memory"); /* escapes: clang keeps the whole array */
    frame[0] = (char)levels;
    if (levels == 0) {
        return 0;
    }
    return descend(levels - 1) + frame[0];
}

static void bench_stack_fault(void)
{
    enum { N = 200 };
    int child = fork(); /* a fresh process, whose stack below esp is not mapped yet */
    if (child == 0) {
        uint64_t before = instructions_now();
        descend(N);
        report("stack_growth_fault", N, instructions_now() - before);
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

/* The kernel's own accounts in /proc/meminfo that Linux has and some kernels lack: each in kB,
 * or -1 when absent. */
static const char *const parts[] = { "Slab", "KernelStack", "PageTables" };
enum { PARTS = sizeof(parts) / sizeof(parts[0]) };

struct memory {
    unsigned long long free_bytes; /* sysinfo: exact on both kernels */
    long long part_kb[PARTS];
};

static struct memory memory_now(void)
{
    struct memory m;
    struct sysinfo s;
    if (sysinfo(&s) != 0) {
        fail("sysinfo");
    }
    m.free_bytes = (unsigned long long)s.freeram * (s.mem_unit ? s.mem_unit : 1);
    char line[128];
    for (int i = 0; i < PARTS; i++) {
        m.part_kb[i] = -1;
    }
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof(line), f)) {
        for (int i = 0; i < PARTS; i++) {
            size_t n = strlen(parts[i]);
            if (strncmp(line, parts[i], n) == 0 && line[n] == ':') {
                m.part_kb[i] = atoll(line + n + 1);
            }
        }
    }
    if (f) {
        fclose(f);
    }
    return m;
}

/* One sample of kernel memory per idle process: free memory before and after N children that
 * each block in read on one pipe, divided by N; and the same for each of /proc/meminfo's kernel
 * accounts both samples have (in parts, -1 where a kernel lacks one). The children share the
 * parent's pages copy-on-write and write little of their own (a stack page, libc's data), so
 * this is mostly what the kernel keeps per process: page tables, kernel stack, table entry. */
#define MEMORY_CHILDREN 16

static long long memory_sample(long long parts_out[PARTS])
{
    int p[2];
    int children[MEMORY_CHILDREN];
    if (pipe(p) != 0) {
        fail("pipe");
    }
    memory_now(); /* stdio's first buffer comes from the heap: before the first sample */
    struct memory before = memory_now();
    for (int i = 0; i < MEMORY_CHILDREN; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            char byte;
            close(p[1]);
            read(p[0], &byte, 1);
            _exit(0);
        }
    }
    sched_yield(); /* let them reach their read */
    struct memory during = memory_now();
    close(p[1]);
    close(p[0]);
    for (int i = 0; i < MEMORY_CHILDREN; i++) {
        waitpid(children[i], NULL, 0);
    }
    for (int i = 0; i < PARTS; i++) {
        parts_out[i] = before.part_kb[i] >= 0 && during.part_kb[i] >= 0
                           ? (during.part_kb[i] - before.part_kb[i]) * 1024 / MEMORY_CHILDREN
                           : -1;
    }
    return (long long)(before.free_bytes - during.free_bytes) / MEMORY_CHILDREN;
}

/* Linux frees boot memory in the background for a while after /init starts (the initramfs,
 * for one), which would count as negative memory per process: the sample waits a second first
 * (cheap under -icount sleep=off, where an idle machine's clock jumps ahead). */
static void memory_per_process(void)
{
    sleep(1);
    long long accounts[PARTS];
    long long bytes = memory_sample(accounts);
    printf("abibench memory_per_process bytes=%lld processes=%d\n", bytes, MEMORY_CHILDREN);
    for (int i = 0; i < PARTS; i++) {
        if (accounts[i] != -1) { /* -1: this kernel has no such account */
            printf("abibench memory_part name=%s bytes=%lld\n", parts[i], accounts[i]);
        }
    }
    fflush(stdout);
}

/* Linux's initramfs has no /proc until someone mounts it (Ringlet mounts its own). */
static void mount_proc(void)
{
    if (access("/proc/meminfo", R_OK) != 0) {
        mkdir("/proc", 0555);
        mount("proc", "/proc", "proc", 0, NULL);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        return 0;
    }
    const char *name = argc > 0 ? argv[0] : "abibench";
    snprintf(self, sizeof(self), "%s%s", name[0] == '/' ? "" : "/mod/", name);
    struct utsname u;
    if (uname(&u) != 0) {
        fail("uname");
    }
    printf("abibench uname=%s %s\n", u.sysname, u.release);
    fflush(stdout);
    mount_proc();
    bench_getpid();
    bench_yield();
    bench_pipe();
    bench_fork("fork_exit_wait", 50, 0, 0);
    bench_fork("fork_execve_wait", 20, 1, 0);
    bench_anonymous_fault();
    bench_stack_fault();
    bench_scale();
    memory_per_process();
    printf("abibench: done\n");
    fflush(stdout);
    if (getpid() == 1 && u.sysname[0] == 'L') { /* Linux's init: nothing else will stop it */
        sync();
        reboot(RB_POWER_OFF);
    }
    return 0;
}
