#pragma once
/*
 * clock_gettime(2) and nanosleep(2) (generated prototypes) with struct timespec and the clock
 * numbers from abi/time.h, two helpers for measuring with them, and the calendar (UTC: Ringlet
 * has no time zones).
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

/* A broken-down time, as in standard C (tm_year counts from 1900, tm_mon from 0). */
struct tm {
    int tm_sec;
    int tm_min;
    int tm_hour;
    int tm_mday;
    int tm_mon;
    int tm_year;
    int tm_wday;
    int tm_yday;
};

/* Fills out with the UTC date and time seconds after the Unix epoch (negative: before it);
 * returns out. The proleptic Gregorian calendar, as glibc's gmtime_r. */
struct tm *gmtime64_r(int64_t seconds, struct tm *out);

/* "Jan".."Dec" for month 0..11 (the abbreviations ls and date print). */
const char *month_name(int month);
__END_DECLS
