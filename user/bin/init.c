/*
 * init: process 1. It starts the shell and keeps one running: when /bin/sh ends, however it
 * ends, init says so and starts a new one. It also reaps every orphan the kernel hands it
 * (a process whose parent died becomes init's child), so no zombie stays behind.
 *
 *     init: starting /bin/sh
 *     init: sh exited (status 0); starting a new one
 *     init: sh exited (signal 9); starting a new one
 *
 * At boot it shows /etc/motd, once, before the first shell starts. The descriptors 0, 1 and 2
 * are the console already; init opens no other device. When the shell cannot be started (fork
 * or execve fails) or ends within a second of starting, init waits a second before the next
 * attempt rather than spinning, reaping the orphans that ended meanwhile (the kernel keeps a
 * process slot for pid 1, so fork fails here only when memory runs out).
 *
 * Like busybox's init it takes the signals busybox's poweroff (SIGUSR2) and halt (SIGUSR1)
 * send pid 1, and powers the machine off. Every other signal stays ignored (kill 1 does
 * nothing, as on Linux for a signal pid 1 has no handler for); busybox's reboot (SIGTERM)
 * therefore does nothing: Ringlet's reboot(2) knows only power-off.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHELL_PATH "/bin/sh"
#define RETRY_NS   1000000000LL /* a shell that lived less than this is restarted after a pause */

#define MOTD_PATH "/etc/motd"

/* Copies /etc/motd to stdout, when there is one. */
static void show_motd(void)
{
    int fd = open(MOTD_PATH, O_RDONLY, 0);
    if (fd < 0) {
        return;
    }
    char buffer[512];
    long n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
        write(STDOUT_FILENO, buffer, (unsigned long)n);
    }
    close(fd);
}

/* Starts the shell in a child. Returns its pid, or -1 when fork failed. */
static int start_shell(char **envp)
{
    int pid = fork();
    if (pid != 0) {
        return pid;
    }
    char *argv[] = { "sh", NULL };
    execve(SHELL_PATH, argv, envp);
    dprintf(STDERR_FILENO, "init: cannot run %s: %s\n", SHELL_PATH, strerror(errno));
    sleep(1);
    _exit(127);
}

/* Reaps every orphan that has ended, without waiting: their slots are what a new shell needs. */
static void reap_ended_orphans(void)
{
    int status;
    while (waitpid(-1, &status, WNOHANG) > 0) {
    }
}

/* Waits for the shell with pid shell to end, reaping any orphan that ends meanwhile. */
static int wait_for_shell(int shell)
{
    for (;;) {
        int status;
        int pid = waitpid(-1, &status, 0);
        if (pid == shell) {
            return status;
        }
        if (pid < 0 && errno != EINTR) {
            /* No child at all: the shell is gone without a status (should not happen). */
            dprintf(STDERR_FILENO, "init: waitpid: %s\n", strerror(errno));
            return 0;
        }
        /* Otherwise an orphan ended: reaped, nothing to say. */
    }
}

/* SIGUSR1, SIGUSR2: halt or poweroff asked by a program. */
static void on_stop_request(int sig)
{
    dprintf(STDOUT_FILENO, "init: signal %d: powering off\n", sig);
    reboot(REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, NULL);
}

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    struct kernel_sigaction stop = { .handler = (unsigned)(uintptr_t)on_stop_request };
    rt_sigaction(SIGUSR1, &stop, NULL, sizeof(stop.mask));
    rt_sigaction(SIGUSR2, &stop, NULL, sizeof(stop.mask));
    printf("init: starting %s\n", SHELL_PATH);
    show_motd();
    for (;;) {
        int64_t started = monotonic_ns();
        int shell = start_shell(envp);
        if (shell < 0) {
            dprintf(STDERR_FILENO, "init: fork: %s; trying again in 1 s\n", strerror(errno));
            reap_ended_orphans();
            sleep(1);
            continue;
        }
        int status = wait_for_shell(shell);
        if (WIFSIGNALED(status)) {
            printf("init: sh exited (signal %d); starting a new one\n", WTERMSIG(status));
        } else {
            printf("init: sh exited (status %d); starting a new one\n", WEXITSTATUS(status));
        }
        int64_t lived = monotonic_ns() - started;
        if (started >= 0 && lived >= 0 && lived < RETRY_NS) {
            struct timespec pause = { .tv_sec = 0, .tv_nsec = (int32_t)(RETRY_NS - lived) };
            nanosleep(&pause, NULL);
        }
    }
}
