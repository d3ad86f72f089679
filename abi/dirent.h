#pragma once
/* Records of getdents64(2) (call 220), as Linux's struct linux_dirent64. */
#include <stdint.h>

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_REG     8
#define DT_LNK     10

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen; /* the whole record, 8-byte aligned */
    uint8_t d_type;
    char d_name[]; /* NUL-terminated */
};
