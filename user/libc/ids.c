/* The identity and time calls a libc makes, through the libc's own wrappers: ids, process group,
 * thread id, the CPU affinity mask, the 64-bit clocks (both libcs ask clock_gettime64 first), and
 * vfork. Prints what it got; ends with "ids: ok" when everything agreed. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int ok = 1;
    printf("ids: uid %d euid %d gid %d egid %d groups %d\n", (int)getuid(), (int)geteuid(),
           (int)getgid(), (int)getegid(), getgroups(0, NULL));
    pid_t pid = getpid();
    ok &= gettid() == pid && getpgrp() == getpgid(0);
    printf("ids: tid is pid: %s; pgrp %s\n", gettid() == pid ? "yes" : "no",
           getpgrp() == getpgid(0) ? "matches getpgid" : "differs");

    cpu_set_t set;
    CPU_ZERO(&set);
    int r = sched_getaffinity(0, sizeof(set), &set);
    printf("ids: affinity %d, %d cpu(s)\n", r, CPU_COUNT(&set));
    ok &= r == 0 && CPU_COUNT(&set) == 1;

    struct timespec a, b, real;
    clock_gettime(CLOCK_MONOTONIC, &a);
    usleep(30000);
    clock_gettime(CLOCK_MONOTONIC, &b);
    clock_gettime(CLOCK_REALTIME, &real);
    long long slept = (b.tv_sec - a.tv_sec) * 1000LL + (b.tv_nsec - a.tv_nsec) / 1000000;
    int year = 1970 + (int)(real.tv_sec / 31556952);
    printf("ids: slept %s 30 ms; the year is %s 2024\n", slept >= 30 ? "at least" : "less than",
           year >= 2024 ? "at least" : "before");
    ok &= slept >= 30 && year >= 2024;

    pid_t child = vfork();
    if (child == 0) {
        _exit(9);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("ids: vfork child exit %d\n", WEXITSTATUS(status));
    ok &= WIFEXITED(status) && WEXITSTATUS(status) == 9;
    printf(ok ? "ids: ok\n" : "ids: FAIL\n");
    return !ok;
}
