/*
 * System calls on the descriptor table itself: close, dup, dup2, dup3, pipe, pipe2 and fcntl.
 * The checks and errno values are Linux's (fs/file.c, fs/fcntl.c, fs/pipe.c).
 */
#include <fd.h>

#include <heap.h>
#include <lib/string.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/fcntl.h>

struct files *files_copy(const struct files *from)
{
    struct files *t = kmalloc(sizeof(*t));
    if (t == NULL) {
        return NULL;
    }
    if (from) {
        *t = *from;
        for (int fd = 0; fd < t->end; fd++) {
            if (t->fds[fd]) {
                file_ref(t->fds[fd]);
            }
        }
        inode_get(t->cwd);
    } else {
        memset(t, 0, sizeof(*t));
        t->cwd = vfs_root();
        t->umask = 022;
    }
    t->refs = 1;
    return t;
}

void files_put(struct files *t)
{
    if (t == NULL || --t->refs != 0) {
        return;
    }
    for (int fd = 0; fd < t->end; fd++) {
        if (t->fds[fd]) {
            file_close(t->fds[fd]);
        }
    }
    inode_put(t->cwd);
    kfree(t);
}

/* Records that descriptor fd of t is about to hold a file. */
static void note_fd(struct files *t, int fd)
{
    if (fd >= t->end) {
        t->end = fd + 1;
    }
}

void files_set(struct files *t, int fd, struct file *f)
{
    note_fd(t, fd);
    t->fds[fd] = f;
}

struct file *fd_file(int fd)
{
    return fd >= 0 && fd < PROC_FDS ? current->files->fds[fd] : NULL;
}

int fd_install(struct file *f, int first, bool cloexec)
{
    for (int fd = first < 0 ? 0 : first; fd < PROC_FDS; fd++) {
        if (current->files->fds[fd] == NULL) {
            note_fd(current->files, fd);
            current->files->fds[fd] = f;
            current->files->cloexec[fd] = cloexec;
            return fd;
        }
    }
    return -EMFILE;
}

/* Puts f in descriptor target (closing what was there), with the close-on-exec flag. */
static void replace(int target, struct file *f, bool cloexec)
{
    struct file *old = current->files->fds[target];
    if (f) {
        note_fd(current->files, target);
    }
    current->files->fds[target] = f;
    current->files->cloexec[target] = cloexec;
    if (old) {
        file_close(old);
    }
}

void fd_close_on_exec(void)
{
    for (int fd = 0; fd < current->files->end; fd++) {
        if (current->files->fds[fd] && current->files->cloexec[fd]) {
            replace(fd, NULL, false);
        }
    }
}

long sys_close(int fd)
{
    if (fd_file(fd) == NULL) {
        return -EBADF;
    }
    replace(fd, NULL, false);
    return 0;
}

/* dup and F_DUPFD: the lowest free descriptor at or above first. */
static long duplicate(int fd, int first, bool cloexec)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    if (first < 0 || first >= PROC_FDS) {
        return -EINVAL;
    }
    int copy = fd_install(f, first, cloexec);
    if (copy >= 0) {
        file_ref(f);
    }
    return copy;
}

long sys_dup(int fd)
{
    return duplicate(fd, 0, false);
}

long sys_dup2(int fd, int target)
{
    struct file *f = fd_file(fd);
    if (f == NULL || target < 0 || target >= PROC_FDS) {
        return -EBADF;
    }
    if (fd == target) {
        return target; /* dup2 to itself only checks fd, as in Linux */
    }
    file_ref(f);
    replace(target, f, false);
    return target;
}

long sys_dup3(int fd, int target, int flags)
{
    if (flags & ~O_CLOEXEC) {
        return -EINVAL;
    }
    if (fd == target) {
        return -EINVAL; /* unlike dup2 */
    }
    struct file *f = fd_file(fd);
    if (f == NULL || target < 0 || target >= PROC_FDS) {
        return -EBADF;
    }
    file_ref(f);
    replace(target, f, (flags & O_CLOEXEC) != 0);
    return target;
}

long sys_pipe2(uint32_t user_fds, int flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) {
        return -EINVAL;
    }
    struct file *ends[2];
    if (file_new_pipe(&ends[0], &ends[1]) != 0) {
        return -ENFILE;
    }
    ends[0]->status_flags |= (uint32_t)flags & O_NONBLOCK;
    ends[1]->status_flags |= (uint32_t)flags & O_NONBLOCK;
    return fd_install_pair(ends, (flags & O_CLOEXEC) != 0, user_fds);
}

long fd_install_pair(struct file *ends[2], bool cloexec, uint32_t user_fds)
{
    int fds[2] = { fd_install(ends[0], 0, cloexec), -1 };
    if (fds[0] >= 0) {
        fds[1] = fd_install(ends[1], 0, cloexec);
    }
    if (fds[1] < 0 || copy_to_user(user_fds, fds, sizeof(fds)) != 0) {
        long err = fds[1] < 0 ? -EMFILE : -EFAULT;
        for (int i = 0; i < 2; i++) {
            if (fds[i] >= 0) {
                current->files->fds[fds[i]] =
                    NULL; /* not yet seen by the program: no close needed */
            }
            file_close(ends[i]);
        }
        return err;
    }
    return 0;
}

long sys_pipe(uint32_t user_fds)
{
    return sys_pipe2(user_fds, 0);
}

/* The flags F_GETFL reports: the access mode the file was opened with and its status flags. */
static uint32_t status_of(const struct file *f)
{
    return f->access | f->status_flags | O_LARGEFILE;
}

long sys_fcntl64(int fd, int cmd, uint32_t arg)
{
    struct file *f = fd_file(fd);
    if (f == NULL) {
        return -EBADF;
    }
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        return duplicate(fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
    case F_GETFD:
        return current->files->cloexec[fd] ? FD_CLOEXEC : 0;
    case F_SETFD:
        current->files->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
        return 0;
    case F_GETFL:
        return (long)status_of(f);
    case F_SETFL:
        /* Linux lets a program change only these; the access mode stays what open gave. */
        f->status_flags = (f->status_flags & ~(uint32_t)(O_APPEND | O_NONBLOCK | O_ASYNC)) |
                          (arg & (O_APPEND | O_NONBLOCK | O_ASYNC));
        return 0;
    default:
        return -EINVAL;
    }
}
