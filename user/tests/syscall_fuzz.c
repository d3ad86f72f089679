/*
 * The system-call fuzzer (./ringlet fuzz syscalls; docs/reliability.md): a supervisor that runs
 * PROCS fuzzing workers at a time (user/fuzz/worker.c) until CALLS typed random calls are made,
 * all from SEED, which it prints first. Each worker fuzzes in its own directory under /tmp/fuzz
 * and its own process group; it may fork, kill its siblings, block, or die. The supervisor
 * nudges a worker that made no progress for a while with SIGUSR1 (a worker's handler ends the
 * wait with EINTR), kills one that stays stuck, starts new workers for the calls the dead ones
 * did not make, and at the end kills whatever is left, reaps it all and removes /tmp/fuzz, so
 * the kernel's summary can show that every frame and heap byte came back.
 *
 *     syscall_fuzz SEED CALLS PROCS [trace]
 *
 * Run as pid 1 (init=none, the only program module): orphans come to it, and kill(-1) spares it.
 */
#include "../fuzz/fuzz.h"

#include <abi/fcntl.h>
#include <abi/signal.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS    16
#define WORKER_CALLS 2000u
#define NUDGE_NS     60000000ll   /* no progress for 60 ms: SIGUSR1 */
#define STUCK_NS     3000000000ll /* no progress for 3 s: SIGKILL */
#define TICK_MS      20

struct worker {
    int pid; /* 0: the slot is free */
    unsigned index;
    unsigned quota;
    unsigned done;
    int64_t last_progress;
    bool nudged;
};

static struct worker workers[MAX_PROCS];
static unsigned long long total_calls;
static unsigned started, signalled, stuck;

static struct worker *worker_of(unsigned index)
{
    for (unsigned i = 0; i < MAX_PROCS; i++) {
        if (workers[i].pid != 0 && workers[i].index == index) {
            return &workers[i];
        }
    }
    return NULL;
}

static int spawn(struct worker *w, uint64_t seed, unsigned quota, const int report[2], bool trace)
{
    int siblings[MAX_PROCS];
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_PROCS; i++) {
        if (workers[i].pid != 0) {
            siblings[n++] = workers[i].pid;
        }
    }
    unsigned index = started++;
    int pid = fork();
    if (pid == 0) {
        char dir[32];
        snprintf(dir, sizeof(dir), "/tmp/fuzz/w%u", index);
        mkdir(dir, 0755);
        chdir(dir);
        close(report[0]); /* a worker that reads it, or clears its O_NONBLOCK, stops us */
        dup2(report[1], REPORT_FD);
        fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC);
        if (trace) {
            dup2(1, TRACE_FD);
            fcntl(TRACE_FD, F_SETFD, FD_CLOEXEC);
        }
        close(report[1]);
        fuzz_worker(seed, index, quota, siblings, n, trace);
    }
    if (pid < 0) {
        started--;
        return -1;
    }
    *w = (struct worker){ pid, index, quota, 0, monotonic_ns(), false };
    return 0;
}

static void read_reports(int report_rd)
{
    struct fuzz_report reports[64];
    for (;;) {
        long n = read(report_rd, reports, sizeof(reports));
        if (n <= 0) {
            return;
        }
        for (long i = 0; i < n / (long)sizeof(reports[0]); i++) {
            total_calls += reports[i].calls;
            struct worker *w = worker_of(reports[i].worker);
            if (w) {
                w->done += reports[i].calls;
                w->last_progress = monotonic_ns();
                w->nudged = false;
            }
        }
    }
}

/* Reaps every child that has ended. A worker's end frees its slot, kills what it left in its
 * group and gives back the calls it did not make (they go to the next worker). */
static void reap(int report_rd, unsigned long long *planned)
{
    int status;
    int pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (unsigned i = 0; i < MAX_PROCS; i++) {
            struct worker *w = &workers[i];
            if (w->pid != pid) {
                continue;
            }
            signalled += WIFSIGNALED(status);
            kill(-pid, SIGKILL);
            read_reports(report_rd);
            *planned -= w->quota - (w->done < w->quota ? w->done : w->quota);
            w->pid = 0;
        }
    }
}

static void watch(void)
{
    int64_t now = monotonic_ns();
    for (unsigned i = 0; i < MAX_PROCS; i++) {
        struct worker *w = &workers[i];
        if (w->pid == 0) {
            continue;
        }
        if (now - w->last_progress > STUCK_NS) {
            kill(w->pid, SIGKILL);
            stuck++;
            w->last_progress = now; /* counted once; reaped soon */
        } else if (!w->nudged && now - w->last_progress > NUDGE_NS) {
            kill(-w->pid, SIGUSR1);
            kill(w->pid, SIGUSR1);
            w->nudged = true;
        }
    }
}

/* Removes path and everything under it, following no symbolic link. */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        unlink(path);
        return;
    }
    char names[64][64];
    bool dirs[64];
    unsigned n;
    do {
        n = 0;
        struct linux_dirent64 *e;
        while (n < 64 && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
                strlen(e->d_name) >= sizeof(names[0])) {
                continue;
            }
            strlcpy(names[n], e->d_name, sizeof(names[0]));
            dirs[n++] = e->d_type == DT_DIR;
        }
        for (unsigned i = 0; i < n; i++) {
            char child[512];
            snprintf(child, sizeof(child), "%s/%s", path, names[i]);
            if (dirs[i]) {
                remove_tree(child);
            } else {
                unlink(child);
            }
        }
        closedir(d);
        d = opendir(path);
    } while (n > 0 && d != NULL);
    if (d) {
        closedir(d);
    }
    if (rmdir(path) != 0) {
        printf("syscall_fuzz: cannot remove %s (%s)\n", path, strerror(errno));
    }
}

static unsigned long long number(const char *text, const char *what)
{
    char *end;
    unsigned long long n = strtoul(text, &end, 0);
    if (*text == 0 || *end != 0) {
        printf("syscall_fuzz: %s must be a number, not %s\n", what, text);
        exit(2);
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        printf("usage: syscall_fuzz SEED CALLS PROCS [trace]\n");
        return 2;
    }
    uint64_t seed = number(argv[1], "SEED");
    unsigned long long calls = number(argv[2], "CALLS");
    unsigned procs = (unsigned)number(argv[3], "PROCS");
    bool trace = argc > 4 && strcmp(argv[4], "trace") == 0;
    if (procs < 1 || procs > MAX_PROCS) {
        printf("syscall_fuzz: PROCS must be 1..%u\n", MAX_PROCS);
        return 2;
    }
    printf("syscall_fuzz: seed %llu, %llu calls, %u processes, %u kinds of call\n",
           (unsigned long long)seed, calls, procs, fuzz_call_count);
    if (getpid() != 1) {
        printf("syscall_fuzz: not pid 1: orphans and kill(-1) may reach beyond the fuzzers\n");
    }
    mkdir("/tmp/fuzz", 0755);
    mkdir("/tmp/fuzz/shared", 0755);
    chdir("/tmp/fuzz");
    int report[2];
    if (pipe2(report, O_NONBLOCK | O_CLOEXEC) != 0) {
        printf("syscall_fuzz: no pipe: %s\n", strerror(errno));
        return 1;
    }
    int64_t start = monotonic_ns();
    unsigned long long planned = 0; /* calls given to workers that are running or finished */
    unsigned limit = (unsigned)(calls / 20) + 64; /* workers: give up if they average < 20 calls */
    int64_t last_line = start;
    for (;;) {
        for (unsigned i = 0; i < procs && planned < calls && started < limit; i++) {
            if (workers[i].pid == 0) {
                unsigned quota = calls - planned < WORKER_CALLS ? calls - planned : WORKER_CALLS;
                if (spawn(&workers[i], seed, quota, report, trace) == 0) {
                    planned += quota;
                }
            }
        }
        struct pollfd pfd = { report[0], POLLIN, 0 };
        poll(&pfd, 1, TICK_MS);
        read_reports(report[0]);
        reap(report[0], &planned); /* workers, and orphans that came to pid 1 */
        watch();
        bool running = false;
        for (unsigned i = 0; i < MAX_PROCS; i++) {
            running |= workers[i].pid != 0;
        }
        if (!running && (planned >= calls || started >= limit)) {
            break;
        }
        if (monotonic_ns() - last_line > 10000000000ll) {
            printf("syscall_fuzz: %llu calls so far\n", total_calls);
            last_line = monotonic_ns();
        }
    }
    kill(-1, SIGKILL); /* every process left but this one: children of children, strays */
    while (wait(NULL) > 0 || errno == EINTR) {
    }
    read_reports(report[0]);
    close(report[0]);
    close(report[1]);
    chdir("/");
    remove_tree("/tmp/fuzz");
    int64_t ms = (monotonic_ns() - start) / 1000000;
    printf("syscall_fuzz: done: %llu calls by %u workers (%u ended by a signal, %u stuck and "
           "killed) in %lld ms\n",
           total_calls, started, signalled, stuck, (long long)ms);
    if (started >= limit && planned < calls) {
        printf("syscall_fuzz: gave up: workers kept dying before their calls were made\n");
        return 1;
    }
    return 0;
}
