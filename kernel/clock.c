#include <clock.h>

#include <arch.h>
#include <proc.h>

static volatile uint64_t ticks;
static uint32_t boot_realtime;

void clock_init(void)
{
    boot_realtime = arch_rtc_seconds();
    arch_timer_start(CLOCK_HZ);
}

void clock_tick(void)
{
    ticks++;
    proc_wake_sleepers(ticks);
    sched_tick();
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
