/*
 * bench: Ringlet's user-side benchmarks. Each case runs enough iterations to dwarf its setup
 * and prints one line:
 *
 *   bench case=NAME iterations=N instructions=I kernel_entries=E cr3_loads=C page_faults=P
 *
 * with every figure per operation (two decimals). Run it under QEMU's -icount shift=0,sleep=off,
 * where the time-stamp counter counts guest instructions exactly (./ringlet bench does).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ringlet.h>
#include <sys/wait.h>
#include <unistd.h>

static inline uint64_t instructions_now(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t)high << 32 | low;
}

struct sample {
    uint64_t instructions;
    struct ringlet_counters counters;
};

static struct sample sample_now(void)
{
    struct sample s;
    ringlet_counters(&s.counters);
    s.instructions = instructions_now();
    return s;
}

/* Prints value / iterations with two decimals. */
static void per_op(const char *name, uint64_t value, uint32_t iterations)
{
    uint64_t hundredths = value * 100 / iterations;
    printf(" %s=%llu.%02llu", name, (unsigned long long)(hundredths / 100),
           (unsigned long long)(hundredths % 100));
}

static void report(const char *name, uint32_t iterations, struct sample before,
                   struct sample after)
{
    printf("bench case=%s iterations=%u", name, iterations);
    per_op("instructions", after.instructions - before.instructions, iterations);
    per_op("kernel_entries",
           after.counters.kernel_entries - before.counters.kernel_entries, iterations);
    per_op("cr3_loads", after.counters.cr3_loads - before.counters.cr3_loads, iterations);
    per_op("page_faults", after.counters.page_faults - before.counters.page_faults, iterations);
    printf("\n");
}

static void bench_getpid(void)
{
    enum { N = 10000 };
    getpid();
    struct sample before = sample_now();
    for (int i = 0; i < N; i++) {
        getpid();
    }
    report("getpid", N, before, sample_now());
}

static void bench_yield(void)
{
    enum { N = 5000 };
    int child = fork();
    if (child == 0) {
        for (int i = 0; i < N + 10; i++) { /* a few more than the parent, then a clean exit */
            sched_yield();
        }
        _exit(0);
    }
    sched_yield(); /* let the child reach its loop */
    struct sample before = sample_now();
    for (int i = 0; i < N; i++) {
        sched_yield(); /* to the child and back: one round trip */
    }
    struct sample after = sample_now();
    waitpid(child, NULL, 0);
    report("sched_yield_round_trip", N, before, after);
}

static void bench_pipe(void)
{
    enum { N = 2000 };
    int to_child[2];
    int to_parent[2];
    if (pipe(to_child) != 0 || pipe(to_parent) != 0) {
        printf("bench: pipe failed\n");
        exit(1);
    }
    int child = fork();
    char byte = 'x';
    if (child == 0) {
        close(to_child[1]); /* or the child's own copy keeps its read from ever seeing EOF */
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
    struct sample before = sample_now();
    for (int i = 0; i < N; i++) {
        write(to_child[1], &byte, 1);
        read(to_parent[0], &byte, 1);
    }
    struct sample after = sample_now();
    close(to_child[1]); /* the child reads EOF and exits */
    waitpid(child, NULL, 0);
    close(to_parent[0]);
    report("pipe_round_trip", N, before, after);
}

static void bench_fork_exit_wait(void)
{
    enum { N = 200 };
    struct sample before = sample_now();
    for (int i = 0; i < N; i++) {
        int child = fork();
        if (child == 0) {
            _exit(0);
        }
        waitpid(child, NULL, 0);
    }
    report("fork_exit_wait", N, before, sample_now());
}

static void bench_fork_exec_wait(const char *program)
{
    enum { N = 50 };
    char *argv[] = { (char *)program, NULL };
    struct sample before = sample_now();
    for (int i = 0; i < N; i++) {
        int child = fork();
        if (child == 0) {
            execve(program, argv, NULL);
            _exit(127);
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (status != 0) {
            printf("bench: %s did not run (status %d)\n", program, status);
            return;
        }
    }
    report("fork_execve_wait", N, before, sample_now());
}

/* Each level takes one page of stack and touches it: about one stack-growth fault a level. */
static __attribute__((noinline)) int descend(int levels)
{
    volatile char frame[4096 - 32];
    frame[0] = (char)levels;
    if (levels == 0) {
        return 0;
    }
    return descend(levels - 1) + frame[0];
}

static void bench_stack_fault(void)
{
    enum { N = 200 }; /* 800 KiB: inside the 1 MiB stack limit */
    int child = fork(); /* a fresh process, whose stack below esp is not mapped yet */
    if (child == 0) {
        struct sample before = sample_now();
        descend(N);
        report("stack_growth_fault", N, before, sample_now());
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

int main(int argc, char **argv)
{
    const char *exec_target = argc > 1 ? argv[1] : "/bin/true";
    printf("bench: start\n");
    bench_getpid();
    bench_yield();
    bench_pipe();
    bench_fork_exit_wait();
    bench_fork_exec_wait(exec_target);
    bench_stack_fault();
    printf("bench: done\n");
    return 0;
}
