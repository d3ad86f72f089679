/*
 * Opening files by name (open, openat, creat), the current directory (chdir, fchdir, getcwd),
 * umask, and the resource limits a libc reads at start-up. Checks, their order and errno are
 * Linux's (fs/namei.c, fs/open.c).
 */
#include <chardev.h>
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

#define O_TMPFILE_BITS 020000000 /* O_TMPFILE without O_DIRECTORY: not in Ringlet */

static bool is_dir(const struct inode *node)
{
    return (node->mode & S_IFMT) == S_IFDIR;
}

/*
 * The inode open names: the last component of path looked up in dir, made first with O_CREAT
 * (mode less the umask) when it is missing. Sets *created.
 */
static long open_last(struct inode *dir, const char *name, bool trailing_slash, int flags,
                      uint32_t mode, struct inode **out)
{
    bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
    long err = vfs_walk(dir, name, follow ? 0 : WALK_NOFOLLOW, out);
    if (!(flags & O_CREAT)) {
        if (err == 0 && trailing_slash && !is_dir(*out)) {
            inode_put(*out);
            return -ENOTDIR;
        }
        return err;
    }
    if (err == 0) {
        if (flags & O_EXCL) {
            inode_put(*out);
            return -EEXIST;
        }
        if (is_dir(*out)) {
            inode_put(*out);
            return -EISDIR; /* O_CREAT never opens a directory */
        }
        return 0;
    }
    if (err != -ENOENT) {
        return err;
    }
    if (trailing_slash || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        return -EISDIR;
    }
    struct inode *existing;
    if (vfs_walk(dir, name, WALK_NOFOLLOW, &existing) == 0) {
        inode_put(existing); /* a dangling symbolic link: Ringlet does not create its target */
        return -ENOENT;
    }
    if (dir->ops->create == NULL) {
        return -EACCES;
    }
    if (dir->links == 0) {
        return -ENOENT; /* the directory was removed */
    }
    uint32_t perm = mode & 07777 & ~current->files->umask;
    return dir->ops->create(dir, name, S_IFREG | perm, 0, NULL, out);
}

/* The checks an existing inode must pass for flags; -ELOOP, -EISDIR, -ENOTDIR, -EACCES. */
static long check_open(struct inode *node, int flags)
{
    uint32_t type = node->mode & S_IFMT;
    bool writing = (flags & O_ACCMODE) != O_RDONLY;
    if (flags & O_PATH) {
        return (flags & O_DIRECTORY) && type != S_IFDIR ? -ENOTDIR : 0;
    }
    if (type == S_IFLNK) {
        return -ELOOP; /* O_NOFOLLOW met a symbolic link */
    }
    if ((flags & O_DIRECTORY) && type != S_IFDIR) {
        return -ENOTDIR;
    }
    if (type == S_IFDIR && (writing || (flags & O_TRUNC))) {
        return -EISDIR;
    }
    if (writing && type == S_IFREG && node->ops->write == NULL) {
        return -EACCES; /* /proc's files */
    }
    return 0;
}

/* A new open file for node (FILE_INODE, or a device's type), with the caller's reference. */
static long make_file(struct inode *node, int flags, char *path, struct file **out)
{
    struct file *f = file_new(FILE_INODE);
    if (f == NULL) {
        return -ENOMEM;
    }
    f->node = node;
    f->path = path;
    f->access = (flags & O_PATH) ? O_PATH : (uint32_t)flags & O_ACCMODE;
    f->status_flags = (uint32_t)flags & (O_APPEND | O_NONBLOCK | O_ASYNC);
    long err = 0;
    if (!(flags & O_PATH)) {
        if ((node->mode & S_IFMT) == S_IFCHR) {
            err = chardev_open(node, f);
        } else if (node->ops->open) {
            err = node->ops->open(node, f);
        }
    }
    if (err != 0) {
        f->node = NULL; /* the caller still owns the inode and path */
        f->path = NULL;
        file_close(f);
        return err;
    }
    *out = f;
    return 0;
}

long sys_openat(int dirfd, uint32_t user_path, int flags, int mode)
{
    if ((flags & O_TMPFILE_BITS) && (flags & O_DIRECTORY)) {
        return -EOPNOTSUPP; /* O_TMPFILE */
    }
    if (flags & O_PATH) {
        flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC; /* Linux ignores the rest */
    }
    struct upath_last last;
    long err = upath_parent(dirfd, user_path, &last);
    if (err != 0) {
        return err;
    }
    struct inode *node;
    err = open_last(last.dir, last.name, last.trailing_slash, flags, (uint32_t)mode, &node);
    if (err == 0) {
        err = check_open(node, flags);
        if (err != 0) {
            inode_put(node);
        }
    }
    if (err != 0) {
        inode_put(last.dir);
        return err;
    }
    bool writing = (flags & O_ACCMODE) != O_RDONLY;
    if ((flags & O_TRUNC) && writing && (node->mode & S_IFMT) == S_IFREG && node->size &&
        !(flags & O_PATH)) {
        err = node->ops->truncate ? node->ops->truncate(node, 0) : -EACCES;
    }
    if (err == 0 && !(flags & O_NOFOLLOW) && (node->mode & S_IFMT) != S_IFLNK) {
        /* Through a link: the file's own path, as /proc/PID/fd/N shows it on Linux. */
        (void)upath_follow_last(&last); /* on failure, the path as given is still true */
    }
    char *path = err == 0 ? upath_absolute(last.dir, last.name, node) : NULL;
    inode_put(last.dir);
    if (err == 0 && path == NULL) {
        err = -ENOMEM;
    }
    struct file *f = NULL;
    if (err == 0) {
        err = make_file(node, flags, path, &f);
    }
    if (err != 0) {
        kfree(path);
        inode_put(node);
        return err;
    }
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

long sys_creat(uint32_t user_path, int mode)
{
    return sys_openat(AT_FDCWD, user_path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* Makes node the current directory (the caller's reference passes on). */
static long change_dir(struct inode *node)
{
    if (!is_dir(node)) {
        inode_put(node);
        return -ENOTDIR;
    }
    inode_put(current->files->cwd);
    current->files->cwd = node;
    return 0;
}

long sys_chdir(uint32_t user_path)
{
    struct inode *node;
    struct file *unused;
    long err = upath_lookup(AT_FDCWD, user_path, 0, &node, &unused);
    return err != 0 ? err : change_dir(node);
}

long sys_fchdir(int fd)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    return f->node ? change_dir(inode_get(f->node)) : -ENOTDIR;
}

long sys_getcwd(uint32_t user_buf, uint32_t size)
{
    char *path = kmalloc(PATH_MAX);
    if (path == NULL) {
        return -ENOMEM;
    }
    long len = vfs_dir_path(current->files->cwd, path, PATH_MAX);
    long result = len;
    if (len >= 0) {
        uint32_t need = (uint32_t)len + 1;
        result = size < need                               ? -ERANGE
                 : copy_to_user(user_buf, path, need) != 0 ? -EFAULT
                                                           : (long)need;
    }
    kfree(path);
    return result;
}

long sys_umask(int mask)
{
    uint32_t old = current->files->umask;
    current->files->umask = (uint32_t)mask & 0777;
    return (long)old;
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
