#include <file.h>

#include <chardev.h>
#include <endpoint.h>
#include <frames.h>
#include <heap.h>
#include <kprintf.h>
#include <lib/string.h>
#include <proc.h>
#include <sched.h>
#include <tty.h>
#include <poll.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>

#include <arch/memlayout.h>

#define PIPE_SIZE 4096 /* one page; PIPE_BUF too: a write of up to this many bytes is atomic */
#define CHUNK     256u
#define CONSOLE_WRITE_MAX 4096u /* per call: the kernel is not preempted while it writes */

/*
 * One side's sleepers on a pipe, counted: a read or write wakes the other side only when
 * someone sleeps there, so the common read or write that finds nobody waiting scans no list.
 */
struct pipe_sleepers {
    char channel;   /* they sleep here (the address is the channel) */
    unsigned count; /* how many sleep here now */
};

/*
 * Readers and writers wait on channels of their own: a writer that finds the pipe full wakes
 * the readers, never another writer. With one channel for both, two writers on a full pipe
 * woke each other for ever, in the kernel with interrupts off: the machine stopped (found by
 * the system-call fuzzer's hostile_pipe_writers).
 */
struct pipe {
    char *data;    /* one frame */
    uint32_t head; /* next byte to read */
    uint32_t count;
    unsigned readers;
    unsigned writers;
    struct pipe_sleepers reading; /* until there is data or no writer */
    struct pipe_sleepers writing; /* until there is room or no reader */
};

static void pipe_sleep(struct pipe_sleepers *s)
{
    s->count++;
    sched_sleep(&s->channel);
    s->count--;
}

static void pipe_wake(struct pipe_sleepers *s)
{
    if (s->count != 0) {
        sched_wakeup(&s->channel);
    }
}

struct file *file_new(enum file_type type)
{
    struct file *f = kcalloc(1, sizeof(*f));
    if (f) {
        f->type = type;
        f->refs = 1;
        f->access = O_RDWR;
    }
    return f;
}

int file_new_pipe(struct file **read_end, struct file **write_end)
{
    struct pipe *p = kcalloc(1, sizeof(*p));
    uint32_t frame = p ? frame_alloc() : 0;
    struct file *r = file_new(FILE_PIPE_READ);
    struct file *w = file_new(FILE_PIPE_WRITE);
    if (!p || !frame || !r || !w) {
        if (frame) {
            frame_free(frame);
        }
        kfree(p);
        kfree(r);
        kfree(w);
        return -ENOMEM;
    }
    p->data = phys_to_virt(frame);
    p->readers = p->writers = 1;
    r->pipe = w->pipe = p;
    r->access = O_RDONLY;
    w->access = O_WRONLY;
    *read_end = r;
    *write_end = w;
    return 0;
}

void file_ref(struct file *f)
{
    f->refs++;
}

void file_close(struct file *f)
{
    if (f->refs == 0) { /* a reference dropped twice: the file would be freed under someone */
        panic("file_close: %s closed more often than it was opened", f->path ? f->path : "a file");
    }
    if (--f->refs > 0) {
        return;
    }
    if (f->node) {
        if (f->node->ops->release) {
            f->node->ops->release(f->node, f);
        }
        inode_put(f->node);
    }
    kfree(f->path);
    kfree(f->text);
    struct pipe *p = f->pipe;
    if (p) {
        if (f->type == FILE_PIPE_READ) {
            p->readers--;
        } else {
            p->writers--;
        }
        sched_wakeup(f->type == FILE_PIPE_READ ? &p->writing.channel : &p->reading.channel);
        poll_notify(); /* the other end sees EOF or EPIPE */
        if (p->readers == 0 && p->writers == 0) {
            frame_free(virt_to_phys(p->data));
            kfree(p);
        }
    }
    if (f->endpoint) {
        endpoint_end_closed(f->endpoint, f->type == FILE_ENDPOINT_RECV);
    }
    kfree(f);
}

static long pipe_read(struct pipe *p, uint32_t buf, uint32_t n, bool nonblock)
{
    while (p->count == 0) {
        if (p->writers == 0) {
            return 0; /* end of file */
        }
        if (nonblock) {
            return -EAGAIN;
        }
        if (signal_pending(current)) {
            return -ERESTARTSYS; /* checked after the data: bytes that came are read first */
        }
        pipe_sleep(&p->reading);
    }
    uint32_t done = 0;
    while (done < n && p->count > 0) {
        uint32_t run = PIPE_SIZE - p->head; /* contiguous bytes before the wrap */
        if (run > p->count) {
            run = p->count;
        }
        if (run > n - done) {
            run = n - done;
        }
        if (copy_to_user(buf + done, p->data + p->head, run) != 0) {
            return done ? (long)done : -EFAULT;
        }
        p->head = (p->head + run) % PIPE_SIZE;
        p->count -= run;
        done += run;
    }
    pipe_wake(&p->writing);
    poll_notify();
    return (long)done;
}

/* A write of at most PIPE_SIZE bytes goes in whole or waits (POSIX's PIPE_BUF atomicity);
 * a longer one goes in as room appears. */
static long pipe_write(struct pipe *p, uint32_t buf, uint32_t n, bool nonblock)
{
    uint32_t done = 0;
    uint32_t atomic = n <= PIPE_SIZE ? n : 1;
    while (done < n) {
        if (p->readers == 0) {
            struct signal_info info = { .code = SI_USER, .pid = current->tgid };
            signal_send(current, SIGPIPE, &info); /* ends the writer unless it handles it */
            return done ? (long)done : -EPIPE;
        }
        if (PIPE_SIZE - p->count < (done ? 1 : atomic)) {
            pipe_wake(&p->reading);
            poll_notify();
            if (nonblock) {
                return done ? (long)done : -EAGAIN;
            }
            if (signal_pending(current)) {
                return done ? (long)done : -ERESTARTSYS;
            }
            pipe_sleep(&p->writing);
            continue;
        }
        uint32_t tail = (p->head + p->count) % PIPE_SIZE;
        uint32_t run = tail >= p->head ? PIPE_SIZE - tail : p->head - tail;
        if (run > PIPE_SIZE - p->count) {
            run = PIPE_SIZE - p->count;
        }
        if (run > n - done) {
            run = n - done;
        }
        if (copy_from_user(p->data + tail, buf + done, run) != 0) {
            return done ? (long)done : -EFAULT;
        }
        p->count += run;
        done += run;
    }
    pipe_wake(&p->reading);
    poll_notify();
    return (long)done;
}

/* Reading and writing a file of a file system at its position. */
static long inode_io(struct file *f, uint32_t buf, uint32_t n, bool writing)
{
    struct inode *node = f->node;
    if ((node->mode & S_IFMT) == S_IFDIR) {
        return -EISDIR;
    }
    long (*io)(struct inode *, struct file *, uint32_t, uint32_t, uint32_t) =
        writing ? node->ops->write : node->ops->read;
    if (io == NULL) {
        return -EINVAL;
    }
    if (writing && (f->status_flags & O_APPEND)) {
        f->offset = node->size;
    }
    long done = io(node, f, buf, n, f->offset);
    if (done > 0) {
        f->offset += (uint32_t)done;
    }
    return done;
}

long file_read(struct file *f, uint32_t buf, uint32_t n)
{
    if (f->access == O_WRONLY || f->access == O_PATH) {
        return -EBADF;
    }
    switch (f->type) {
    case FILE_CONSOLE: {
        char chunk[CHUNK];
        bool nonblock = (f->status_flags & O_NONBLOCK) != 0;
        long got = tty_read(chunk, n < CHUNK ? n : CHUNK, nonblock);
        if (got > 0 && copy_to_user(buf, chunk, (uint32_t)got) != 0) {
            return -EFAULT;
        }
        return got;
    }
    case FILE_DEVICE:
        return chardev_read(f, buf, n);
    case FILE_INODE:
        return inode_io(f, buf, n, false);
    case FILE_PIPE_READ:
        return pipe_read(f->pipe, buf, n, (f->status_flags & O_NONBLOCK) != 0);
    default:
        return -EBADF;
    }
}

long file_write(struct file *f, uint32_t buf, uint32_t n)
{
    if (f->access == O_RDONLY || f->access == O_PATH) {
        return -EBADF;
    }
    switch (f->type) {
    case FILE_CONSOLE: {
        char chunk[CHUNK];
        if (n > CONSOLE_WRITE_MAX) {
            n = CONSOLE_WRITE_MAX; /* a short write: the caller writes the rest next time */
        }
        for (uint32_t done = 0; done < n;) {
            uint32_t count = n - done < CHUNK ? n - done : CHUNK;
            if (copy_from_user(chunk, buf + done, count) != 0) {
                return done ? (long)done : -EFAULT;
            }
            tty_write(chunk, count);
            done += count;
        }
        return (long)n;
    }
    case FILE_DEVICE:
        return chardev_write(f, buf, n);
    case FILE_INODE:
        return inode_io(f, buf, n, true);
    case FILE_PIPE_WRITE:
        return pipe_write(f->pipe, buf, n, (f->status_flags & O_NONBLOCK) != 0);
    default:
        return -EBADF;
    }
}

unsigned file_poll(const struct file *f)
{
    switch (f->type) {
    case FILE_CONSOLE:
        return (tty_readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
    case FILE_PIPE_READ:
        return (f->pipe->count > 0 ? POLLIN | POLLRDNORM : 0) |
               (f->pipe->writers == 0 ? POLLHUP : 0);
    case FILE_PIPE_WRITE:
        if (f->pipe->readers == 0) {
            return POLLOUT | POLLWRNORM | POLLERR;
        }
        return f->pipe->count < PIPE_SIZE ? POLLOUT | POLLWRNORM : 0;
    default:
        return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM; /* files and devices never wait */
    }
}
