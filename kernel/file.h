#pragma once
/*
 * Open files: what a file descriptor points at. Several descriptors (after dup or fork) can share
 * one open file, with one offset; the file goes away when the last one is closed.
 */
#include <stdint.h>

#include <vfs.h>

enum file_type {
    FILE_CONSOLE, /* the tty (/dev/tty, /dev/console, /dev/ttyS0, and every process's 0-2) */
    FILE_INODE,   /* a file, directory or symbolic link (O_PATH) of a file system */
    FILE_DEVICE,  /* a character device other than the tty: null, zero, full, random */
    FILE_PIPE_READ,
    FILE_PIPE_WRITE,
    FILE_ENDPOINT_RECV, /* the receive end of an IPC endpoint (endpoint.h) */
    FILE_ENDPOINT_SEND, /* its send end */
};

struct pipe;
struct endpoint;

struct file {
    enum file_type type;
    unsigned refs;
    uint32_t offset;       /* files: the position; directories: the next entry */
    uint32_t access;       /* O_RDONLY, O_WRONLY or O_RDWR, as opened; O_PATH for O_PATH */
    uint32_t status_flags; /* O_APPEND, O_NONBLOCK, O_ASYNC (fcntl F_GETFL/F_SETFL) */
    struct inode *node;    /* opened by name: the inode (referenced) */
    char *path;            /* opened by name: the absolute path it was opened by */
    struct pipe *pipe;     /* pipe ends */
    char *text;            /* procfs: the file's text, made at open */
    uint32_t text_size;
    struct endpoint *endpoint; /* endpoint ends */
};

/* A new open file of the given type with one reference, or NULL when out of memory. */
struct file *file_new(enum file_type type);

/* Two ends of a new pipe (one reference each): 0 or -ENOMEM. */
int file_new_pipe(struct file **read_end, struct file **write_end);

void file_ref(struct file *f);

/* Drops a reference; the last one closes the file (and wakes the other end of a pipe). */
void file_close(struct file *f);

/* What poll would report for f now: POLLIN, POLLOUT, POLLHUP, POLLERR (and the RDNORM/WRNORM
 * twins). */
unsigned file_poll(const struct file *f);

/* read/write on the open file, with a user buffer already checked by the caller. */
long file_read(struct file *f, uint32_t user_buf, uint32_t n);
long file_write(struct file *f, uint32_t user_buf, uint32_t n);
