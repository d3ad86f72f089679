/*
 * alarm, setitimer and getitimer (ITIMER_REAL), rt_sigtimedwait (sigwaitinfo, sigtimedwait) and
 * rt_sigqueueinfo (sigqueue), as a libc program uses them: SIGALRM to a handler and through
 * sigwaitinfo, a periodic timer, what alarm returns, timeouts, queued values, and Linux's errno
 * for bad calls. One line per failed check; ends with "timers: N checks, M failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_NAME "timers"
#include "check.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void on_usr1(int sig)
{
    (void)sig;
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void alarm_calls(void)
{
    signal(SIGALRM, on_alarm);
    check(alarm(5) == 0, "the first alarm finds none");
    unsigned left = alarm(0);
    check(left == 5, "alarm(0) tells the 5 s that were left");
    check(alarm(0) == 0, "a cancelled alarm is gone");
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    alarm(1);
    pause();
    long ms = elapsed_ms(&start);
    check(alarms == 1 && ms >= 1000, "alarm(1) interrupts pause after a second");
    printf("timers: alarm 5 then 0 left %u; alarm(1) woke pause after at least 1 s: %s\n", left,
           alarms == 1 && ms >= 1000 ? "yes" : "no");
}

static volatile sig_atomic_t profs;
static volatile sig_atomic_t vtalrms;

static void on_cpu_timer(int sig)
{
    profs += sig == SIGPROF;
    vtalrms += sig == SIGVTALRM;
}

/* Spins until *count reaches n (or about 5 s of real time pass). */
static void spin_until(volatile sig_atomic_t *count, int n)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (*count < n && elapsed_ms(&start) < 5000) {
    }
}

/* ITIMER_PROF and ITIMER_VIRTUAL count CPU time: a spinning process gets SIGPROF and
 * SIGVTALRM; one that sleeps uses none. */
static void cpu_timers(void)
{
    signal(SIGPROF, on_cpu_timer);
    signal(SIGVTALRM, on_cpu_timer);
    struct itimerval prof = { .it_interval = { 0, 20000 }, .it_value = { 0, 30000 } };
    check(setitimer(ITIMER_PROF, &prof, NULL) == 0, "setitimer ITIMER_PROF");
    struct itimerval now;
    getitimer(ITIMER_PROF, &now);
    check(now.it_interval.tv_usec == 20000 && now.it_value.tv_usec > 0 &&
              now.it_value.tv_usec <= 30000,
          "getitimer ITIMER_PROF");
    spin_until(&profs, 3);
    struct itimerval off = { 0 };
    setitimer(ITIMER_PROF, &off, NULL);
    struct itimerval virt = { .it_value = { 0, 30000 } };
    check(setitimer(ITIMER_VIRTUAL, &virt, NULL) == 0, "setitimer ITIMER_VIRTUAL");
    usleep(200000); /* asleep: no CPU time */
    int while_asleep = vtalrms;
    spin_until(&vtalrms, 1);
    check(profs >= 3 && while_asleep == 0 && vtalrms == 1, "CPU timers count CPU time, not sleep");
    printf("timers: SIGPROF while spinning %s; SIGVTALRM while asleep %d, then spinning %d\n",
           profs >= 3 ? "3 or more" : "too few", while_asleep, (int)vtalrms);
}

static void interval_timer(void)
{
    alarms = 0;
    struct itimerval v = { .it_interval = { 0, 20000 }, .it_value = { 0, 50000 } };
    struct itimerval old;
    check(setitimer(ITIMER_REAL, &v, &old) == 0, "setitimer");
    check(old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0, "no timer was armed before");
    struct itimerval now;
    check(getitimer(ITIMER_REAL, &now) == 0, "getitimer");
    int sane = now.it_interval.tv_sec == 0 && now.it_interval.tv_usec == 20000 &&
               now.it_value.tv_sec == 0 && now.it_value.tv_usec > 0 &&
               now.it_value.tv_usec <= 50000;
    check(sane, "getitimer reports the interval as set and at most the value left");
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (alarms < 5) {
        pause();
    }
    long ms = elapsed_ms(&start);
    struct itimerval off = { 0 };
    check(setitimer(ITIMER_REAL, &off, &old) == 0, "disarm");
    check(old.it_interval.tv_usec == 20000, "the old value shows the interval");
    getitimer(ITIMER_REAL, &now);
    check(now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0, "disarmed reads as zero");
    check(ms >= 130, "five expiries take at least 50 + 4 * 20 ms");
    printf("timers: periodic timer fired 5 times in at least 130 ms: %s\n",
           ms >= 130 ? "yes" : "no");
    cpu_timers();
    errno = 0;
    struct itimerval bad = { .it_value = { 0, 1000000 } };
    check(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL, "usec 1000000: EINVAL");
    errno = 0;
    check(setitimer(7, &v, NULL) == -1 && errno == EINVAL, "which 7: EINVAL");
    errno = 0;
    check(getitimer(7, &now) == -1 && errno == EINVAL, "getitimer which 7: EINVAL");
    errno = 0;
    check(syscall(SYS_getitimer, ITIMER_REAL, (void *)16) == -1 && errno == EFAULT,
          "getitimer to a bad pointer: EFAULT");
    errno = 0;
    check(syscall(SYS_setitimer, ITIMER_REAL, (void *)16, NULL) == -1 && errno == EFAULT,
          "setitimer from a bad pointer: EFAULT");
}

static void waiting(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGALRM);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);

    raise(SIGUSR1);
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int sig = sigwaitinfo(&set, &info);
    check(sig == SIGUSR1 && info.si_signo == SIGUSR1 && info.si_pid == getpid(),
          "sigwaitinfo takes a pending SIGUSR1 with the sender");

    struct itimerval v = { .it_value = { 0, 30000 } };
    setitimer(ITIMER_REAL, &v, NULL);
    memset(&info, 0, sizeof(info));
    sig = sigwaitinfo(&set, &info);
    check(sig == SIGALRM && info.si_code == SI_KERNEL, "the timer's SIGALRM, from the kernel");
    printf("timers: sigwaitinfo got SIGALRM from the timer, si_code 0x%x\n", info.si_code);

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct timespec timeout = { 0, 50000000 };
    errno = 0;
    sig = sigtimedwait(&set, &info, &timeout);
    long ms = elapsed_ms(&start);
    check(sig == -1 && errno == EAGAIN && ms >= 50, "sigtimedwait times out with EAGAIN");
    struct timespec zero = { 0, 0 };
    errno = 0;
    check(sigtimedwait(&set, &info, &zero) == -1 && errno == EAGAIN, "a zero timeout polls");
    struct timespec bad = { 0, 1000000000 };
    errno = 0;
    check(sigtimedwait(&set, &info, &bad) == -1 && errno == EINVAL, "nsec 1e9: EINVAL");
    errno = 0;
    check(syscall(SYS_rt_sigtimedwait, &set, NULL, NULL, 4) == -1 && errno == EINVAL,
          "a set size of 4: EINVAL");
    printf("timers: sigtimedwait timed out after at least 50 ms: %s\n", ms >= 50 ? "yes" : "no");

    /* SIGCHLD is ignored by default, but blocked it stays pending for sigwait. */
    pid_t child = fork();
    if (child == 0) {
        _exit(3);
    }
    memset(&info, 0, sizeof(info));
    sig = sigwaitinfo(&set, &info);
    int status = 0;
    waitpid(child, &status, 0);
    check(sig == SIGCHLD && info.si_pid == child && info.si_status == 3,
          "a blocked SIGCHLD waits for sigwaitinfo");

    /* sigqueue: the value arrives with it. */
    union sigval value = { .sival_int = 1234 };
    check(sigqueue(getpid(), SIGRTMIN, value) == 0, "sigqueue to myself");
    memset(&info, 0, sizeof(info));
    sig = sigwaitinfo(&set, &info);
    check(sig == SIGRTMIN && info.si_code == SI_QUEUE && info.si_value.sival_int == 1234 &&
              info.si_pid == getpid(),
          "sigqueue's value and code arrive");
    printf("timers: sigqueue value %d code %d\n", info.si_value.sival_int, info.si_code);

    /* Real-time signals queue, each with its value, in order; standard ones merge. */
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN + 1);
    sigaddset(&rt, SIGUSR1);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    for (int i = 1; i <= 3; i++) {
        sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = i * 10 });
        kill(getpid(), SIGUSR1);
    }
    int values[4] = { 0 };
    int taken = 0;
    int usr1 = 0;
    while ((sig = sigtimedwait(&rt, &info, &zero)) > 0) {
        if (sig == SIGRTMIN + 1 && taken < 4) {
            values[taken++] = info.si_value.sival_int; /* in the order they were sent */
        }
        usr1 += sig == SIGUSR1;
    }
    check(taken == 3 && values[0] == 10 && values[1] == 20 && values[2] == 30 && usr1 == 1,
          "three queued real-time signals with their values, in order; one SIGUSR1");
    printf("timers: queued SIGRTMIN+1 values %d %d %d; SIGUSR1 sent 3 times, taken %d\n", values[0],
           values[1], values[2], usr1);
    sigprocmask(SIG_UNBLOCK, &rt, NULL);

    /* Another signal with a handler ends the wait with EINTR. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR2, &sa, NULL);
    pid_t sender = fork();
    if (sender == 0) {
        usleep(50000);
        kill(getppid(), SIGUSR2);
        usleep(100000); /* its SIGCHLD must not come with the SIGUSR2 */
        _exit(0);
    }
    errno = 0; /* the raw call: musl's sigtimedwait tries again after EINTR */
    sig = (int)syscall(SYS_rt_sigtimedwait, &set, &info, NULL, 8);
    check(sig == -1 && errno == EINTR, "a handled signal outside the set: EINTR");
    waitpid(sender, &status, 0);
    while (sigtimedwait(&set, &info, &zero) > 0) {
        /* the sender's SIGCHLD */
    }

    /* rt_sigqueueinfo's checks. */
    siginfo_t forged;
    memset(&forged, 0, sizeof(forged));
    forged.si_code = SI_USER; /* pretending to be kill() */
    pid_t other = fork();
    if (other == 0) {
        pause();
        _exit(0);
    }
    errno = 0;
    check(syscall(SYS_rt_sigqueueinfo, other, SIGUSR1, &forged) == -1 && errno == EPERM,
          "a kill()-like code to another process: EPERM");
    kill(other, SIGKILL);
    waitpid(other, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the other process is killed");
    forged.si_code = SI_QUEUE;
    errno = 0;
    check(syscall(SYS_rt_sigqueueinfo, 99999, SIGUSR1, &forged) == -1 && errno == ESRCH,
          "no such process: ESRCH");
    errno = 0;
    check(syscall(SYS_rt_sigqueueinfo, getpid(), 99, &forged) == -1 && errno == EINVAL,
          "signal 99: EINVAL");
    errno = 0;
    check(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)16) == -1 && errno == EFAULT,
          "a bad siginfo: EFAULT");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int main(void)
{
    alarm_calls();
    interval_timer();
    waiting();
    return check_summary();
}
