#pragma once
/*
 * Time: the timer ticks CLOCK_HZ times a second. Monotonic time counts ticks since boot;
 * real time adds the CMOS clock's reading at boot.
 */
#include <stdint.h>

#define CLOCK_HZ 100
#define NS_PER_TICK (1000000000u / CLOCK_HZ)

/* Reads the real-time clock and starts the timer. */
void clock_init(void);

/* The timer interrupt: counts, wakes sleepers whose time has come, asks for preemption. */
void clock_tick(void);

uint64_t clock_ticks(void);
uint64_t clock_monotonic_ns(void);

/* Seconds since 1970 at boot (0 when the CMOS clock could not be read). */
uint32_t clock_boot_realtime(void);

/*
 * Blocks the current process for at least ns nanoseconds: until the tick after the one in which
 * they have passed. Returns the nanoseconds still left when a signal ended it early, else 0.
 */
uint64_t clock_sleep_ns(uint64_t ns);
