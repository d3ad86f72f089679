#pragma once
/*
 * Reading directories. getdents64(2) (generated prototype) fills a buffer with
 * struct linux_dirent64 records (abi/dirent.h); opendir/readdir/closedir walk them one at a
 * time. readdir returns the kernel's record itself, so the name is d->d_name and the type
 * d->d_type (DT_DIR, DT_REG, DT_CHR, or DT_UNKNOWN).
 */
#include <sys/cdefs.h>
#include <abi/dirent.h>

__BEGIN_DECLS
#include <syscalls.h>

typedef struct dir_stream DIR;

/* Opens the directory at path. Returns a stream, or NULL with errno (ENOENT, ENOTDIR, ENOMEM). */
DIR *opendir(const char *path);
/*
 * The next entry, or NULL at the end (errno unchanged) or on an error (errno set). The record
 * stays valid until the next readdir or closedir on the same stream.
 */
struct linux_dirent64 *readdir(DIR *dir);
/* Closes the stream and frees it. Returns 0, or -1 with errno. */
int closedir(DIR *dir);
/* The descriptor under the stream. */
int dirfd(DIR *dir);
__END_DECLS
