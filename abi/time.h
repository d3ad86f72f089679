#pragma once
/* Time for clock_gettime(2) and nanosleep(2), 32-bit as Linux i386's original calls. */
#include <stdint.h>

#define CLOCK_REALTIME         0
#define CLOCK_MONOTONIC        1
#define CLOCK_MONOTONIC_RAW    4
#define CLOCK_REALTIME_COARSE  5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME         7

struct timespec {
    int32_t tv_sec;
    int32_t tv_nsec;
};

/* struct __kernel_timespec, for the 64-bit-time calls (clock_gettime64): 16 bytes. */
struct timespec64 {
    int64_t tv_sec;
    int64_t tv_nsec;
};

/* setitimer(2) and getitimer(2): which timer, and struct itimerval (16 bytes on i386). */
#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

struct timeval {
    int32_t tv_sec;
    int32_t tv_usec;
};

struct itimerval {
    struct timeval it_interval; /* reloaded when the timer expires; zero: one shot */
    struct timeval it_value;    /* time left; zero: disarmed */
};
