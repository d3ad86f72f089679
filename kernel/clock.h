#pragma once
/*
 * Time: the timer ticks CLOCK_HZ times a second. Monotonic time counts ticks since boot;
 * real time adds the CMOS clock's reading at boot.
 */
#include <stdbool.h>
#include <stdint.h>

#define CLOCK_HZ    100
#define NS_PER_TICK (1000000000u / CLOCK_HZ)

/* Reads the real-time clock and starts the timer. */
void clock_init(void);

/* Timer ticks since boot (CLOCK_HZ a second), and the monotonic clock in nanoseconds. */
uint64_t clock_ticks(void);
uint64_t clock_monotonic_ns(void);

/* Seconds since 1970 at boot (0 when the CMOS clock could not be read). */
uint32_t clock_boot_realtime(void);

/*
 * Blocks the current process for at least ns nanoseconds: until the tick after the one in which
 * they have passed. Returns the nanoseconds still left when a signal ended it early, else 0.
 */
uint64_t clock_sleep_ns(uint64_t ns);

/*
 * Reads a timeout or time at user address user_ts: a struct timespec (32-bit seconds) or, with
 * time64, a struct timespec64 (the *_time64 calls; as on a 32-bit Linux kernel, only the low
 * half of its nanoseconds counts). Stores it in *ns (seconds past 2038 are cut there: for
 * ever, here). Returns 0, -EFAULT, or -EINVAL for a negative time or nanoseconds not below
 * one second.
 */
long clock_timespec_from_user(uint32_t user_ts, bool time64, int64_t *ns);
