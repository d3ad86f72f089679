/* The identity and time calls a libc makes, through the libc's own wrappers: ids, process group,
 * thread id, the CPU affinity mask, the 64-bit clocks (both libcs ask clock_gettime64 first), and
 * vfork. Prints what it got; ends with "ids: ok" when everything agreed. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
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
    char name[16] = "";
    prctl(PR_SET_NAME, "renamed-by-prctl-call", 0, 0, 0);
    prctl(PR_GET_NAME, name, 0, 0, 0);
    printf("ids: prctl name now %s\n", name);
    ok &= strcmp(name, "renamed-by-prct") == 0;

    unsigned char random[64];
    memset(random, 0, sizeof(random));
    long got = getrandom(random, sizeof(random), 0);
    int distinct = 0;
    for (unsigned i = 1; i < sizeof(random); i++) {
        distinct += random[i] != random[0];
    }
    errno = 0;
    long bad = getrandom(random, 1, 0x80);
    printf("ids: getrandom gave %ld bytes, %s; bad flags: %s\n", got,
           distinct > 32 ? "varied" : "suspiciously alike",
           bad == -1 && errno == EINVAL ? "EINVAL" : "?");
    ok &= got == 64 && distinct > 32 && bad == -1 && errno == EINVAL;
    printf(ok ? "ids: ok\n" : "ids: FAIL\n");
    return !ok;
}
