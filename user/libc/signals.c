/*
 * Signals as a libc program uses them: handlers with and without SA_SIGINFO (the rt frame and
 * the old one), raise and kill, blocking and sigpending, SIG_IGN, a SIGSEGV handler leaving
 * with siglongjmp, SIGCHLD, SIGPIPE, a child killed by SIGTERM, EINTR and SA_RESTART on a
 * pipe read, nanosleep cut short, sigsuspend, and the FPU state kept across a handler.
 * One line per result; "signals: N checks, M failed" at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_NAME "signals"
#include "check.h"

static volatile sig_atomic_t usr1_count;
static volatile int usr1_code;
static volatile int usr1_pid;
static volatile sig_atomic_t plain_count;
static volatile sig_atomic_t chld_count;
static volatile sig_atomic_t pipe_count;
static sigjmp_buf segv_jump;
static volatile void *segv_addr;
static volatile double fpu_in_handler;

static volatile unsigned long usr1_fpu_cw;

static void on_usr1(int sig, siginfo_t *info, void *uc)
{
    /* The interrupted code's x87 control word, as the frame's FSAVE header reports it. */
    usr1_fpu_cw = ((ucontext_t *)uc)->uc_mcontext.fpregs->cw & 0xffff;
    usr1_count++;
    usr1_code = info->si_code;
    usr1_pid = info->si_pid;
    fpu_in_handler = sig * 1.5; /* uses the FPU: the interrupted code's state must survive */
}

static void on_plain(int sig)
{
    plain_count += sig == SIGUSR2;
}

static void on_segv(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    segv_addr = info->si_addr;
    siglongjmp(segv_jump, 1);
}

static void on_chld(int sig)
{
    (void)sig;
    chld_count++;
}

static void on_pipe(int sig)
{
    pipe_count += sig == SIGPIPE;
}

static sigjmp_buf overflow_jump;
static volatile int overflow_on_altstack;
static char altstack_memory[64 * 1024];

static void on_overflow(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)info;
    (void)uc;
    stack_t now;
    sigaltstack(NULL, &now);
    overflow_on_altstack = (now.ss_flags & SS_ONSTACK) != 0;
    siglongjmp(overflow_jump, 1);
}

/* Recurses until the stack limit: each level keeps 4 KiB alive. */
static int __attribute__((noinline)) recurse(int n)
{
    volatile char pad[4096];
    pad[n & 7] = (char)n;
    return recurse(n + 1) + pad[n & 7];
}

static void install(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    check(sigaction(sig, &sa, NULL) == 0, "sigaction");
}

/* A child that sends sig to the parent after ms milliseconds, then writes "late" to fd. */
static pid_t poke_later(int sig, int ms, int fd)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        usleep(ms * 1000);
        kill(parent, sig);
        if (fd >= 0) {
            usleep(ms * 1000);
            write(fd, "late", 4);
        }
        _exit(0);
    }
    return pid;
}

int main(void)
{
    /* 1. A SA_SIGINFO handler, from raise (tkill) and from kill. */
    install(SIGUSR1, on_usr1, 0);
    volatile double before = 2.0 / 3.0;
    raise(SIGUSR1);
    check(usr1_count == 1 && usr1_code == SI_TKILL, "raise runs the handler with SI_TKILL");
    kill(getpid(), SIGUSR1);
    check(usr1_count == 2 && usr1_code == SI_USER && usr1_pid == getpid(),
          "kill runs the handler with SI_USER and the sender's pid");
    check(before == 2.0 / 3.0 && fpu_in_handler == 15.0, "FPU state kept across the handler");
    printf("signals: SIGUSR1 handled %d times, last si_code %d, sender is me: %s\n",
           (int)usr1_count, usr1_code, usr1_pid == getpid() ? "yes" : "no");
    printf("signals: the interrupted FPU control word was 0x%lx\n", usr1_fpu_cw);

    /* 2. A plain handler (the old frame and sigreturn), blocked then unblocked. */
    signal(SIGUSR2, on_plain);
    sigset_t block, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGUSR2);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGUSR2);
    int ran_while_blocked = plain_count;
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    check(was_pending && ran_while_blocked == 0 && plain_count == 1,
          "a blocked signal waits, then runs on unblock");
    printf("signals: blocked SIGUSR2 pending %d, ran while blocked %d, ran after %d\n", was_pending,
           ran_while_blocked, (int)plain_count);

    /* 3. SIG_IGN: nothing happens. */
    signal(SIGUSR2, SIG_IGN);
    kill(getpid(), SIGUSR2);
    check(plain_count == 1, "an ignored signal does nothing");

    /* 4. SIGSEGV on a read-only page, survived with siglongjmp. */
    install(SIGSEGV, on_segv, SA_NODEFER);
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int survived = 0;
    if (sigsetjmp(segv_jump, 1) == 0) {
        page[100] = 1;
    } else {
        survived = 1;
    }
    check(survived && segv_addr == page + 100, "a SIGSEGV handler sees the address and returns");
    printf("signals: SIGSEGV at offset %ld of the read-only page, recovered: %s\n",
           (long)((char *)segv_addr - page), survived ? "yes" : "no");

    /* 5. SIGCHLD, and a child killed by SIGTERM seen by wait. */
    signal(SIGCHLD, on_chld);
    pid_t child = fork();
    if (child == 0) {
        for (;;) {
            pause();
        }
    }
    usleep(20000);
    kill(child, SIGTERM);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "WIFSIGNALED/WTERMSIG");
    check(chld_count >= 1, "SIGCHLD ran");
    printf("signals: child killed by signal %d, SIGCHLD seen: %s\n", WTERMSIG(status),
           chld_count >= 1 ? "yes" : "no");
    signal(SIGCHLD, SIG_DFL);

    /* 6. EINTR without SA_RESTART; with SA_RESTART the read goes on and gets the data. */
    int fds[2];
    pipe(fds);
    install(SIGUSR1, on_usr1, 0);
    pid_t poker = poke_later(SIGUSR1, 50, -1);
    char buf[8];
    errno = 0;
    long got = read(fds[0], buf, sizeof(buf));
    int read_errno = errno;
    waitpid(poker, NULL, 0);
    check(got == -1 && read_errno == EINTR, "read interrupted without SA_RESTART is EINTR");
    install(SIGUSR1, on_usr1, SA_RESTART);
    poker = poke_later(SIGUSR1, 50, fds[1]);
    got = read(fds[0], buf, sizeof(buf));
    waitpid(poker, NULL, 0);
    check(got == 4 && memcmp(buf, "late", 4) == 0, "SA_RESTART restarts the read");
    printf("signals: read without SA_RESTART: %ld (%s); with it: %ld bytes\n", -1L,
           read_errno == EINTR ? "EINTR" : "?", got);

    /* 7. nanosleep cut short: EINTR and the time left. */
    poker = poke_later(SIGUSR1, 50, -1);
    struct timespec req = { 2, 0 }, rem = { 0, 0 };
    int slept = nanosleep(&req, &rem);
    int sleep_errno = errno;
    waitpid(poker, NULL, 0);
    check(slept == -1 && sleep_errno == EINTR && rem.tv_sec >= 1, "nanosleep is interrupted");
    printf("signals: nanosleep interrupted: %s, at least 1 s left: %s\n",
           sleep_errno == EINTR ? "EINTR" : "?", rem.tv_sec >= 1 ? "yes" : "no");

    /* 8. sigsuspend waits for the blocked signal, then restores the mask. */
    sigset_t usr1, old, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    int count_before = usr1_count;
    poker = poke_later(SIGUSR1, 30, -1);
    sigemptyset(&none);
    int suspended = sigsuspend(&none);
    sigset_t after;
    sigprocmask(SIG_SETMASK, NULL, &after);
    waitpid(poker, NULL, 0);
    check(suspended == -1 && errno == EINTR && usr1_count == count_before + 1 &&
              sigismember(&after, SIGUSR1),
          "sigsuspend");
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* 9. SIGPIPE: with a handler, write fails with EPIPE; without, the writer dies of it. */
    signal(SIGPIPE, on_pipe);
    int lone[2];
    pipe(lone);
    close(lone[0]);
    errno = 0;
    long w = write(lone[1], "x", 1);
    check(w == -1 && errno == EPIPE && pipe_count == 1, "SIGPIPE handler and EPIPE");
    child = fork();
    if (child == 0) {
        signal(SIGPIPE, SIG_DFL);
        write(lone[1], "x", 1);
        _exit(0);
    }
    waitpid(child, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "SIGPIPE ends a writer");
    printf("signals: broken pipe: handler ran %d time(s); a default writer died of signal %d\n",
           (int)pipe_count, WIFSIGNALED(status) ? WTERMSIG(status) : 0);

    /* 10. wait is not cut short by the SIGCHLD of the very child it waits for; a zombie still
     * answers kill(pid, 0); a parent ignoring SIGCHLD leaves no zombie to wait for. */
    signal(SIGCHLD, on_chld);
    child = fork();
    if (child == 0) {
        _exit(5);
    }
    usleep(20000); /* the child is a zombie now */
    int zombie_alive = kill(child, 0) == 0;
    pid_t waited = waitpid(child, &status, 0);
    check(zombie_alive, "kill(zombie, 0) succeeds");
    check(waited == child && WEXITSTATUS(status) == 5, "wait returns the child, not EINTR");
    signal(SIGCHLD, SIG_IGN);
    child = fork();
    if (child == 0) {
        _exit(6);
    }
    errno = 0;
    waited = waitpid(-1, &status, 0);
    check(waited == -1 && errno == ECHILD, "SIGCHLD ignored: no zombie, wait says ECHILD");
    printf("signals: zombie answers kill 0: %s; SIG_IGN SIGCHLD wait: %s\n",
           zombie_alive ? "yes" : "no", errno == ECHILD ? "ECHILD" : "?");
    signal(SIGCHLD, SIG_DFL);

    /* 11. kill() of a fault signal carries the sender, not an address. */
    install(SIGUSR1, on_usr1, 0);
    install(SIGSEGV, on_segv, 0);
    if (sigsetjmp(segv_jump, 1) == 0) {
        kill(getpid(), SIGSEGV);
    }
    check((long)segv_addr == getpid(), "kill(SIGSEGV) has si_pid where a fault has si_addr");

    /* 12. A stack overflow caught on an alternate stack (SA_ONSTACK), then left with
     * siglongjmp; the normal stack is usable again afterwards. */
    stack_t alt = { .ss_sp = altstack_memory, .ss_size = sizeof(altstack_memory), .ss_flags = 0 };
    check(sigaltstack(&alt, NULL) == 0, "sigaltstack");
    install(SIGSEGV, on_overflow, SA_ONSTACK | SA_NODEFER);
    int overflowed = 0;
    if (sigsetjmp(overflow_jump, 1) == 0) {
        recurse(0);
    } else {
        overflowed = 1;
    }
    stack_t after_overflow;
    sigaltstack(NULL, &after_overflow);
    check(overflowed && overflow_on_altstack && !(after_overflow.ss_flags & SS_ONSTACK),
          "a stack overflow's handler runs on the alternate stack");
    printf("signals: stack overflow caught on the alternate stack: %s\n",
           overflowed && overflow_on_altstack ? "yes" : "no");
    errno = 0;
    stack_t tiny = { .ss_sp = altstack_memory, .ss_size = 100, .ss_flags = 0 };
    check(sigaltstack(&tiny, NULL) == -1 && errno == ENOMEM, "a tiny alternate stack is ENOMEM");

    /* 13. Errors, with Linux's errno. */
    errno = 0;
    check(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL) == -1 &&
              errno == EINVAL,
          "SIGKILL cannot be caught");
    errno = 0;
    check(kill(getpid(), 65) == -1 && errno == EINVAL, "signal 65 is EINVAL");
    errno = 0;
    check(kill(99999, SIGUSR1) == -1 && errno == ESRCH, "no such process");

    return check_summary();
}
