/*
 * Runs itself again through /proc/self/exe, three times (busybox does this to run an applet in
 * a fresh process). Each generation prints where /proc/self/exe points — the program file
 * itself every time, never the link it was started through (which would point at itself) —
 * and its name (/proc/self/comm), which Linux takes from the path execve was given: "exe"
 * after the first.
 *
 *     selfexec: generation 0 runs /mod/selfexec as selfexec
 *     selfexec: generation 1 runs /mod/selfexec as exe
 *     ...
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int generation = argc > 1 ? atoi(argv[1]) : 0;
    char exe[256];
    long n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n < 0) {
        printf("selfexec: FAIL readlink: %s\n", strerror(errno));
        return 1;
    }
    exe[n] = '\0';
    char comm[32] = "?";
    int fd = open("/proc/self/comm", O_RDONLY, 0);
    n = fd >= 0 ? read(fd, comm, sizeof(comm) - 1) : -1;
    comm[n > 0 ? n - 1 : 0] = '\0'; /* without its newline */
    close(fd);
    printf("selfexec: generation %d runs %s as %s\n", generation, exe, comm);
    if (generation == 3) {
        return 0;
    }
    char next[16];
    snprintf(next, sizeof(next), "%d", generation + 1);
    char *args[] = { argv[0], next, NULL };
    execve("/proc/self/exe", args, environ);
    printf("selfexec: FAIL execve /proc/self/exe: %s\n", strerror(errno));
    return 1;
}
