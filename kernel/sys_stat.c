/*
 * Asking about files: the stat family (stat, lstat, fstat, stat64, lstat64, fstat64,
 * fstatat64, statx), statfs/fstatfs and their 64-bit twins, access/faccessat/faccessat2 and
 * readlink/readlinkat. Structure layouts and errno are Linux i386's.
 */
#include <clock.h>
#include <fd.h>
#include <heap.h>
#include <lib/string.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <upath.h>

#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>

#include <arch/memlayout.h>

_Static_assert(sizeof(struct stat64) == 96, "struct stat64 is 96 bytes on i386");
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");
_Static_assert(sizeof(struct statfs64) == 84, "struct statfs64 is 84 bytes on i386");
_Static_assert(sizeof(struct statfs) == 64, "struct statfs is 64 bytes on i386");

/* What a stat call reports, whatever the structure. */
struct kstat {
    uint32_t dev;
    uint32_t ino;
    uint32_t mode;
    uint32_t nlink;
    uint32_t uid;
    uint32_t gid;
    uint32_t rdev;
    uint32_t size;
    struct timestamp atime, mtime, ctime;
};

static void stat_inode(const struct inode *node, struct kstat *st)
{
    *st = (struct kstat){ .dev = node->sb->dev,
                          .ino = node->ino,
                          .mode = node->mode,
                          .nlink = node->links,
                          .uid = node->uid,
                          .gid = node->gid,
                          .rdev = node->rdev,
                          .size = node->size,
                          .atime = node->atime,
                          .mtime = node->mtime,
                          .ctime = node->ctime };
}

/* Files without an inode: the console a process starts with, and pipes. */
static void stat_file(const struct file *f, struct kstat *st)
{
    if (f->node) {
        stat_inode(f->node, st);
        return;
    }
    struct timestamp boot = { .sec = clock_boot_realtime() };
    *st = (struct kstat){ .nlink = 1, .atime = boot, .mtime = boot, .ctime = boot };
    if (f->type == FILE_CONSOLE) {
        st->mode = S_IFCHR | 0620;
        st->rdev = 5 << 8 | 1; /* /dev/console */
    } else {
        st->mode = S_IFIFO | 0600;
        st->ino = (uint32_t)(uintptr_t)f->pipe % 100000u; /* as /proc/PID/fd says pipe:[N] */
    }
}

/* The file a stat call is about, by path at dirfd (AT_EMPTY_PATH: dirfd's own file). */
static long stat_target(int dirfd, uint32_t user_path, int at_flags, struct kstat *st)
{
    if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) {
        return -EINVAL;
    }
    struct inode *node;
    struct file *file;
    long err = upath_lookup(dirfd, user_path, at_flags, &node, &file);
    if (err != 0) {
        return err;
    }
    if (node) {
        stat_inode(node, st);
        inode_put(node);
    } else {
        stat_file(file, st);
    }
    return 0;
}

static long stat_fd(int fd, struct kstat *st)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    stat_file(f, st);
    return 0;
}

/* 512-byte blocks, as Linux's tmpfs counts them: whole pages of a regular file's data (a hole
 * counts here, though it holds no page); a directory, a link or a device takes none. */
static uint32_t blocks_of(const struct kstat *k)
{
    if ((k->mode & S_IFMT) != S_IFREG) {
        return 0;
    }
    return (k->size + PAGE_SIZE - 1) / PAGE_SIZE * (PAGE_SIZE / 512);
}

static long put_stat64(const struct kstat *k, uint32_t user_buf)
{
    struct stat64 st = {
        .st_dev = k->dev,
        .st_ino32 = k->ino,
        .st_mode = k->mode,
        .st_nlink = k->nlink,
        .st_uid = k->uid,
        .st_gid = k->gid,
        .st_rdev = k->rdev,
        .st_size = k->size,
        .st_blksize = PAGE_SIZE,
        .st_blocks = blocks_of(k),
        .st_atime = k->atime.sec,
        .st_atime_nsec = k->atime.nsec,
        .st_mtime = k->mtime.sec,
        .st_mtime_nsec = k->mtime.nsec,
        .st_ctime = k->ctime.sec,
        .st_ctime_nsec = k->ctime.nsec,
        .st_ino = k->ino,
    };
    return copy_to_user(user_buf, &st, sizeof(st));
}

/* The old struct stat: 16-bit fields, and -EOVERFLOW where a value does not fit them. */
static long put_stat(const struct kstat *k, uint32_t user_buf)
{
    if (k->nlink > 0xffff || k->uid > 0xffff || k->gid > 0xffff) {
        return -EOVERFLOW;
    }
    struct stat st = {
        .st_dev = k->dev,
        .st_ino = k->ino,
        .st_mode = (uint16_t)k->mode,
        .st_nlink = (uint16_t)k->nlink,
        .st_uid = (uint16_t)k->uid,
        .st_gid = (uint16_t)k->gid,
        .st_rdev = k->rdev,
        .st_size = k->size,
        .st_blksize = PAGE_SIZE,
        .st_blocks = blocks_of(k),
        .st_atime = k->atime.sec,
        .st_atime_nsec = k->atime.nsec,
        .st_mtime = k->mtime.sec,
        .st_mtime_nsec = k->mtime.nsec,
        .st_ctime = k->ctime.sec,
        .st_ctime_nsec = k->ctime.nsec,
    };
    return copy_to_user(user_buf, &st, sizeof(st));
}

long sys_fstat(int fd, uint32_t user_stat)
{
    struct kstat k;
    long err = stat_fd(fd, &k);
    return err < 0 ? err : put_stat(&k, user_stat);
}

long sys_stat(uint32_t user_path, uint32_t user_stat)
{
    struct kstat k;
    long err = stat_target(AT_FDCWD, user_path, 0, &k);
    return err < 0 ? err : put_stat(&k, user_stat);
}

long sys_lstat(uint32_t user_path, uint32_t user_stat)
{
    struct kstat k;
    long err = stat_target(AT_FDCWD, user_path, AT_SYMLINK_NOFOLLOW, &k);
    return err < 0 ? err : put_stat(&k, user_stat);
}

long sys_fstat64(int fd, uint32_t user_buf)
{
    struct kstat k;
    long err = stat_fd(fd, &k);
    return err < 0 ? err : put_stat64(&k, user_buf);
}

long sys_fstatat64(int dirfd, uint32_t user_path, uint32_t user_buf, int at_flags)
{
    struct kstat k;
    long err = stat_target(dirfd, user_path, at_flags, &k);
    return err < 0 ? err : put_stat64(&k, user_buf);
}

long sys_stat64(uint32_t user_path, uint32_t user_buf)
{
    return sys_fstatat64(AT_FDCWD, user_path, user_buf, 0);
}

long sys_lstat64(uint32_t user_path, uint32_t user_buf)
{
    return sys_fstatat64(AT_FDCWD, user_path, user_buf, AT_SYMLINK_NOFOLLOW);
}

static struct statx_timestamp stamp(struct timestamp t)
{
    return (struct statx_timestamp){ .tv_sec = t.sec, .tv_nsec = t.nsec };
}

#define AT_STATX_SYNC_TYPE 0x6000
#define STATX_RESERVED     0x80000000u

long sys_statx(int dirfd, uint32_t user_path, int at_flags, uint32_t mask, uint32_t user_buf)
{
    if (mask & STATX_RESERVED) {
        return -EINVAL;
    }
    if ((at_flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE) {
        return -EINVAL;
    }
    struct kstat k;
    long err = stat_target(dirfd, user_path, at_flags & ~AT_STATX_SYNC_TYPE, &k);
    if (err < 0) {
        return err;
    }
    struct statx st = {
        .stx_mask = STATX_BASIC_STATS,
        .stx_blksize = PAGE_SIZE,
        .stx_nlink = k.nlink,
        .stx_uid = k.uid,
        .stx_gid = k.gid,
        .stx_mode = (uint16_t)k.mode,
        .stx_ino = k.ino,
        .stx_size = k.size,
        .stx_blocks = blocks_of(&k),
        .stx_atime = stamp(k.atime),
        .stx_ctime = stamp(k.ctime),
        .stx_mtime = stamp(k.mtime),
        .stx_rdev_major = k.rdev >> 8,
        .stx_rdev_minor = k.rdev & 0xff,
        .stx_dev_minor = k.dev,
    };
    return copy_to_user(user_buf, &st, sizeof(st));
}

/* ---- statfs ---- */

#define TMPFS_MAGIC      0x01021994u
#define PROC_SUPER_MAGIC 0x9fa0u

static void statfs_of(struct super *sb, struct statfs64 *out)
{
    uint64_t free = 0;
    uint64_t blocks = sb->blocks ? sb->blocks(sb, &free) : 0;
    *out = (struct statfs64){
        .f_type = strcmp(sb->type, "proc") == 0 ? PROC_SUPER_MAGIC : TMPFS_MAGIC,
        .f_bsize = sb->block_size,
        .f_blocks = blocks,
        .f_bfree = free,
        .f_bavail = free,
        .f_files = blocks,
        .f_ffree = free,
        .f_fsid = { sb->dev, 0 },
        .f_namelen = NAME_MAX,
        .f_frsize = sb->block_size,
    };
}

/* The file system the path at user_path, or with by_fd descriptor fd, is on. */
static long statfs_target(bool by_fd, uint32_t user_path, int fd, struct statfs64 *out)
{
    if (by_fd) {
        struct file *f = fd_file(fd);
        if (f == NULL) {
            return -EBADF;
        }
        if (f->node == NULL) {
            *out = (struct statfs64){ .f_type = 0x50495045u /* PIPEFS_MAGIC */,
                                      .f_bsize = PAGE_SIZE,
                                      .f_namelen = NAME_MAX,
                                      .f_frsize = PAGE_SIZE };
            return 0;
        }
        statfs_of(f->node->sb, out);
        return 0;
    }
    struct inode *node;
    struct file *unused;
    long err = upath_lookup(AT_FDCWD, user_path, 0, &node, &unused);
    if (err == 0) {
        statfs_of(node->sb, out);
        inode_put(node);
    }
    return err;
}

static long put_statfs(const struct statfs64 *s, uint32_t user_buf)
{
    if (s->f_blocks > 0xffffffffu || s->f_files > 0xffffffffu) {
        return -EOVERFLOW;
    }
    struct statfs old = {
        .f_type = s->f_type,
        .f_bsize = s->f_bsize,
        .f_blocks = (uint32_t)s->f_blocks,
        .f_bfree = (uint32_t)s->f_bfree,
        .f_bavail = (uint32_t)s->f_bavail,
        .f_files = (uint32_t)s->f_files,
        .f_ffree = (uint32_t)s->f_ffree,
        .f_fsid = { s->f_fsid[0], s->f_fsid[1] },
        .f_namelen = s->f_namelen,
        .f_frsize = s->f_frsize,
    };
    return copy_to_user(user_buf, &old, sizeof(old));
}

long sys_statfs(uint32_t user_path, uint32_t user_buf)
{
    struct statfs64 s;
    long err = statfs_target(false, user_path, -1, &s);
    return err ? err : put_statfs(&s, user_buf);
}

long sys_fstatfs(int fd, uint32_t user_buf)
{
    struct statfs64 s;
    long err = statfs_target(true, 0, fd, &s);
    return err ? err : put_statfs(&s, user_buf);
}

long sys_statfs64(uint32_t user_path, uint32_t size, uint32_t user_buf)
{
    if (size != sizeof(struct statfs64)) {
        return -EINVAL;
    }
    struct statfs64 s;
    long err = statfs_target(false, user_path, -1, &s);
    return err ? err : copy_to_user(user_buf, &s, sizeof(s));
}

long sys_fstatfs64(int fd, uint32_t size, uint32_t user_buf)
{
    if (size != sizeof(struct statfs64)) {
        return -EINVAL;
    }
    struct statfs64 s;
    long err = statfs_target(true, 0, fd, &s);
    return err ? err : copy_to_user(user_buf, &s, sizeof(s));
}

/* ---- access ---- */

/*
 * Linux's answer for root, who may read and write anything and execute what has an execute
 * bit (or is a directory); a write to a file system that cannot be written is -EROFS, to a
 * /proc file -EACCES. Ringlet has no other users yet: permissions are kept, not enforced.
 */
long sys_faccessat2(int dirfd, uint32_t user_path, int how, int at_flags)
{
    if (how & ~(R_OK | W_OK | X_OK)) {
        return -EINVAL;
    }
    if (at_flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
        return -EINVAL;
    }
    struct inode *node;
    struct file *file;
    long err = upath_lookup(dirfd, user_path, at_flags & ~AT_EACCESS, &node, &file);
    if (err != 0 || node == NULL) {
        return err;
    }
    uint32_t type = node->mode & S_IFMT;
    if ((how & X_OK) && type != S_IFDIR && !(node->mode & 0111)) {
        err = -EACCES;
    } else if ((how & W_OK) && type == S_IFREG && node->ops->write == NULL) {
        err = -EACCES;
    }
    inode_put(node);
    return err;
}

long sys_faccessat(int dirfd, uint32_t user_path, int how)
{
    return sys_faccessat2(dirfd, user_path, how, 0);
}

long sys_access(uint32_t user_path, int how)
{
    return sys_faccessat2(AT_FDCWD, user_path, how, 0);
}

/* ---- readlink ---- */

long sys_readlinkat(int dirfd, uint32_t user_path, uint32_t user_buf, int size)
{
    if (size <= 0) {
        return -EINVAL;
    }
    struct inode *node;
    struct file *file;
    long err = upath_lookup(dirfd, user_path, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &node, &file);
    if (err != 0) {
        return err;
    }
    if (node == NULL || (node->mode & S_IFMT) != S_IFLNK || node->ops->readlink == NULL) {
        if (node) {
            inode_put(node);
        }
        return file ? -ENOENT : -EINVAL; /* an empty path names no link */
    }
    char *target = kmalloc(PATH_MAX);
    long len = target ? node->ops->readlink(node, target, PATH_MAX) : -ENOMEM;
    inode_put(node);
    if (len >= 0) {
        uint32_t n = (uint32_t)len < (uint32_t)size ? (uint32_t)len : (uint32_t)size;
        len = copy_to_user(user_buf, target, n) != 0 ? -EFAULT : (long)n; /* no NUL, as Linux */
    }
    kfree(target);
    return len;
}

long sys_readlink(uint32_t user_path, uint32_t user_buf, int size)
{
    return sys_readlinkat(AT_FDCWD, user_path, user_buf, size);
}
