#include <clock.h>

#include <arch.h>
#include <proc.h>
#include <sched.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/time.h>

static volatile uint64_t ticks;
static uint32_t boot_realtime;

void clock_init(void)
{
    boot_realtime = arch_rtc_seconds();
    arch_timer_start(CLOCK_HZ);
}

void clock_on_tick(void)
{
    ticks++;
    proc_wake_sleepers(ticks);
    itimer_tick(ticks);
    sched_clock_tick(); /* the load average, and this CPU's slice */
}

uint64_t clock_ticks(void)
{
    return ticks;
}

uint64_t clock_monotonic_ns(void)
{
    return ticks * NS_PER_TICK;
}

uint32_t clock_boot_realtime(void)
{
    return boot_realtime;
}

uint64_t clock_sleep_ns(uint64_t ns)
{
    /* +1: the current tick is already partly over, and we must sleep at least ns. */
    uint64_t wake = ticks + (ns + NS_PER_TICK - 1) / NS_PER_TICK + 1;
    current->wake_tick = wake;
    while (ticks < wake && !signal_pending(current)) {
        sched_sleep((const void *)&ticks); /* a signal ends it: the caller learns what is left */
    }
    current->wake_tick = 0;
    return ticks < wake ? (wake - ticks) * NS_PER_TICK : 0;
}

long clock_timespec_from_user(uint32_t user_ts, bool time64, int64_t *ns)
{
    int64_t sec;
    int64_t nsec;
    if (time64) {
        struct timespec64 ts;
        if (copy_from_user(&ts, user_ts, sizeof(ts)) != 0) {
            return -EFAULT;
        }
        sec = ts.tv_sec;
        nsec = (int32_t)ts.tv_nsec;
    } else {
        struct timespec ts;
        if (copy_from_user(&ts, user_ts, sizeof(ts)) != 0) {
            return -EFAULT;
        }
        sec = ts.tv_sec;
        nsec = ts.tv_nsec;
    }
    if (sec < 0 || nsec < 0 || nsec >= 1000000000) {
        return -EINVAL;
    }
    if (sec > 0x7fffffff) {
        sec = 0x7fffffff;
    }
    *ns = sec * 1000000000 + nsec;
    return 0;
}
