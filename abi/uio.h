#pragma once
/* struct iovec for readv(2) and writev(2), Linux i386's layout (8 bytes), and the most a call
 * takes (IOV_MAX, UIO_MAXIOV in Linux). */
#include <stdint.h>

#define IOV_MAX 1024

struct iovec {
    void *iov_base;
    uint32_t iov_len;
};
