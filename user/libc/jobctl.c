/*
 * Job control as a libc program sees it: children stopped by SIGSTOP, SIGTSTP and SIGTTIN
 * (reading the terminal from a background group) and continued by SIGCONT; waitpid with
 * WUNTRACED and WCONTINUED and their statuses; SIGCHLD's CLD_STOPPED and CLD_CONTINUED; a
 * stopped process (all its threads) running no more; SIGKILL of a stopped child; a handler for
 * SIGTSTP; SIGCONT discarding a pending stop; SIGTSTP to an orphaned group discarded; SIGHUP
 * and SIGCONT to a stopped group that its parent's end orphans.
 * The checks run in a child of the program (pid 1 with init=none is init, and the children of
 * init are in orphaned groups). One line per failed check; ends "jobctl: N checks, M failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHECK_NAME "jobctl"
#include "check.h"

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int ticker_fd;

static void *ticker_thread(void *arg)
{
    (void)arg;
    for (;;) {
        write(ticker_fd, "t", 1);
        sleep_ms(10);
    }
    return NULL;
}

/* A child in a group of its own that writes a byte every 10 ms (from two threads, with
 * threads). Returns its pid; *read_end is the pipe it writes to, non-blocking. */
static pid_t start_ticker(int *read_end, int threads)
{
    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        close(fds[0]);
        ticker_fd = fds[1];
        if (threads) {
            pthread_t t;
            pthread_create(&t, NULL, ticker_thread, NULL);
        }
        ticker_thread(NULL);
    }
    setpgid(pid, pid);
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    *read_end = fds[0];
    return pid;
}

/* Bytes that can be read now. */
static int drain(int fd)
{
    char buf[256];
    int total = 0;
    int n;
    while ((n = (int)read(fd, buf, sizeof(buf))) > 0) {
        total += n;
    }
    return total;
}

static void stop_and_continue(int threads, int sig)
{
    int fd;
    pid_t pid = start_ticker(&fd, threads);
    sleep_ms(50);
    kill(pid, sig);
    int status = 0;
    pid_t got = waitpid(pid, &status, WUNTRACED);
    check(got == pid && WIFSTOPPED(status) && WSTOPSIG(status) == sig, "WUNTRACED sees the stop");
    printf("jobctl: %s%s: status 0x%x, stopped by %d\n", sig == SIGSTOP ? "SIGSTOP" : "SIGTSTP",
           threads ? " (2 threads)" : "", status, WSTOPSIG(status));
    drain(fd);
    sleep_ms(100);
    int while_stopped = drain(fd);
    check(while_stopped == 0, "a stopped process writes nothing");
    check(waitpid(pid, &status, WNOHANG | WUNTRACED) == 0, "a stop is reported once");
    kill(pid, SIGCONT);
    got = waitpid(pid, &status, WCONTINUED);
    check(got == pid && WIFCONTINUED(status) && status == 0xffff, "WCONTINUED sees it go on");
    sleep_ms(100);
    int after = drain(fd);
    check(after > 0, "a continued process writes again");
    printf("jobctl: bytes while stopped %d, after SIGCONT some: %s, continued status 0x%x\n",
           while_stopped, after > 0 ? "yes" : "no", status);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "killed");
    close(fd);
}

static volatile sig_atomic_t chld_codes[8];
static volatile sig_atomic_t chld_count;

static void on_chld(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    if (chld_count < 8) {
        chld_codes[chld_count++] = info->si_code;
    }
}

static void sigchld_codes(void)
{
    struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_RESTART };
    sigaction(SIGCHLD, &sa, NULL);
    int fd;
    pid_t pid = start_ticker(&fd, 0);
    kill(pid, SIGSTOP);
    int status;
    waitpid(pid, &status, WUNTRACED);
    kill(pid, SIGCONT);
    waitpid(pid, &status, WCONTINUED);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    close(fd);
    check(chld_count == 3 && chld_codes[0] == CLD_STOPPED && chld_codes[1] == CLD_CONTINUED &&
              chld_codes[2] == CLD_KILLED,
          "SIGCHLD says stopped, continued, killed");
    printf("jobctl: SIGCHLD codes %d %d %d\n", chld_codes[0], chld_codes[1], chld_codes[2]);
    /* SA_NOCLDSTOP: only the end. */
    chld_count = 0;
    sa.sa_flags |= SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    pid = start_ticker(&fd, 0);
    kill(pid, SIGSTOP);
    waitpid(pid, &status, WUNTRACED);
    kill(pid, SIGCONT);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    close(fd);
    check(chld_count == 1 && chld_codes[0] == CLD_KILLED, "SA_NOCLDSTOP: no SIGCHLD for stops");
    signal(SIGCHLD, SIG_DFL);
}

static volatile sig_atomic_t tstp_handled;

static void on_tstp(int sig)
{
    (void)sig;
    tstp_handled++;
}

static void handled_and_discarded(void)
{
    /* A handler for SIGTSTP: it runs, nothing stops. */
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTSTP, on_tstp);
        raise(SIGTSTP);
        /* SIGCONT discards a pending, blocked stop. */
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTTOU);
        sigprocmask(SIG_BLOCK, &set, NULL);
        signal(SIGTTOU, SIG_DFL);
        raise(SIGTTOU);
        raise(SIGCONT);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        _exit(tstp_handled == 1 ? 40 : 41);
    }
    setpgid(pid, pid);
    int status = 0;
    waitpid(pid, &status, WUNTRACED);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 40,
          "a SIGTSTP handler runs; SIGCONT discards a pending SIGTTOU");
    printf("jobctl: SIGTSTP handler and SIGCONT over a pending SIGTTOU: exit %d\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    /* This child stays in our group, whose only outside parent is init: an orphaned group,
     * where Linux discards SIGTSTP (nobody could continue it). */
    pid = fork();
    if (pid == 0) {
        raise(SIGTSTP); /* our group is the test's, whose parent is init: orphaned */
        _exit(42);
    }
    waitpid(pid, &status, WUNTRACED);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 42, "SIGTSTP to an orphaned group: none");
    printf("jobctl: SIGTSTP in an orphaned group ignored: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 42 ? "yes" : "no");
}

/* A background group reading the terminal: SIGTTIN stops it; with SIGTTIN ignored, EIO. */
static void background_read(void)
{
    if (!isatty(STDIN_FILENO) || tcsetpgrp(STDIN_FILENO, getpgrp()) != 0) {
        printf("jobctl: FAIL no terminal to claim\n");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char c;
        read(STDIN_FILENO, &c, 1);
        _exit(50);
    }
    setpgid(pid, pid);
    int status = 0;
    waitpid(pid, &status, WUNTRACED);
    check(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN, "a background read: SIGTTIN");
    printf("jobctl: background read stopped by signal %d\n", WSTOPSIG(status));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTTIN, SIG_IGN);
        char c;
        errno = 0;
        ssize_t n = read(STDIN_FILENO, &c, 1);
        _exit(n == -1 && errno == EIO ? 51 : 52);
    }
    setpgid(pid, pid);
    waitpid(pid, &status, WUNTRACED);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 51, "SIGTTIN ignored: EIO");
    /* Changing the terminal from the background: SIGTTOU, unless it is ignored. */
    for (int ignore = 0; ignore < 2; ignore++) {
        pid = fork();
        if (pid == 0) {
            setpgid(0, 0);
            if (ignore) {
                signal(SIGTTOU, SIG_IGN);
            }
            struct termios mode;
            tcgetattr(STDIN_FILENO, &mode);
            _exit(tcsetattr(STDIN_FILENO, TCSANOW, &mode) == 0 ? 60 : 61);
        }
        setpgid(pid, pid);
        waitpid(pid, &status, WUNTRACED);
        if (!ignore) {
            check(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU, "background tcsetattr");
            printf("jobctl: background tcsetattr stopped by signal %d\n", WSTOPSIG(status));
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        } else {
            check(WIFEXITED(status) && WEXITSTATUS(status) == 60, "SIGTTOU ignored: allowed");
        }
    }
}

static int hup_pipe = -1;

static void note_hup(int sig)
{
    write(hup_pipe, sig == SIGHUP ? "h" : "c", 1);
}

/* A stopped group whose last outside parent ends is orphaned: SIGHUP, then SIGCONT. */
static void orphaned_when_stopped(void)
{
    int fds[2];
    pipe(fds);
    pid_t middle = fork();
    if (middle == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            setpgid(0, 0);
            hup_pipe = fds[1];
            close(fds[0]);
            signal(SIGHUP, note_hup);
            signal(SIGCONT, note_hup);
            raise(SIGSTOP); /* its parent, in another group, can still continue it */
            _exit(0);
        }
        setpgid(pid, pid);
        int status;
        waitpid(pid, &status, WUNTRACED);
        _exit(0); /* the stopped group is orphaned now */
    }
    close(fds[1]);
    int status;
    waitpid(middle, &status, 0);
    char seen[4] = { 0 };
    ssize_t n = 0;
    ssize_t got;
    while (n < 3 && (got = read(fds[0], seen + n, sizeof(seen) - 1 - (size_t)n)) > 0) {
        n += got;
    }
    close(fds[0]);
    check(strcmp(seen, "hc") == 0, "an orphaned stopped group gets SIGHUP, then SIGCONT");
    printf("jobctl: a stopped group orphaned by its parent's end got: %s\n", seen);
}

static int run_checks(void)
{
    stop_and_continue(0, SIGSTOP);
    stop_and_continue(1, SIGTSTP);
    sigchld_codes();
    handled_and_discarded();
    background_read();
    orphaned_when_stopped();
    return check_summary();
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        _exit(run_checks());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
