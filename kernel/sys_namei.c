/*
 * Changing the file tree and what it records: mkdir, mknod, unlink, rmdir, rename, link,
 * symlink (and their *at forms), truncate and ftruncate, chmod and chown families, utimensat
 * and the older utimes/utime, fsync and fdatasync. The checks, their order and errno follow
 * Linux's fs/namei.c, fs/open.c and fs/utimes.c. Ringlet has one user, root: owners and
 * permission bits are stored and reported, not enforced.
 */
#include <fd.h>
#include <heap.h>
#include <lib/string.h>
#include <proc.h>
#include <syscall.h>
#include <tmpfs.h>
#include <uaccess.h>
#include <upath.h>

#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>

#define AT_SYMLINK_FOLLOW 0x400
#define RENAME_NOREPLACE  1
#define RENAME_EXCHANGE   2
#define RENAME_WHITEOUT   4

static bool is_dir(const struct inode *node)
{
    return (node->mode & S_IFMT) == S_IFDIR;
}

static bool is_dot_or_dotdot(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* The entry name of dir, without following a final symbolic link; NULL when absent. */
static struct inode *child(struct inode *dir, const char *name)
{
    struct inode *node;
    return vfs_walk(dir, name, WALK_NOFOLLOW, &node) == 0 ? node : NULL;
}

/* What the last component names now ("." and ".." their directories), or NULL. */
static struct inode *named(struct upath_last *last)
{
    return is_dot_or_dotdot(last->name) ? inode_get(last->dir) : child(last->dir, last->name);
}

/* Whether node is the root of a file system or has one mounted on it (rename and rmdir leave
 * those alone: -EBUSY). */
static bool mount_involved(const struct inode *node)
{
    return node->mounted || node == node->sb->root;
}

static bool dir_empty(struct inode *dir)
{
    struct dir_entry *entry = kmalloc(sizeof(*entry));
    uint32_t cursor = 0;
    bool empty = entry && !dir->ops->next_entry(dir, &cursor, entry);
    kfree(entry);
    return empty;
}

/* Makes name in dir: a directory, a file, a device node or a symbolic link to target. */
static long make_node(int dirfd, uint32_t user_path, uint32_t mode, uint32_t rdev,
                      const char *target)
{
    struct upath_last last;
    long err = upath_parent(dirfd, user_path, &last);
    if (err != 0) {
        return err;
    }
    struct inode *existing = named(&last);
    if (existing) {
        inode_put(existing);
        err = -EEXIST;
    } else if (last.trailing_slash && (mode & S_IFMT) != S_IFDIR) {
        err = -ENOENT; /* "name/" can only be made as a directory */
    } else if (last.dir->links == 0) {
        err = -ENOENT;
    } else if (last.dir->ops->create == NULL) {
        err = -EACCES;
    } else {
        struct inode *node;
        err = last.dir->ops->create(last.dir, last.name, mode, rdev, target, &node);
        if (err == 0) {
            inode_put(node);
        }
    }
    inode_put(last.dir);
    return err;
}

long sys_mkdirat(int dirfd, uint32_t user_path, int mode)
{
    uint32_t perm = (uint32_t)mode & (0777 | S_ISVTX) & ~current->files->umask;
    return make_node(dirfd, user_path, S_IFDIR | perm, 0, NULL);
}

long sys_mkdir(uint32_t user_path, int mode)
{
    return sys_mkdirat(AT_FDCWD, user_path, mode);
}

long sys_mknodat(int dirfd, uint32_t user_path, int mode, uint32_t dev)
{
    uint32_t type = (uint32_t)mode & S_IFMT;
    uint32_t perm = (uint32_t)mode & 07777 & ~current->files->umask;
    if (type == 0) {
        type = S_IFREG;
    }
    if (type == S_IFDIR) {
        return -EPERM;
    }
    if (type != S_IFREG && type != S_IFCHR) {
        return -EINVAL; /* FIFOs, sockets and block devices: not in Ringlet */
    }
    /* The old encoding of dev (major << 8 | minor) is what chardev.h uses. */
    return make_node(dirfd, user_path, type | perm, type == S_IFCHR ? dev : 0, NULL);
}

long sys_mknod(uint32_t user_path, int mode, uint32_t dev)
{
    return sys_mknodat(AT_FDCWD, user_path, mode, dev);
}

long sys_symlinkat(uint32_t user_target, int dirfd, uint32_t user_path)
{
    char *target;
    long err = upath_copy(user_target, false, &target);
    if (err != 0) {
        return err;
    }
    err = make_node(dirfd, user_path, S_IFLNK | 0777, 0, target);
    kfree(target);
    return err;
}

long sys_symlink(uint32_t user_target, uint32_t user_path)
{
    return sys_symlinkat(user_target, AT_FDCWD, user_path);
}

/* unlink and rmdir: takes the name away after Linux's checks. */
static long remove_name(int dirfd, uint32_t user_path, bool directory)
{
    struct upath_last last;
    long err = upath_parent(dirfd, user_path, &last);
    if (err != 0) {
        return err;
    }
    struct inode *victim = NULL;
    if (is_dot_or_dotdot(last.name)) {
        err = !directory ? -EISDIR : strcmp(last.name, ".") == 0 ? -EINVAL : -ENOTEMPTY;
    } else if ((victim = child(last.dir, last.name)) == NULL) {
        err = -ENOENT;
    } else if (directory && !is_dir(victim)) {
        err = -ENOTDIR;
    } else if (!directory && is_dir(victim)) {
        err = -EISDIR;
    } else if (!directory && last.trailing_slash) {
        err = -ENOTDIR;
    } else if (mount_involved(victim)) {
        err = -EBUSY;
    } else if (last.dir->ops->unlink == NULL) {
        err = -EACCES;
    } else if (directory && !dir_empty(victim)) {
        err = -ENOTEMPTY;
    } else {
        err = last.dir->ops->unlink(last.dir, last.name);
    }
    if (victim) {
        inode_put(victim); /* the last reference of a name-less inode frees it */
    }
    inode_put(last.dir);
    return err;
}

#define AT_REMOVEDIR_FLAG 0x200

long sys_unlinkat(int dirfd, uint32_t user_path, int flags)
{
    if (flags & ~AT_REMOVEDIR_FLAG) {
        return -EINVAL;
    }
    return remove_name(dirfd, user_path, (flags & AT_REMOVEDIR_FLAG) != 0);
}

long sys_unlink(uint32_t user_path)
{
    return remove_name(AT_FDCWD, user_path, false);
}

long sys_rmdir(uint32_t user_path)
{
    return remove_name(AT_FDCWD, user_path, true);
}

/* Linux's checks for moving from to the place of to (NULL: nothing there). */
static long check_rename(struct inode *from, bool from_slash, struct inode *to_dir,
                         struct inode *to, bool to_slash, unsigned flags)
{
    if (!is_dir(from) && (from_slash || to_slash)) {
        return -ENOTDIR;
    }
    if (to && (flags & RENAME_NOREPLACE)) {
        return -EEXIST;
    }
    if (to == from) {
        return 0;
    }
    if (is_dir(from)) {
        if (to && !is_dir(to)) {
            return -ENOTDIR;
        }
        if (vfs_is_inside(to_dir, from)) {
            return -EINVAL; /* a directory cannot move into itself */
        }
    } else if (to && is_dir(to)) {
        return -EISDIR;
    }
    if (mount_involved(from) || (to && mount_involved(to))) {
        return -EBUSY;
    }
    if (to && is_dir(to) && !dir_empty(to)) {
        return -ENOTEMPTY;
    }
    return 0;
}

long sys_renameat2(int from_dirfd, uint32_t user_from, int to_dirfd, uint32_t user_to,
                   unsigned flags)
{
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) {
        return -EINVAL;
    }
    if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) {
        return -EINVAL; /* not in Ringlet's tmpfs */
    }
    struct upath_last from, to;
    long err = upath_parent(from_dirfd, user_from, &from);
    if (err != 0) {
        return err;
    }
    err = upath_parent(to_dirfd, user_to, &to);
    if (err != 0) {
        inode_put(from.dir);
        return err;
    }
    struct inode *moved = NULL, *replaced = NULL;
    if (from.dir->sb != to.dir->sb) {
        err = -EXDEV;
    } else if (is_dot_or_dotdot(from.name) || is_dot_or_dotdot(to.name)) {
        err = -EBUSY;
    } else if ((moved = child(from.dir, from.name)) == NULL) {
        err = -ENOENT;
    } else if (to.dir->links == 0) {
        err = -ENOENT;
    } else if (from.dir->ops->rename == NULL) {
        err = -EACCES;
    } else {
        replaced = child(to.dir, to.name);
        err = check_rename(moved, from.trailing_slash, to.dir, replaced, to.trailing_slash, flags);
        if (err == 0 && moved != replaced) {
            err = from.dir->ops->rename(from.dir, from.name, to.dir, to.name);
        }
    }
    if (replaced) {
        inode_put(replaced);
    }
    if (moved) {
        inode_put(moved);
    }
    inode_put(to.dir);
    inode_put(from.dir);
    return err;
}

long sys_renameat(int from_dirfd, uint32_t user_from, int to_dirfd, uint32_t user_to)
{
    return sys_renameat2(from_dirfd, user_from, to_dirfd, user_to, 0);
}

long sys_rename(uint32_t user_from, uint32_t user_to)
{
    return sys_renameat2(AT_FDCWD, user_from, AT_FDCWD, user_to, 0);
}

long sys_linkat(int from_dirfd, uint32_t user_from, int to_dirfd, uint32_t user_to, int flags)
{
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) {
        return -EINVAL;
    }
    struct inode *target;
    struct file *unused;
    int at_flags = flags & AT_EMPTY_PATH;
    if (!(flags & AT_SYMLINK_FOLLOW)) {
        at_flags |= AT_SYMLINK_NOFOLLOW;
    }
    long err = upath_lookup(from_dirfd, user_from, at_flags, &target, &unused);
    if (err != 0) {
        return err;
    }
    if (target == NULL) {
        return -ENOENT; /* a pipe or the console has no name to give */
    }
    struct upath_last last;
    err = upath_parent(to_dirfd, user_to, &last);
    if (err != 0) {
        inode_put(target);
        return err;
    }
    struct inode *existing = named(&last);
    if (existing) {
        inode_put(existing);
        err = -EEXIST;
    } else if (last.dir->sb != target->sb) {
        err = -EXDEV;
    } else if (is_dir(target)) {
        err = -EPERM;
    } else if (last.trailing_slash) {
        err = -ENOENT;
    } else if (last.dir->ops->link == NULL) {
        err = -EPERM;
    } else if (target->links == 0) {
        err = -ENOENT; /* an unlinked file gets no new name */
    } else {
        err = last.dir->ops->link(last.dir, last.name, target);
    }
    inode_put(last.dir);
    inode_put(target);
    return err;
}

long sys_link(uint32_t user_from, uint32_t user_to)
{
    return sys_linkat(AT_FDCWD, user_from, AT_FDCWD, user_to, 0);
}

/* ---- sizes ---- */

static long truncate_node(struct inode *node, int64_t length)
{
    if (is_dir(node)) {
        return -EISDIR;
    }
    if ((node->mode & S_IFMT) != S_IFREG) {
        return -EINVAL;
    }
    if (node->ops->truncate == NULL) {
        return -EACCES;
    }
    if (length > 0x7fffffff) {
        return -EFBIG;
    }
    return node->ops->truncate(node, (uint32_t)length);
}

long sys_truncate64(uint32_t user_path, uint32_t length_low, uint32_t length_high)
{
    int64_t length = (int64_t)((uint64_t)length_high << 32 | length_low);
    if (length < 0) {
        return -EINVAL;
    }
    struct inode *node;
    struct file *unused;
    long err = upath_lookup(AT_FDCWD, user_path, 0, &node, &unused);
    if (err == 0) {
        err = truncate_node(node, length);
        inode_put(node);
    }
    return err;
}

long sys_truncate(uint32_t user_path, int32_t length)
{
    return sys_truncate64(user_path, (uint32_t)length, length < 0 ? 0xffffffffu : 0);
}

long sys_ftruncate64(int fd, uint32_t length_low, uint32_t length_high)
{
    int64_t length = (int64_t)((uint64_t)length_high << 32 | length_low);
    if (length < 0) {
        return -EINVAL;
    }
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->node == NULL || (f->node->mode & S_IFMT) != S_IFREG ||
        (f->access != O_WRONLY && f->access != O_RDWR)) {
        return -EINVAL;
    }
    return truncate_node(f->node, length);
}

long sys_ftruncate(int fd, int32_t length)
{
    return sys_ftruncate64(fd, (uint32_t)length, length < 0 ? 0xffffffffu : 0);
}

/* ---- owners, modes, times ---- */

/* The inode an attribute call changes: with by_fd the file of descriptor dirfd (fchmod,
 * fchown, futimens), else the path at dirfd (an empty one with AT_EMPTY_PATH: dirfd's). */
static long attribute_target(bool by_fd, int dirfd, uint32_t user_path, int at_flags,
                             struct inode **node)
{
    struct file *file;
    long err;
    if (by_fd) {
        file = fd_file(dirfd);
        if (file == NULL) {
            return -EBADF;
        }
        *node = file->node ? inode_get(file->node) : NULL;
    } else {
        err = upath_lookup(dirfd, user_path, at_flags, node, &file);
        if (err != 0) {
            return err;
        }
    }
    if (*node == NULL) {
        return -EPERM; /* the console a process started with, a pipe: nothing to change */
    }
    if (!tmpfs_owns(*node)) {
        inode_put(*node);
        return -EPERM; /* /proc */
    }
    return 0;
}

/* chmod's work on the file of fd (by_fd) or the path at dirfd. */
static long change_mode(bool by_fd, int dirfd, uint32_t user_path, int mode)
{
    struct inode *node;
    long err = attribute_target(by_fd, dirfd, user_path, 0, &node);
    if (err != 0) {
        return err;
    }
    node->mode = (node->mode & S_IFMT) | ((uint32_t)mode & 07777);
    node->ctime = vfs_now();
    inode_put(node);
    return 0;
}

long sys_fchmodat(int dirfd, uint32_t user_path, int mode)
{
    return change_mode(false, dirfd, user_path, mode);
}

long sys_chmod(uint32_t user_path, int mode)
{
    return change_mode(false, AT_FDCWD, user_path, mode);
}

long sys_fchmod(int fd, int mode)
{
    return change_mode(true, fd, 0, mode);
}

/* chown's work, as change_mode's. */
static long change_owner(bool by_fd, int dirfd, uint32_t user_path, uint32_t uid, uint32_t gid,
                         int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
        return -EINVAL;
    }
    struct inode *node;
    long err = attribute_target(by_fd, dirfd, user_path, flags, &node);
    if (err != 0) {
        return err;
    }
    if (uid != 0xffffffffu) {
        node->uid = uid;
    }
    if (gid != 0xffffffffu) {
        node->gid = gid;
    }
    if ((node->mode & S_IFMT) == S_IFREG) {
        /* As Linux: a change of owner drops set-user-ID, and set-group-ID with group exec. */
        node->mode &= ~(uint32_t)S_ISUID;
        if (node->mode & 010) {
            node->mode &= ~(uint32_t)S_ISGID;
        }
    }
    node->ctime = vfs_now();
    inode_put(node);
    return 0;
}

long sys_fchownat(int dirfd, uint32_t user_path, uint32_t uid, uint32_t gid, int flags)
{
    return change_owner(false, dirfd, user_path, uid, gid, flags);
}

long sys_chown32(uint32_t user_path, uint32_t uid, uint32_t gid)
{
    return change_owner(false, AT_FDCWD, user_path, uid, gid, 0);
}

long sys_lchown32(uint32_t user_path, uint32_t uid, uint32_t gid)
{
    return change_owner(false, AT_FDCWD, user_path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown32(int fd, uint32_t uid, uint32_t gid)
{
    return change_owner(true, fd, 0, uid, gid, 0);
}

#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

struct times_pair {
    int64_t sec[2];
    long nsec[2]; /* UTIME_NOW, UTIME_OMIT or 0..999999999 */
};

/* Sets node's access and modification times (times NULL: both now). */
static long set_times(int dirfd, uint32_t user_path, int flags, const struct times_pair *times)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
        return -EINVAL;
    }
    for (int i = 0; times && i < 2; i++) {
        long ns = times->nsec[i];
        if (ns != UTIME_NOW && ns != UTIME_OMIT && (ns < 0 || ns > 999999999)) {
            return -EINVAL;
        }
    }
    if (user_path == 0 && dirfd == AT_FDCWD) {
        return -EFAULT;
    }
    struct inode *node;
    long err = attribute_target(user_path == 0, dirfd, user_path, flags, &node);
    if (err != 0) {
        return err;
    }
    struct timestamp now = vfs_now();
    struct timestamp *stamps[2] = { &node->atime, &node->mtime };
    for (int i = 0; i < 2; i++) {
        if (times == NULL || times->nsec[i] == UTIME_NOW) {
            *stamps[i] = now;
        } else if (times->nsec[i] != UTIME_OMIT) {
            *stamps[i] = (struct timestamp){ .sec = (uint32_t)times->sec[i],
                                             .nsec = (uint32_t)times->nsec[i] };
        }
    }
    node->ctime = now;
    inode_put(node);
    return 0;
}

long sys_utimensat(int dirfd, uint32_t user_path, uint32_t user_times, int flags)
{
    struct times_pair t;
    if (user_times) {
        int32_t raw[4]; /* two struct timespec of 32-bit fields */
        if (copy_from_user(raw, user_times, sizeof(raw)) != 0) {
            return -EFAULT;
        }
        t = (struct times_pair){ { raw[0], raw[2] }, { raw[1], raw[3] } };
    }
    return set_times(dirfd, user_path, flags, user_times ? &t : NULL);
}

long sys_utimensat_time64(int dirfd, uint32_t user_path, uint32_t user_times, int flags)
{
    struct times_pair t;
    if (user_times) {
        struct {
            int64_t sec;
            int32_t nsec;
            int32_t pad;
        } raw[2];
        if (copy_from_user(raw, user_times, sizeof(raw)) != 0) {
            return -EFAULT;
        }
        t = (struct times_pair){ { raw[0].sec, raw[1].sec }, { raw[0].nsec, raw[1].nsec } };
    }
    return set_times(dirfd, user_path, flags, user_times ? &t : NULL);
}

long sys_utimes(uint32_t user_path, uint32_t user_times)
{
    struct times_pair t;
    if (user_times) {
        int32_t raw[4]; /* two struct timeval */
        if (copy_from_user(raw, user_times, sizeof(raw)) != 0) {
            return -EFAULT;
        }
        if (raw[1] < 0 || raw[1] >= 1000000 || raw[3] < 0 || raw[3] >= 1000000) {
            return -EINVAL;
        }
        t = (struct times_pair){ { raw[0], raw[2] }, { raw[1] * 1000l, raw[3] * 1000l } };
    }
    return set_times(AT_FDCWD, user_path, 0, user_times ? &t : NULL);
}

long sys_utime(uint32_t user_path, uint32_t user_times)
{
    struct times_pair t;
    if (user_times) {
        int32_t raw[2]; /* struct utimbuf: actime, modtime */
        if (copy_from_user(raw, user_times, sizeof(raw)) != 0) {
            return -EFAULT;
        }
        t = (struct times_pair){ { raw[0], raw[1] }, { 0, 0 } };
    }
    return set_times(AT_FDCWD, user_path, 0, user_times ? &t : NULL);
}

/* ---- syncing ---- */

long sys_fsync(int fd)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    return f->type == FILE_PIPE_READ || f->type == FILE_PIPE_WRITE ? -EINVAL : 0; /* in RAM */
}

long sys_fdatasync(int fd)
{
    return sys_fsync(fd);
}
