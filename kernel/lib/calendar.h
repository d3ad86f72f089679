#pragma once
/* The calendar: seconds since the Unix epoch as a UTC date and time of day. Pure C. */
#include <stdint.h>

struct calendar_time {
    int64_t year; /* e.g. 2026 */
    int month;    /* 0 (January) .. 11 */
    int day;      /* 1 .. 31 */
    int hour;     /* 0 .. 23 */
    int minute;
    int second;
    int weekday; /* 0 (Sunday) .. 6 */
    int yearday; /* 0 (January 1st) .. 365 */
};

/*
 * Fills out with the UTC date and time seconds after the epoch (negative: before it), in the
 * proleptic Gregorian calendar (glibc's gmtime). Any int64_t whose year fits an int64_t works.
 */
void calendar_from_epoch(int64_t seconds, struct calendar_time *out);
