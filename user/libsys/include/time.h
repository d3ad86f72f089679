#pragma once
/*
 * clock_gettime(2) and nanosleep(2) (generated prototypes) with struct timespec and the clock
 * numbers from abi/time.h, plus two helpers for measuring with them.
 */
#include <sys/cdefs.h>
#include <stdint.h>
#include <abi/time.h>

__BEGIN_DECLS
#include <syscalls.h>

/* ts as nanoseconds. */
static inline int64_t timespec_to_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Nanoseconds on CLOCK_MONOTONIC since some fixed point at boot; -1 when the clock fails. */
int64_t monotonic_ns(void);
__END_DECLS
