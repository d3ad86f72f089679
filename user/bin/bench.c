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
#include <sys/ipc.h>
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

static void report(const char *name, uint32_t iterations, struct sample before, struct sample after)
{
    printf("bench case=%s iterations=%u", name, iterations);
    per_op("instructions", after.instructions - before.instructions, iterations);
    per_op("kernel_entries", after.counters.kernel_entries - before.counters.kernel_entries,
           iterations);
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

/* The IPC benchmarks' server: answers every call with its words plus one and, with ext, its
 * long part; label 0 ends it. */
static void ipc_bench_server(int ep, struct ipc_ext *ext)
{
    struct ipc_msg m = { 0 };
    for (;;) {
        if (ipc_reply_recv(ep, &m, ext) < 0 || m.label == 0) {
            ipc_reply(&m, NULL);
            _exit(0);
        }
        if (ext) {
            ext->send_len = m.len; /* the long part goes back as it came */
        }
        m.w[0]++;
    }
}

/* One IPC case: a server in its own process answering n calls from this one, each side
 * with its own ext (NULL: register-only, no timeout). */
static void ipc_round_trips(const char *name, int n, const struct ipc_ext *client,
                            struct ipc_ext *server_ext)
{
    int ep[2];
    if (ipc_endpoint(ep, 0) != 0) {
        printf("bench: ipc_endpoint failed\n");
        exit(1);
    }
    int server = fork();
    if (server == 0) {
        close(ep[1]);
        ipc_bench_server(ep[0], server_ext);
    }
    close(ep[0]);
    struct ipc_msg m = { .label = 1 };
    ipc_call(ep[1], &m, client); /* warm-up: the server now waits in reply_recv */
    struct sample before = sample_now();
    for (int i = 0; i < n; i++) {
        m.label = 1;
        if (ipc_call(ep[1], &m, client) != 0) {
            printf("bench: %s: call failed\n", name);
            exit(1);
        }
    }
    struct sample after = sample_now();
    m.label = 0;
    ipc_call(ep[1], &m, NULL);
    waitpid(server, NULL, 0);
    close(ep[1]);
    report(name, (uint32_t)n, before, after);
}

static void bench_ipc(void)
{
    static char out[IPC_BUF_MAX], in[IPC_BUF_MAX];
    struct ipc_ext slow = { .timeout_ms = IPC_FOREVER, .flags = IPC_SLOW };
    struct ipc_ext slow_server = slow;
    struct ipc_ext long_client = { .timeout_ms = IPC_FOREVER,
                                   .send_buf = (uint32_t)out,
                                   .send_len = sizeof(out),
                                   .recv_buf = (uint32_t)out,
                                   .recv_max = sizeof(out) };
    struct ipc_ext long_server = { .timeout_ms = IPC_FOREVER,
                                   .send_buf = (uint32_t)in,
                                   .recv_buf = (uint32_t)in,
                                   .recv_max = sizeof(in) };
    ipc_round_trips("ipc_call_reply_round_trip", 5000, NULL, NULL);
    ipc_round_trips("ipc_call_reply_round_trip_slow_path", 5000, &slow, &slow_server);
    ipc_round_trips("ipc_long_message_round_trip", 2000, &long_client, &long_server);
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
    enum { N = 200 };   /* 800 KiB: inside the 1 MiB stack limit */
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
    bench_ipc();
    bench_fork_exit_wait();
    bench_fork_exec_wait(exec_target);
    bench_stack_fault();
    printf("bench: done\n");
    return 0;
}
