/*
 * A storm of signals: a child sends SIGUSR1 to its parent 20,000 times as fast as it can while
 * the parent, whose handler counts them, waits for it. Standard signals do not queue, so the
 * count is at most 20,000 and at least 1; the point is that the kernel stays well and both
 * processes end normally. libsys gives no restorer, so each handler returns through the code
 * the kernel wrote into its frame. Prints "signal_storm: some of 20000 handled".
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <syscall.h>
#include <unistd.h>

#define SENDS 20000

static volatile int handled;

static void count(int sig)
{
    handled += sig == SIGUSR1; /* returns through the code the kernel put in the frame */
}

int main(void)
{
    struct kernel_sigaction act = { .handler = (unsigned)(unsigned long)count };
    syscall_raw(SYS_rt_sigaction, SIGUSR1, (long)&act, 0, 8, 0, 0);
    int parent = getpid();
    int child = fork();
    if (child == 0) {
        for (int i = 0; i < SENDS; i++) {
            kill(parent, SIGUSR1);
        }
        return 0;
    }
    int status = 0;
    while (waitpid(child, &status, 0) != child) {
    }
    printf("signal_storm: %s of %d handled, child exit %d\n",
           handled >= 1 && handled <= SENDS ? "some" : "a wrong number", SENDS,
           WEXITSTATUS(status));
    return 0;
}
