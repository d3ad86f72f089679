/*
 * parbench MODE WORKERS UNITS ROUNDS: the parallel benchmark (./ringlet bench --smp;
 * docs/smp.md). Each round forks WORKERS children that share UNITS units of work between them
 * and waits for all; it prints the round's wall-clock time:
 *
 *     parbench mode=cpu workers=4 units=64 round=0 ms=812
 *
 * MODE cpu: a unit is a fixed loop of arithmetic that never enters the kernel. MODE fork: a unit
 * is 16 fork + exit + waitpid of an empty child, which is all kernel work. The total work is the
 * same whatever WORKERS is, so on N CPUs a round takes 1/N of the time at best.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CPU_LOOP       2000000u
#define FORKS_PER_UNIT 16

static uint32_t cpu_unit(uint32_t seed)
{
    volatile uint32_t x = seed;
    for (uint32_t i = 0; i < CPU_LOOP; i++) {
        x = x * 1103515245u + 12345u;
    }
    return x;
}

static int fork_unit(void)
{
    for (int i = 0; i < FORKS_PER_UNIT; i++) {
        int pid = fork();
        if (pid < 0) {
            return -1;
        }
        if (pid == 0) {
            _exit(0);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid || status != 0) {
            return -1;
        }
    }
    return 0;
}

/* A worker's share: units split as evenly as they go. */
static int work(int fork_mode, int units)
{
    for (int u = 0; u < units; u++) {
        if (fork_mode) {
            if (fork_unit() != 0) {
                return 1;
            }
        } else {
            cpu_unit((uint32_t)u);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "cpu") != 0 && strcmp(argv[1], "fork") != 0)) {
        printf("usage: parbench cpu|fork WORKERS UNITS ROUNDS\n");
        return 2;
    }
    int fork_mode = strcmp(argv[1], "fork") == 0;
    int workers = atoi(argv[2]);
    int units = atoi(argv[3]);
    int rounds = atoi(argv[4]);
    if (workers < 1 || units < workers || rounds < 1) {
        printf("parbench: bad numbers\n");
        return 2;
    }
    for (int round = 0; round < rounds; round++) {
        int64_t start = monotonic_ns();
        for (int w = 0; w < workers; w++) {
            int share = units / workers + (w < units % workers);
            int pid = fork();
            if (pid < 0) {
                printf("parbench: fork failed\n");
                return 1;
            }
            if (pid == 0) {
                _exit(work(fork_mode, share));
            }
        }
        int failed = 0;
        for (int w = 0; w < workers; w++) {
            int status;
            if (wait(&status) < 0 || status != 0) {
                failed = 1;
            }
        }
        int64_t ms = (monotonic_ns() - start) / 1000000;
        if (failed) {
            printf("parbench: a worker failed\n");
            return 1;
        }
        printf("parbench mode=%s workers=%d units=%d round=%d ms=%d\n", argv[1], workers, units,
               round, (int)ms);
    }
    return 0;
}
