#pragma once
/* Time for clock_gettime(2) and nanosleep(2), 32-bit as Linux i386's original calls. */
#include <stdint.h>

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

struct timespec {
    int32_t tv_sec;
    int32_t tv_nsec;
};
