/*
 * System calls that name files by path: open and openat, the stat family (stat64, lstat64,
 * fstat64, fstatat64, statx, and the old fstat), access and faccessat, readlink and readlinkat,
 * chdir, fchdir, getcwd; and the resource limits a libc reads at start-up. The checks, errno
 * values and structure layouts are Linux i386's. The tree is read-only: anything that would
 * write it is -EROFS, and it has no symbolic links.
 */
#include <clock.h>
#include <errno.h>
#include <fd.h>
#include <fs.h>
#include <lib/string.h>
#include <lib/text.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/fcntl.h>
#include <abi/stat.h>

#include <arch/memlayout.h>

_Static_assert(sizeof(struct stat64) == 96, "struct stat64 is 96 bytes on i386");
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");

/* What a stat call reports, whatever the structure. */
struct kstat {
    uint32_t dev;
    uint32_t ino;
    uint32_t mode;
    uint32_t rdev_major;
    uint32_t rdev_minor;
    uint32_t size;
    uint32_t time; /* everything in the tree was made at boot */
};

#define TREE_DEV 1 /* st_dev of the file tree */

static void stat_node(const struct fs_file *node, struct kstat *st)
{
    *st = (struct kstat){ .dev = TREE_DEV, .ino = fs_index(node) + 1,
                          .time = clock_boot_realtime() };
    switch (node->kind) {
    case FS_DIRECTORY:
        st->mode = S_IFDIR | 0555;
        break;
    case FS_DEVICE_NULL:
        st->mode = S_IFCHR | 0666;
        st->rdev_major = 1; /* /dev/null is (1, 3) */
        st->rdev_minor = 3;
        break;
    case FS_DEVICE_TTY:
        st->mode = S_IFCHR | 0666;
        st->rdev_major = 5; /* /dev/tty is (5, 0) */
        break;
    default:
        st->mode = S_IFREG | 0555;
        st->size = node->size;
        break;
    }
}

static void stat_file(const struct file *f, struct kstat *st)
{
    switch (f->type) {
    case FILE_TREE:
        stat_node(f->node, st);
        return;
    case FILE_CONSOLE:
        *st = (struct kstat){ .mode = S_IFCHR | 0620, .rdev_major = 5, .rdev_minor = 1,
                              .time = clock_boot_realtime() }; /* /dev/console is (5, 1) */
        return;
    case FILE_NULL:
        *st = (struct kstat){ .mode = S_IFCHR | 0666, .rdev_major = 1, .rdev_minor = 3,
                              .time = clock_boot_realtime() };
        return;
    default:
        *st = (struct kstat){ .mode = S_IFIFO | 0600, .time = clock_boot_realtime() };
        return;
    }
}

/*
 * Resolves the user path at user against dirfd (AT_FDCWD: the current directory; ignored for
 * an absolute path) into resolved and looks it up. With AT_EMPTY_PATH an empty path means the
 * file of dirfd itself: *file is set and *node may stay NULL. Returns 0, -EFAULT,
 * -ENAMETOOLONG, -ENOENT, -EBADF (dirfd) or -ENOTDIR (dirfd is no directory).
 */
static long lookup_at(int dirfd, uint32_t user, int at_flags, char resolved[FS_PATH_MAX],
                      const struct fs_file **node, struct file **file)
{
    char path[FS_PATH_MAX];
    long len = strncpy_from_user(path, user, sizeof(path));
    *node = NULL;
    *file = NULL;
    if (len < 0) {
        return len;
    }
    if (len == 0 && !(at_flags & AT_EMPTY_PATH)) {
        return -ENOENT;
    }
    const char *base = current->files->cwd;
    if (path[0] != '/' && dirfd != AT_FDCWD) {
        struct file *f = fd_file(dirfd);
        if (f == NULL) {
            return -EBADF;
        }
        if (len == 0) {
            *file = f;
            *node = f->type == FILE_TREE ? f->node : NULL;
            return 0;
        }
        if (f->type != FILE_TREE || f->node->kind != FS_DIRECTORY) {
            return -ENOTDIR;
        }
        base = f->node->path;
    }
    if (!path_resolve(base, len ? path : ".", resolved, FS_PATH_MAX)) {
        return -ENAMETOOLONG;
    }
    *node = fs_lookup(resolved);
    return *node ? 0 : -ENOENT;
}

long lookup_user_path(uint32_t user, char resolved[FS_PATH_MAX], const struct fs_file **node)
{
    struct file *unused;
    return lookup_at(AT_FDCWD, user, 0, resolved, node, &unused);
}

/* Whether the directory that would hold resolved exists (O_CREAT of a missing file). */
static bool parent_exists(const char *resolved)
{
    char parent[FS_PATH_MAX];
    strlcpy(parent, resolved, sizeof(parent));
    char *slash = strrchr(parent, '/');
    if (slash == NULL) {
        return false;
    }
    slash[slash == parent ? 1 : 0] = '\0';
    const struct fs_file *dir = fs_lookup(parent);
    return dir && dir->kind == FS_DIRECTORY;
}

long sys_openat(int dirfd, uint32_t user_path, int flags, int mode)
{
    (void)mode; /* nothing is ever created: the tree is read-only */
    char path[FS_PATH_MAX];
    const struct fs_file *node;
    struct file *unused;
    long err = lookup_at(dirfd, user_path, 0, path, &node, &unused);
    if (err == -ENOENT && (flags & O_CREAT) && parent_exists(path)) {
        return -EROFS;
    }
    if (err < 0) {
        return err;
    }
    if ((flags & O_CREAT) && (flags & O_EXCL)) {
        return -EEXIST;
    }
    if ((flags & O_DIRECTORY) && node->kind != FS_DIRECTORY) {
        return -ENOTDIR;
    }
    bool writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
    enum file_type type = FILE_TREE;
    if (node->kind == FS_DEVICE_NULL) {
        type = FILE_NULL;
    } else if (node->kind == FS_DEVICE_TTY) {
        type = FILE_CONSOLE;
    } else if (writing) {
        return node->kind == FS_DIRECTORY ? -EISDIR : -EROFS;
    }
    struct file *f = file_new(type);
    if (f == NULL) {
        return -ENOMEM;
    }
    f->node = node;
    f->status_flags = (uint32_t)flags & (O_APPEND | O_NONBLOCK | O_ASYNC);
    int fd = fd_install(f, 0, (flags & O_CLOEXEC) != 0);
    if (fd < 0) {
        file_close(f);
    }
    return fd;
}

long sys_open(uint32_t user_path, int flags, int mode)
{
    return sys_openat(AT_FDCWD, user_path, flags, mode);
}

/* The file a stat call is about: by descriptor (fd >= 0 and no path), or by path at dirfd. */
static long stat_target(int dirfd, uint32_t user_path, int at_flags, struct kstat *st)
{
    if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) {
        return -EINVAL;
    }
    char path[FS_PATH_MAX];
    const struct fs_file *node;
    struct file *file;
    long err = lookup_at(dirfd, user_path, at_flags, path, &node, &file);
    if (err < 0) {
        return err;
    }
    if (file) {
        stat_file(file, st);
    } else {
        stat_node(node, st);
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

static long put_stat64(const struct kstat *k, uint32_t user_buf)
{
    struct stat64 st = {
        .st_dev = k->dev, .st_ino32 = k->ino, .st_mode = k->mode, .st_nlink = 1,
        .st_rdev = (uint64_t)(k->rdev_major << 8 | k->rdev_minor), .st_size = k->size,
        .st_blksize = PAGE_SIZE, .st_blocks = (k->size + 511) / 512, .st_atime = k->time,
        .st_mtime = k->time, .st_ctime = k->time, .st_ino = k->ino,
    };
    return copy_to_user(user_buf, &st, sizeof(st));
}

long sys_fstat(int fd, uint32_t user_stat)
{
    struct kstat k;
    long err = stat_fd(fd, &k);
    if (err < 0) {
        return err;
    }
    struct stat st = {
        .st_dev = k.dev, .st_ino = k.ino, .st_mode = (uint16_t)k.mode, .st_nlink = 1,
        .st_rdev = k.rdev_major << 8 | k.rdev_minor, .st_size = k.size,
        .st_blksize = PAGE_SIZE, .st_blocks = (k.size + 511) / 512, .st_atime = k.time,
        .st_mtime = k.time, .st_ctime = k.time,
    };
    return copy_to_user(user_stat, &st, sizeof(st));
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

static struct statx_timestamp stamp(uint32_t seconds)
{
    return (struct statx_timestamp){ .tv_sec = seconds };
}

long sys_statx(int dirfd, uint32_t user_path, int at_flags, uint32_t mask, uint32_t user_buf)
{
    (void)mask; /* everything is cheap here: all basic fields come back */
    struct kstat k;
    long err = stat_target(dirfd, user_path, at_flags & ~0x6000 /* AT_STATX_SYNC_TYPE */, &k);
    if (err < 0) {
        return err;
    }
    struct statx st = {
        .stx_mask = STATX_BASIC_STATS, .stx_blksize = PAGE_SIZE, .stx_nlink = 1,
        .stx_mode = (uint16_t)k.mode, .stx_ino = k.ino, .stx_size = k.size,
        .stx_blocks = (k.size + 511) / 512, .stx_atime = stamp(k.time),
        .stx_ctime = stamp(k.time), .stx_mtime = stamp(k.time), .stx_rdev_major = k.rdev_major,
        .stx_rdev_minor = k.rdev_minor, .stx_dev_minor = k.dev,
    };
    return copy_to_user(user_buf, &st, sizeof(st));
}

long sys_faccessat2(int dirfd, uint32_t user_path, int how, int at_flags)
{
    if (how & ~(R_OK | W_OK | X_OK)) {
        return -EINVAL;
    }
    if (at_flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
        return -EINVAL;
    }
    char path[FS_PATH_MAX];
    const struct fs_file *node;
    struct file *file;
    long err = lookup_at(dirfd, user_path, at_flags, path, &node, &file);
    if (err < 0) {
        return err;
    }
    bool device = node == NULL || node->kind == FS_DEVICE_NULL || node->kind == FS_DEVICE_TTY;
    return (how & W_OK) && !device ? -EROFS : 0; /* root may do anything else */
}

long sys_faccessat(int dirfd, uint32_t user_path, int how)
{
    return sys_faccessat2(dirfd, user_path, how, 0);
}

long sys_access(uint32_t user_path, int how)
{
    return sys_faccessat2(AT_FDCWD, user_path, how, 0);
}

long sys_readlinkat(int dirfd, uint32_t user_path, uint32_t user_buf, int size)
{
    (void)user_buf;
    if (size <= 0) {
        return -EINVAL;
    }
    char path[FS_PATH_MAX];
    const struct fs_file *node;
    struct file *file;
    long err = lookup_at(dirfd, user_path, 0, path, &node, &file);
    return err < 0 ? err : -EINVAL; /* it exists, and nothing in the tree is a symbolic link */
}

long sys_readlink(uint32_t user_path, uint32_t user_buf, int size)
{
    return sys_readlinkat(AT_FDCWD, user_path, user_buf, size);
}

long sys_chdir(uint32_t user)
{
    char path[FS_PATH_MAX];
    const struct fs_file *node;
    long err = lookup_user_path(user, path, &node);
    if (err < 0) {
        return err;
    }
    if (node->kind != FS_DIRECTORY) {
        return -ENOTDIR;
    }
    strlcpy(current->files->cwd, path, sizeof(current->files->cwd));
    return 0;
}

long sys_fchdir(int fd)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->type != FILE_TREE || f->node->kind != FS_DIRECTORY) {
        return -ENOTDIR;
    }
    strlcpy(current->files->cwd, f->node->path, sizeof(current->files->cwd));
    return 0;
}

long sys_getcwd(uint32_t user_buf, uint32_t size)
{
    uint32_t need = (uint32_t)strlen(current->files->cwd) + 1;
    if (size < need) {
        return -ERANGE;
    }
    if (copy_to_user(user_buf, current->files->cwd, need) != 0) {
        return -EFAULT;
    }
    return (long)need;
}

/* The limits Ringlet has: the stack's (ustack=) and the descriptor table's; no others. */
static void limit_of(int resource, uint64_t *cur, uint64_t *max)
{
    *cur = *max = RLIM64_INFINITY;
    if (resource == RLIMIT_STACK) {
        *cur = *max = USER_STACK_TOP - current->mm->stack_limit;
    } else if (resource == RLIMIT_NOFILE) {
        *cur = *max = PROC_FDS;
    }
}

#define RLIMIT_COUNT 16 /* RLIMIT_CPU .. RLIMIT_RTTIME */

long sys_ugetrlimit(int resource, uint32_t user_limit)
{
    if (resource < 0 || resource >= RLIMIT_COUNT) {
        return -EINVAL;
    }
    uint64_t cur, max;
    limit_of(resource, &cur, &max);
    struct rlimit r = { cur > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)cur,
                        max > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)max };
    return copy_to_user(user_limit, &r, sizeof(r));
}

long sys_prlimit64(int pid, int resource, uint32_t user_new, uint32_t user_old)
{
    if (resource < 0 || resource >= RLIMIT_COUNT) {
        return -EINVAL;
    }
    if (pid != 0 && pid != current->pid) {
        return proc_find(pid) ? -EPERM : -ESRCH;
    }
    if (user_new) {
        return -EPERM; /* limits cannot be changed in Ringlet yet */
    }
    if (user_old) {
        struct rlimit64 r;
        limit_of(resource, &r.rlim_cur, &r.rlim_max);
        return copy_to_user(user_old, &r, sizeof(r));
    }
    return 0;
}
