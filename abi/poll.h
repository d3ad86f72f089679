#pragma once
/* poll(2): struct pollfd and the event bits, Linux i386's. */
#include <stdint.h>

#define POLLIN     0x0001
#define POLLPRI    0x0002
#define POLLOUT    0x0004
#define POLLERR    0x0008
#define POLLHUP    0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLWRNORM 0x0100

struct pollfd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};
