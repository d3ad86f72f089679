/*
 * Hostile: installs a signal handler at a kernel address (the kernel's text at 0xc0100000) and
 * raises the signal. The kernel sets up the frame and "returns" to the handler in ring 3, where
 * fetching the first instruction is a protection fault: the process dies alone.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>
#include <unistd.h>

int main(void)
{
    struct kernel_sigaction act = { .handler = 0xc0100000u, .flags = 0, .restorer = 0, .mask = 0 };
    long r = syscall_raw(SYS_rt_sigaction, SIGUSR1, (long)&act, 0, 8, 0, 0);
    printf("hostile_handler_kernel: about to raise SIGUSR1 (rt_sigaction %ld)\n", r);
    kill(getpid(), SIGUSR1);
    printf("SHOULD NOT PRINT\n");
    return 0;
}
