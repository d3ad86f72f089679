/*
 * System calls that move data through descriptors: read, write, readv, writev, pread64,
 * pwrite64, lseek, _llseek, getdents64 and ioctl, on the console, devices, pipes and the files
 * and directories of the file systems.
 */
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
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <abi/uio.h>

#include <arch/memlayout.h>

/*
 * read and write hold a reference to the open file while they work: they may sleep (a pipe,
 * the tty), and another thread of the process may close the descriptor meanwhile (Linux's
 * fdget/fdput). Like Linux's fdget, they take it only when the descriptor table is shared:
 * with one owner, nobody else can close the descriptor during the call, and the reference
 * would be two calls for nothing on every read and write.
 */
static bool hold_file(struct file *f)
{
    if (current->files->refs == 1) {
        return false;
    }
    file_ref(f);
    return true;
}

/* Drops what hold_file took. */
static void release_file(struct file *f, bool held)
{
    if (held) {
        file_close(f);
    }
}

long sys_write(int fd, uint32_t buf, uint32_t count)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (count > 0x7fffffffu || !user_range_ok(buf, count)) {
        return -EFAULT;
    }
    bool held = hold_file(f);
    long result = count ? file_write(f, buf, count) : 0;
    release_file(f, held);
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
    bool held = hold_file(f);
    long result = count ? file_read(f, buf, count) : 0;
    release_file(f, held);
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
        if ((uint32_t)got < v[i].iov_len || (!writing && f->type != FILE_INODE)) {
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

/* Moves f's position to offset from whence; the new position, or -ESPIPE / -EINVAL. A
 * directory's position is an entry number (rewinddir seeks it to 0). */
static int64_t seek(struct file *f, int64_t offset, int whence)
{
    if (f->type != FILE_INODE && f->type != FILE_DEVICE) {
        return -ESPIPE;
    }
    if (f->type == FILE_DEVICE) {
        return 0; /* null, zero, random: Linux says 0 whatever is asked */
    }
    bool dir = (f->node->mode & S_IFMT) == S_IFDIR;
    int64_t base = whence == SEEK_SET           ? 0
                   : whence == SEEK_CUR         ? (int64_t)f->offset
                   : whence == SEEK_END && !dir ? (int64_t)f->node->size
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
long sys_llseek(int fd, uint32_t offset_high, uint32_t offset_low, uint32_t user_result, int whence)
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

/* pread64 and pwrite64: at pos, leaving the file's position alone (O_APPEND aside, as Linux:
 * pwrite on an O_APPEND file appends). */
static long positioned_io(int fd, uint32_t buf, uint32_t count, uint32_t pos_low, uint32_t pos_high,
                          bool writing)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    int64_t pos = (int64_t)((uint64_t)pos_high << 32 | pos_low);
    if (pos < 0) {
        return -EINVAL;
    }
    if (f->type != FILE_INODE && f->type != FILE_DEVICE) {
        return -ESPIPE;
    }
    if (count > 0x7fffffffu || !user_range_ok(buf, count)) {
        return -EFAULT;
    }
    if (pos > 0x7fffffff) {
        return writing ? -EFBIG : 0;
    }
    file_ref(f);
    uint32_t saved = f->offset;
    f->offset = (uint32_t)pos;
    long result = count == 0 ? 0 : writing ? file_write(f, buf, count) : file_read(f, buf, count);
    f->offset = saved;
    file_close(f);
    return result;
}

long sys_pread64(int fd, uint32_t buf, uint32_t count, uint32_t pos_low, uint32_t pos_high)
{
    return positioned_io(fd, buf, count, pos_low, pos_high, false);
}

long sys_pwrite64(int fd, uint32_t buf, uint32_t count, uint32_t pos_low, uint32_t pos_high)
{
    return positioned_io(fd, buf, count, pos_low, pos_high, true);
}

/* The directory entry at position *pos of dir: "." and ".." first, then the file system's;
 * moves *pos on. False after the last. */
static bool entry_at(struct inode *dir, uint32_t *pos, struct dir_entry *out)
{
    if (*pos < 2) {
        struct inode *node = *pos == 0 ? inode_get(dir) : NULL;
        if (node == NULL && vfs_walk(dir, "..", 0, &node) != 0) {
            node = inode_get(dir);
        }
        out->ino = node->ino;
        out->type = vfs_dirent_type(S_IFDIR);
        strlcpy(out->name, *pos == 0 ? "." : "..", sizeof(out->name));
        inode_put(node);
        (*pos)++;
        return true;
    }
    uint32_t cursor = *pos - 2;
    if (dir->ops->next_entry == NULL || !dir->ops->next_entry(dir, &cursor, out)) {
        return false;
    }
    *pos = cursor + 2;
    return true;
}

long sys_getdents64(int fd, uint32_t user_buf, uint32_t count)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->node == NULL || (f->node->mode & S_IFMT) != S_IFDIR || f->access == O_PATH) {
        return f->access == O_PATH ? -EBADF : -ENOTDIR;
    }
    if (!user_range_ok(user_buf, count)) {
        return -EFAULT;
    }
    /* One record: the header, the longest name with its NUL, and up to 7 bytes of padding. */
    const uint32_t record_size = sizeof(struct linux_dirent64) + NAME_MAX + 1 + 8;
    struct linux_dirent64 *record = kmalloc(record_size);
    struct dir_entry *entry = kmalloc(sizeof(*entry));
    long result = record && entry ? 0 : -ENOMEM;
    uint32_t written = 0;
    while (result == 0) {
        uint32_t pos = f->offset;
        if (!entry_at(f->node, &pos, entry)) {
            break;
        }
        uint32_t name_len = (uint32_t)strlen(entry->name);
        uint32_t reclen = (uint32_t)((sizeof(struct linux_dirent64) + name_len + 1 + 7) & ~7u);
        if (written + reclen > count) {
            if (written == 0) {
                result = -EINVAL; /* the buffer cannot hold even one entry */
            }
            break;
        }
        memset(record, 0, reclen);
        record->d_ino = entry->ino;
        record->d_off = pos;
        record->d_reclen = (uint16_t)reclen;
        record->d_type = entry->type;
        memcpy(record->d_name, entry->name, name_len + 1);
        if (copy_to_user(user_buf + written, record, reclen) != 0) {
            result = -EFAULT;
            break;
        }
        written += reclen;
        f->offset = pos;
    }
    kfree(record);
    kfree(entry);
    return result < 0 ? result : (long)written;
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
