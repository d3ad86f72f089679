#pragma once
/*
 * Open files: what a file descriptor points at. Several descriptors (after dup or fork) can share
 * one open file, with one offset; the file goes away when the last one is closed.
 */
#include <stdint.h>

#include <fs.h>

enum file_type {
    FILE_CONSOLE,    /* the tty */
    FILE_NULL,       /* /dev/null */
    FILE_TREE,       /* a file or directory of the read-only tree */
    FILE_PIPE_READ,
    FILE_PIPE_WRITE,
};

struct pipe;

struct file {
    enum file_type type;
    unsigned refs;
    uint32_t offset;            /* tree files: the read position; directories: the next entry */
    uint32_t status_flags;      /* O_APPEND, O_NONBLOCK, O_ASYNC (fcntl F_GETFL/F_SETFL) */
    const struct fs_file *node; /* tree files */
    struct pipe *pipe;          /* pipe ends */
};

/* A new open file of the given type with one reference, or NULL when out of memory. */
struct file *file_new(enum file_type type);

/* Two ends of a new pipe (one reference each): 0 or -ENOMEM. */
int file_new_pipe(struct file **read_end, struct file **write_end);

void file_ref(struct file *f);

/* Drops a reference; the last one closes the file (and wakes the other end of a pipe). */
void file_close(struct file *f);

/*
 * Copies the path at user address user (from the current process), resolves it against the
 * current directory into resolved and looks it up in the file tree. Returns 0 with *node set,
 * or -EFAULT, -ENAMETOOLONG or -ENOENT (an empty path too).
 */
long lookup_user_path(uint32_t user, char resolved[FS_PATH_MAX], const struct fs_file **node);

/* What poll would report for f now: POLLIN, POLLOUT, POLLHUP, POLLERR (and the RDNORM/WRNORM
 * twins). */
unsigned file_poll(const struct file *f);

/* read/write on the open file, with a user buffer already checked by the caller. */
long file_read(struct file *f, uint32_t user_buf, uint32_t n);
long file_write(struct file *f, uint32_t user_buf, uint32_t n);
