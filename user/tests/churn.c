/*
 * The soak's load (./ringlet soak; docs/reliability.md): for SECONDS seconds, alternating busy
 * and quiet phases. Busy: every few milliseconds a random action — a child that grows and frees
 * memory, a child that pushes 64 KiB through a pipe to a grandchild, a child that execs
 * /bin/true, a child that writes and removes a file in /tmp, a child that sleeps, or an mmap and
 * munmap in churn itself — and every second one of its live children killed with SIGKILL.
 * Quiet: every child killed and reaped, every byte released, then two samples. Once a second it
 * prints a sample:
 *
 *     soak: T FREE_KB HEAP_KB PROCS busy|quiet
 *
 * (from /proc/meminfo's MemFree and Slab, and the process count), "churn: quiet" and
 * "churn: busy" when a phase starts, and "churn: done" at the end.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ringlet.h>
#include <sys/wait.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>

#include <abi/mman.h>

#define BUSY_SECONDS  8
#define QUIET_SECONDS 4 /* the first 2 let a command the shell was running finish */
#define MAX_CHILDREN  10

static int children[MAX_CHILDREN];
static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned next_random(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static long meminfo_kb(const char *text, const char *key)
{
    const char *at = strstr(text, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

static void sample(long t, const char *phase)
{
    char text[1024];
    int fd = open("/proc/meminfo", O_RDONLY, 0);
    long n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
    close(fd);
    text[n > 0 ? n : 0] = 0;
    static struct ringlet_proc_info procs[RINGLET_MAX_PROCS];
    int count = ringlet_procs(procs, RINGLET_MAX_PROCS);
    printf("soak: %ld %ld %ld %d %s\n", t, meminfo_kb(text, "MemFree:"), meminfo_kb(text, "Slab:"),
           count, phase);
}

static void grow_and_free(void)
{
    unsigned n = 1 + next_random(16);
    char *blocks[16];
    for (unsigned i = 0; i < n; i++) {
        unsigned size = 4096 * (1 + next_random(64));
        blocks[i] = malloc(size);
        if (blocks[i]) {
            memset(blocks[i], (int)i, size);
        }
    }
    for (unsigned i = 0; i < n; i++) {
        free(blocks[i]);
    }
}

static void pipe_through(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return;
    }
    int reader = fork();
    if (reader == 0) {
        close(fds[1]);
        char buf[512];
        while (read(fds[0], buf, sizeof(buf)) > 0) {
        }
        _exit(0);
    }
    close(fds[0]);
    char buf[1024];
    memset(buf, 'p', sizeof(buf));
    for (int i = 0; i < 64; i++) {
        write(fds[1], buf, sizeof(buf));
    }
    close(fds[1]);
    waitpid(reader, NULL, 0);
}

static void file_round_trip(void)
{
    char path[48];
    snprintf(path, sizeof(path), "/tmp/churn-%d", getpid());
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    char buf[4096];
    memset(buf, 'f', sizeof(buf));
    for (unsigned i = 0; i < 1 + next_random(32); i++) {
        write(fd, buf, sizeof(buf));
    }
    close(fd);
    unlink(path);
}

static void child_action(unsigned what)
{
    switch (what) {
    case 0:
        grow_and_free();
        break;
    case 1:
        pipe_through();
        break;
    case 2: {
        char *args[] = { "true", NULL };
        execv("/bin/true", args);
        break;
    }
    case 3:
        file_round_trip();
        break;
    default:
        usleep(1000 * next_random(500));
        break;
    }
    _exit(0);
}

static void start_child(void)
{
    for (unsigned i = 0; i < MAX_CHILDREN; i++) {
        if (children[i] == 0) {
            unsigned what = next_random(5);
            rng ^= (unsigned long long)i << 40; /* the child draws from its own stream */
            int pid = fork();
            if (pid == 0) {
                child_action(what);
            }
            children[i] = pid > 0 ? pid : 0;
            return;
        }
    }
}

static void reap(int options)
{
    int pid;
    while ((pid = waitpid(-1, NULL, options)) > 0) {
        for (unsigned i = 0; i < MAX_CHILDREN; i++) {
            if (children[i] == pid) {
                children[i] = 0;
            }
        }
    }
}

static void kill_one(void)
{
    unsigned start = next_random(MAX_CHILDREN);
    for (unsigned k = 0; k < MAX_CHILDREN; k++) {
        int pid = children[(start + k) % MAX_CHILDREN];
        if (pid > 0) {
            kill(pid, SIGKILL);
            return;
        }
    }
}

static void map_and_unmap(void)
{
    unsigned size = 4096 * (1 + next_random(256));
    char *p = mmap2(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        for (unsigned at = 0; at < size; at += 4096) {
            p[at] = 1;
        }
        munmap(p, size);
    }
}

int main(int argc, char **argv)
{
    long seconds = argc > 1 ? strtol(argv[1], NULL, 10) : 60;
    int64_t start = monotonic_ns();
    long t = 0;
    while (t < seconds) {
        printf("churn: busy\n");
        long busy_until = t + BUSY_SECONDS;
        long next_second = t + 1;
        while (t < busy_until && t < seconds) {
            if (next_random(4) == 0) {
                map_and_unmap();
            } else {
                start_child();
            }
            reap(WNOHANG);
            usleep(5000);
            t = (long)((monotonic_ns() - start) / 1000000000);
            if (t >= next_second) {
                kill_one();
                sample(t, "busy");
                next_second = t + 1;
            }
        }
        printf("churn: quiet\n");
        for (unsigned i = 0; i < MAX_CHILDREN; i++) {
            if (children[i] > 0) {
                kill(children[i], SIGKILL);
            }
        }
        reap(0);
        sleep(QUIET_SECONDS - 2);
        for (int i = 0; i < 2; i++) {
            t = (long)((monotonic_ns() - start) / 1000000000);
            sample(t, "quiet");
            sleep(1);
        }
        t = (long)((monotonic_ns() - start) / 1000000000);
    }
    printf("churn: done\n");
    return 0;
}
