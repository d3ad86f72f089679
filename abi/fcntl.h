#pragma once
/* open(2) flags and lseek(2) origins, with Linux's values. Ringlet's files are read-only. */
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_ACCMODE   3
#define O_DIRECTORY 0200000

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
