/*
 * System calls that move data through descriptors: read, write, readv, writev, lseek, _llseek,
 * getdents64 and ioctl, on the console, /dev/null, pipes and the read-only file tree.
 */
#include <errno.h>
#include <syscall.h>
#include <fd.h>
#include <file.h>
#include <fs.h>
#include <heap.h>
#include <lib/string.h>
#include <lib/text.h>
#include <proc.h>
#include <tty.h>
#include <uaccess.h>

#include <abi/dirent.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <abi/uio.h>

#include <arch/memlayout.h>

/*
 * read and write hold a reference to the open file while they work: they may sleep (a pipe,
 * the tty), and another thread of the process may close the descriptor meanwhile (Linux's
 * fdget/fdput).
 */
long sys_write(int fd, uint32_t buf, uint32_t count)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (count > 0x7fffffffu || !user_range_ok(buf, count)) {
        return -EFAULT;
    }
    file_ref(f);
    long result = count ? file_write(f, buf, count) : 0;
    file_close(f);
    return result;
}

long sys_read(int fd, uint32_t buf, uint32_t count)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (count > 0x7fffffffu || !user_range_ok(buf, count)) {
        return -EFAULT;
    }
    file_ref(f);
    long result = count ? file_read(f, buf, count) : 0;
    file_close(f);
    return result;
}

/*
 * readv and writev, in Linux's order: a bad descriptor, then a bad count (-EINVAL: negative or
 * more than IOV_MAX), then every iovec checked before any byte moves (-EFAULT for the array or
 * a buffer outside the user half, -EINVAL for a length that does not fit a long, alone or
 * summed). Then the segments in order, stopping at the first short transfer; an error after
 * some bytes moved returns the bytes. A read stops after the first segment that got data unless
 * the file is a tree file (a second segment would wait for another line or pipe write, where
 * Linux returns what one read found).
 */
static long vector_io(int fd, uint32_t user_iov, int count, bool writing)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (count < 0 || count > IOV_MAX) {
        return -EINVAL;
    }
    if (count == 0) {
        return 0;
    }
    /* The array is read once, into the kernel: what was checked is what is used. */
    struct iovec *v = kmalloc((uint32_t)count * sizeof(*v));
    if (v == NULL) {
        return -ENOMEM;
    }
    file_ref(f); /* kept while the transfers may sleep (see sys_write) */
    long result = 0;
    if (copy_from_user(v, user_iov, (uint32_t)count * sizeof(*v)) != 0) {
        result = -EFAULT;
    }
    uint32_t total = 0;
    for (int i = 0; i < count && result == 0; i++) {
        if (v[i].iov_len > 0x7fffffffu || v[i].iov_len > 0x7fffffffu - total) {
            result = -EINVAL;
        } else if (!user_range_ok((uint32_t)(uintptr_t)v[i].iov_base, v[i].iov_len)) {
            result = -EFAULT;
        } else {
            total += v[i].iov_len;
        }
    }
    for (int i = 0; i < count && result >= 0; i++) {
        if (v[i].iov_len == 0) {
            continue;
        }
        uint32_t base = (uint32_t)(uintptr_t)v[i].iov_base;
        long got = writing ? file_write(f, base, v[i].iov_len) : file_read(f, base, v[i].iov_len);
        if (got < 0) {
            result = result ? result : got;
            break;
        }
        result += got;
        if ((uint32_t)got < v[i].iov_len || (!writing && f->type != FILE_TREE)) {
            break;
        }
    }
    kfree(v);
    file_close(f);
    return result;
}

long sys_readv(int fd, uint32_t user_iov, int count)
{
    return vector_io(fd, user_iov, count, false);
}

long sys_writev(int fd, uint32_t user_iov, int count)
{
    return vector_io(fd, user_iov, count, true);
}

/* Moves f's position to offset from whence; the new position, or -ESPIPE / -EINVAL. */
static int64_t seek(struct file *f, int64_t offset, int whence)
{
    if (f->type != FILE_TREE || f->node->kind == FS_DIRECTORY) {
        return -ESPIPE;
    }
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->offset
                   : whence == SEEK_END ? (int64_t)f->node->size
                                        : -1;
    if (base < 0) {
        return -EINVAL;
    }
    /* base is 0..2^31, so comparing offset with these bounds cannot overflow. */
    if (offset < -base || offset > 0x7fffffff - base) {
        return -EINVAL; /* before the start, or past what a 32-bit offset holds */
    }
    int64_t target = base + offset;
    f->offset = (uint32_t)target;
    return target;
}

long sys_lseek(int fd, int32_t offset, int whence)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    return (long)seek(f, offset, whence);
}

/* Linux's _llseek: the 64-bit offset comes in two halves and the result goes to *result. */
long sys_llseek(int fd, uint32_t offset_high, uint32_t offset_low, uint32_t user_result,
                int whence)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    int64_t target = seek(f, (int64_t)((uint64_t)offset_high << 32 | offset_low), whence);
    if (target < 0) {
        return (long)target;
    }
    return copy_to_user(user_result, &target, sizeof(target));
}

static uint8_t dirent_type(const struct fs_file *f)
{
    switch (f->kind) {
    case FS_DIRECTORY:
        return DT_DIR;
    case FS_DEVICE_NULL:
    case FS_DEVICE_TTY:
        return DT_CHR;
    default:
        return DT_REG;
    }
}

long sys_getdents64(int fd, uint32_t user_buf, uint32_t count)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->type != FILE_TREE || f->node->kind != FS_DIRECTORY) {
        return -ENOTDIR;
    }
    if (!user_range_ok(user_buf, count)) {
        return -EFAULT;
    }
    uint32_t written = 0;
    for (;;) {
        uint32_t cursor = f->offset;
        const struct fs_file *child = fs_next_child(f->node, &cursor);
        if (child == NULL) {
            break;
        }
        const char *name = strrchr(child->path, '/') + 1;
        uint32_t name_len = (uint32_t)strlen(name);
        uint32_t reclen = (uint32_t)((sizeof(struct linux_dirent64) + name_len + 1 + 7) & ~7u);
        if (written + reclen > count) {
            if (written == 0) {
                return -EINVAL; /* the buffer cannot hold even one entry */
            }
            break;
        }
        struct {
            struct linux_dirent64 head;
            char name[FS_PATH_MAX + 8];
        } record;
        memset(&record, 0, reclen);
        record.head.d_ino = fs_index(child) + 1;
        record.head.d_off = cursor;
        record.head.d_reclen = (uint16_t)reclen;
        record.head.d_type = dirent_type(child);
        memcpy(record.head.d_name, name, name_len + 1);
        if (copy_to_user(user_buf + written, &record, reclen) != 0) {
            return -EFAULT;
        }
        written += reclen;
        f->offset = cursor;
    }
    return (long)written;
}

long sys_ioctl(int fd, uint32_t request, uint32_t arg)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->type != FILE_CONSOLE) {
        return -ENOTTY;
    }
    return tty_ioctl(request, arg);
}
