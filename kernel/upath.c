#include <upath.h>

#include <fd.h>
#include <heap.h>
#include <lib/string.h>
#include <proc.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>

long upath_copy(uint32_t user, bool allow_empty, char **out)
{
    char *path = kmalloc(PATH_MAX);
    if (path == NULL) {
        return -ENOMEM;
    }
    long len = strncpy_from_user(path, user, PATH_MAX);
    if (len == 0 && !allow_empty) {
        len = -ENOENT;
    }
    if (len < 0) {
        kfree(path);
        return len;
    }
    *out = path;
    return 0;
}

long upath_start(int dirfd, const char *path, struct inode **dir)
{
    if (path[0] == '/') {
        *dir = vfs_root();
        return 0;
    }
    if (dirfd == AT_FDCWD) {
        *dir = inode_get(current->files->cwd);
        return 0;
    }
    struct file *f = fd_file(dirfd);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->node == NULL || (f->node->mode & S_IFMT) != S_IFDIR) {
        return -ENOTDIR;
    }
    *dir = inode_get(f->node);
    return 0;
}

long upath_lookup(int dirfd, uint32_t user, int at_flags, struct inode **node, struct file **file)
{
    char *path;
    long err = upath_copy(user, (at_flags & AT_EMPTY_PATH) != 0, &path);
    if (err != 0) {
        return err;
    }
    *file = NULL;
    if (path[0] == '\0') { /* AT_EMPTY_PATH: dirfd itself */
        kfree(path);
        if (dirfd == AT_FDCWD) {
            *node = inode_get(current->files->cwd);
            return 0;
        }
        struct file *f = fd_file(dirfd);
        if (f == NULL) {
            return -EBADF;
        }
        *file = f;
        *node = f->node ? inode_get(f->node) : NULL;
        return 0;
    }
    struct inode *start;
    err = upath_start(dirfd, path, &start);
    if (err == 0) {
        err = vfs_walk(start, path, (at_flags & AT_SYMLINK_NOFOLLOW) ? WALK_NOFOLLOW : 0, node);
        inode_put(start);
    }
    kfree(path);
    return err;
}

long upath_parent(int dirfd, uint32_t user, struct upath_last *last)
{
    char *path;
    long err = upath_copy(user, false, &path);
    if (err != 0) {
        return err;
    }
    struct inode *start;
    err = upath_start(dirfd, path, &start);
    if (err == 0) {
        err = vfs_walk_parent(start, path, &last->dir, last->name, &last->trailing_slash);
        inode_put(start);
    }
    kfree(path);
    return err;
}

char *upath_absolute(struct inode *dir, const char *name, struct inode *node)
{
    char *path = kmalloc(PATH_MAX);
    if (path == NULL) {
        return NULL;
    }
    bool is_dir = (node->mode & S_IFMT) == S_IFDIR;
    long len = vfs_dir_path(is_dir ? node : dir, path, PATH_MAX);
    size_t n = strlen(name);
    if (len < 0 || (!is_dir && (size_t)len + 1 + n + 1 > PATH_MAX)) {
        strlcpy(path, name, PATH_MAX); /* an unreachable directory: the name is what is known */
    } else if (!is_dir) {
        if (len > 1) {
            path[len++] = '/';
        }
        memcpy(path + len, name, n + 1);
    }
    char *exact = krealloc(path, strlen(path) + 1);
    return exact ? exact : path;
}

long upath_follow_last(struct upath_last *last)
{
    char *target = kmalloc(PATH_MAX);
    if (target == NULL) {
        return -ENOMEM;
    }
    long err = 0;
    for (int links = 0; err == 0; links++) {
        struct inode *node;
        if (vfs_walk(last->dir, last->name, WALK_NOFOLLOW, &node) != 0) {
            break; /* the ordinary walk reports what is wrong */
        }
        bool is_link = (node->mode & S_IFMT) == S_IFLNK && node->ops->readlink;
        long len = is_link ? node->ops->readlink(node, target, PATH_MAX) : 0;
        inode_put(node);
        if (!is_link) {
            break;
        }
        if (links == 40) {
            err = -ELOOP;
        } else if (len < 0) {
            err = len;
        } else {
            target[len < PATH_MAX ? len : PATH_MAX - 1] = '\0';
            struct inode *dir;
            bool slash = last->trailing_slash;
            err = vfs_walk_parent(last->dir, target, &dir, last->name, &last->trailing_slash);
            last->trailing_slash |= slash;
            if (err == 0) {
                inode_put(last->dir);
                last->dir = dir;
            }
        }
    }
    kfree(target);
    return err;
}
