/*
 * The interval timers: alarm (27), setitimer (104) and getitimer (105), Linux's layouts and
 * rules. A process has three, kept on its first thread's slot (threads share them, as Linux
 * keeps them in the signal_struct); the timer interrupt looks at them every tick (itimer_tick).
 * ITIMER_REAL counts real time and sends SIGALRM; ITIMER_VIRTUAL counts the process's CPU time
 * in user mode (SIGVTALRM) and ITIMER_PROF its CPU time in user and kernel mode (SIGPROF), both
 * sampled as Linux's tick accounting does: the running process is charged the whole tick the
 * timer interrupted. Each reloads with its interval. Times are counted in clock ticks (10 ms):
 * a real timer never fires early, and reports what is left rounded down to a tick. fork clears
 * the timers in the child; exec keeps them.
 */
#include <arch.h>
#include <clock.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/signal.h>
#include <abi/time.h>

#define USEC_PER_SEC    1000000ull
#define INT_MAX_SECONDS 0x7fffffffu

static uint64_t timeval_us(const struct timeval *tv)
{
    return (uint64_t)tv->tv_sec * USEC_PER_SEC + (uint64_t)tv->tv_usec;
}

static struct timeval timeval_of(uint64_t us)
{
    return (struct timeval){ (int32_t)(us / USEC_PER_SEC), (int32_t)(us % USEC_PER_SEC) };
}

/* Whole ticks covering us microseconds (at least one for any time at all). */
static uint64_t ticks_covering(uint64_t us)
{
    uint64_t per_tick = NS_PER_TICK / 1000;
    return (us + per_tick - 1) / per_tick;
}

static bool timeval_valid(const struct timeval *tv)
{
    return tv->tv_sec >= 0 && tv->tv_usec >= 0 && (uint64_t)tv->tv_usec < USEC_PER_SEC;
}

/* The slot that holds the current process's timer: its first thread's (a zombie while the
 * other threads run on, but kept until the last one ends). */
static struct proc *timer_holder(void)
{
    struct proc *leader = proc_find(current->tgid);
    return leader ? leader : current;
}

/* The timer as getitimer reports it: what is left (never 0 while armed: Linux says 1 µs) and
 * the interval as it was set. */
static struct itimerval read_real(const struct proc *p)
{
    struct itimerval v = { .it_interval = timeval_of(p->alarm_interval_us) };
    if (p->alarm_tick != 0) {
        uint64_t now = clock_ticks();
        uint64_t left = p->alarm_tick > now + 1 ? p->alarm_tick - now - 1 : 0;
        uint64_t us = left * (NS_PER_TICK / 1000);
        v.it_value = timeval_of(us ? us : 1);
    }
    return v;
}

/* Arms (or, for a zero it_value, disarms) the real timer of p. The first expiry comes at least
 * it_value from now: the tick in progress counts for nothing. */
static void arm_real(struct proc *p, const struct itimerval *v)
{
    uint64_t value = timeval_us(&v->it_value);
    p->alarm_tick = value ? clock_ticks() + ticks_covering(value) + 1 : 0;
    p->alarm_interval_us = value ? timeval_us(&v->it_interval) : 0;
}

/* ITIMER_VIRTUAL is CPU timer 0, ITIMER_PROF timer 1. */
static int cpu_timer(int which)
{
    return which == ITIMER_VIRTUAL ? 0 : 1;
}

static struct itimerval read_cpu(const struct proc *p, int i)
{
    uint64_t us_per_tick = NS_PER_TICK / 1000;
    return (struct itimerval){ .it_interval = timeval_of(p->cpu_timer_interval_us[i]),
                               .it_value = timeval_of(p->cpu_timer_left[i] * us_per_tick) };
}

static void arm_cpu(struct proc *p, int i, const struct itimerval *v)
{
    uint64_t value = timeval_us(&v->it_value);
    p->cpu_timer_left[i] = value ? ticks_covering(value) : 0;
    p->cpu_timer_interval_us[i] = value ? timeval_us(&v->it_interval) : 0;
}

/* Linux's do_setitimer: the old value into *old (when old is not NULL), then the new one. */
static long set_timer(int which, const struct itimerval *v, struct itimerval *old)
{
    struct proc *p = timer_holder();
    switch (which) {
    case ITIMER_REAL:
        if (old) {
            *old = read_real(p);
        }
        arm_real(p, v);
        return 0;
    case ITIMER_VIRTUAL:
    case ITIMER_PROF:
        if (old) {
            *old = read_cpu(p, cpu_timer(which));
        }
        arm_cpu(p, cpu_timer(which), v);
        return 0;
    default:
        return -EINVAL;
    }
}

/* Linux's setitimer: value NULL disarms (as Linux allows, with a warning); the new value is
 * checked before anything changes; the old one is written after (-EFAULT then, set anyway). */
long sys_setitimer(int which, uint32_t user_value, uint32_t user_old)
{
    struct itimerval v = { 0 };
    if (user_value) {
        if (copy_from_user(&v, user_value, sizeof(v)) != 0) {
            return -EFAULT;
        }
        if (!timeval_valid(&v.it_value) || !timeval_valid(&v.it_interval)) {
            return -EINVAL;
        }
    }
    struct itimerval old;
    long err = set_timer(which, &v, user_old ? &old : NULL);
    if (err != 0 || !user_old) {
        return err;
    }
    return copy_to_user(user_old, &old, sizeof(old)) == 0 ? 0 : -EFAULT;
}

/* Linux's getitimer: timer which as it stands; -EINVAL for an unknown timer, then -EFAULT. */
long sys_getitimer(int which, uint32_t user_value)
{
    struct itimerval v;
    if (which == ITIMER_REAL) {
        v = read_real(timer_holder());
    } else if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
        v = read_cpu(timer_holder(), cpu_timer(which));
    } else {
        return -EINVAL;
    }
    return copy_to_user(user_value, &v, sizeof(v)) == 0 ? 0 : -EFAULT;
}

/* Linux's alarm: a one-shot ITIMER_REAL of seconds (0 cancels); returns the seconds the old
 * one had left, rounded to the nearest and never 0 while one was armed. */
long sys_alarm(uint32_t seconds)
{
    if (seconds > INT_MAX_SECONDS) {
        seconds = INT_MAX_SECONDS;
    }
    struct itimerval v = { .it_value = { (int32_t)seconds, 0 } };
    struct itimerval old;
    set_timer(ITIMER_REAL, &v, &old);
    uint32_t left = (uint32_t)old.it_value.tv_sec;
    if ((left == 0 && old.it_value.tv_usec != 0) || old.it_value.tv_usec >= 500000) {
        left++;
    }
    return (long)left;
}

/* Charges one tick to the CPU timer i of the process whose timers p holds; at 0 it sends sig
 * and reloads. */
static void charge_cpu(struct proc *p, int i, int sig)
{
    if (p->cpu_timer_left[i] == 0 || --p->cpu_timer_left[i] != 0) {
        return;
    }
    struct signal_info info = { .code = SI_KERNEL };
    signal_send_process(p->tgid, sig, &info);
    uint64_t step = ticks_covering(p->cpu_timer_interval_us[i]);
    p->cpu_timer_left[i] = p->cpu_timer_interval_us[i] ? (step ? step : 1) : 0;
}

void itimer_tick(uint64_t now)
{
    struct proc *running = current ? proc_find(current->tgid) : NULL;
    if (running) {
        if (arch_irq_from_user()) {
            charge_cpu(running, 0, SIGVTALRM);
        }
        charge_cpu(running, 1, SIGPROF);
    }
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *p = (struct proc *)&table[i];
        if (p->state == PROC_FREE || p->alarm_tick == 0 || p->alarm_tick > now) {
            continue;
        }
        struct signal_info info = { .code = SI_KERNEL };
        signal_send_process(p->tgid, SIGALRM, &info);
        if (p->alarm_interval_us) {
            uint64_t step = ticks_covering(p->alarm_interval_us);
            p->alarm_tick += step ? step : 1;
            if (p->alarm_tick <= now) {
                p->alarm_tick = now + 1; /* missed ticks are not made up */
            }
        } else {
            p->alarm_tick = 0;
        }
    }
}
