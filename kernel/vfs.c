#include <vfs.h>

#include <clock.h>
#include <heap.h>
#include <kprintf.h>
#include <lib/string.h>

#include <abi/dirent.h>
#include <abi/errno.h>
#include <abi/stat.h>

#define MOUNT_MAX 8

static struct super *mounts[MOUNT_MAX];
static unsigned mount_count;

struct inode *inode_new(struct super *sb, size_t size, uint32_t mode, const struct inode_ops *ops)
{
    struct inode *node = kcalloc(1, size);
    if (node == NULL) {
        return NULL;
    }
    node->refs = 1;
    node->ino = sb->next_ino++;
    node->mode = mode;
    node->sb = sb;
    node->ops = ops;
    node->atime = node->mtime = node->ctime = vfs_now();
    return node;
}

struct inode *inode_get(struct inode *node)
{
    node->refs++;
    return node;
}

void inode_put(struct inode *node)
{
    while (node && --node->refs == 0 && (node->links == 0 || node->transient)) {
        struct inode *parent = node->parent != node ? node->parent : NULL;
        if (node->ops->destroy) {
            node->ops->destroy(node);
        }
        kfree(node);
        node = parent; /* the directory's reference on its parent goes too */
    }
}

struct timestamp vfs_now(void)
{
    uint64_t ns = clock_monotonic_ns();
    return (struct timestamp){ .sec = clock_boot_realtime() + (uint32_t)(ns / 1000000000u),
                               .nsec = (uint32_t)(ns % 1000000000u) };
}

uint32_t vfs_new_dev(void)
{
    static uint32_t next = 1;
    return next++;
}

long vfs_mount(struct super *sb, struct inode *at, const char *path)
{
    if (mount_count == MOUNT_MAX) {
        return -ENOMEM;
    }
    if (at) {
        if (at->mounted) {
            return -EBUSY;
        }
        at->mounted = inode_get(sb->root);
        sb->covered = inode_get(at);
    }
    strlcpy(sb->mount_path, path, sizeof(sb->mount_path));
    mounts[mount_count++] = sb;
    return 0;
}

struct super *vfs_mount_at(unsigned index)
{
    return index < mount_count ? mounts[index] : NULL;
}

struct inode *vfs_root(void)
{
    return inode_get(mounts[0]->root);
}

static bool is_dir(const struct inode *node)
{
    return (node->mode & S_IFMT) == S_IFDIR;
}

/* What is seen at node: the root of a file system mounted on it, if any (node's reference
 * becomes the root's). */
static struct inode *cross_mounts(struct inode *node)
{
    while (node->mounted) {
        struct inode *root = inode_get(node->mounted);
        inode_put(node);
        node = root;
    }
    return node;
}

/* The directory ".." of dir names (referenced): the parent, above a mount's root the mount
 * point's parent, and / for /. */
static struct inode *parent_of(struct inode *dir)
{
    while (dir == dir->sb->root && dir->sb->covered) {
        dir = dir->sb->covered;
    }
    return inode_get(dir->parent ? dir->parent : dir);
}

/* The child name of dir (referenced), or an error. */
static long step(struct inode *dir, const char *name, struct inode **out)
{
    if (!is_dir(dir)) {
        return -ENOTDIR;
    }
    if (dir->links == 0 && !dir->transient) {
        return -ENOENT; /* a removed directory has no entries, not even ".." */
    }
    if (strcmp(name, ".") == 0) {
        *out = inode_get(dir);
        return 0;
    }
    if (strcmp(name, "..") == 0) {
        *out = parent_of(dir);
        return 0;
    }
    struct inode *child = dir->ops->lookup ? dir->ops->lookup(dir, name) : NULL;
    if (child == NULL) {
        return -ENOENT;
    }
    *out = cross_mounts(child);
    return 0;
}

/* The walk's state: the path still to resolve lives in rest (PATH_MAX bytes). */
struct walk {
    char *rest;
    size_t pos;
    unsigned links_followed;
};

/* The next component of the walk into name; false at the end. Sets *last when no component
 * follows it (trailing slashes aside) and *slash when the path goes on with '/'. */
static long next_component(struct walk *w, char name[NAME_MAX + 1], bool *last, bool *slash)
{
    const char *s = w->rest + w->pos;
    while (*s == '/') {
        s++;
    }
    size_t n = 0;
    while (s[n] && s[n] != '/') {
        n++;
    }
    if (n > NAME_MAX) {
        return -ENAMETOOLONG;
    }
    memcpy(name, s, n);
    name[n] = '\0';
    const char *after = s + n;
    *slash = *after == '/';
    while (*after == '/') {
        after++;
    }
    *last = *after == '\0';
    w->pos = (size_t)(after - w->rest);
    return (long)n;
}

/* Replaces the walk's consumed part with link's target: rest becomes target + "/" + rest.
 * Returns whether the target was absolute (the walk restarts at the root), or an error. */
static long splice_link(struct walk *w, struct inode *link)
{
    if (++w->links_followed > SYMLINK_LIMIT) {
        return -ELOOP;
    }
    char *target = kmalloc(PATH_MAX);
    if (target == NULL) {
        return -ENOMEM;
    }
    long len = link->ops->readlink ? link->ops->readlink(link, target, PATH_MAX) : -EINVAL;
    size_t tail = strlen(w->rest + w->pos);
    if (len >= 0 && (size_t)len + 1 + tail + 1 > PATH_MAX) {
        len = -ENAMETOOLONG;
    }
    if (len == 0) {
        len = -ENOENT; /* an empty target names nothing */
    }
    if (len > 0) {
        memmove(w->rest + len + 1, w->rest + w->pos, tail + 1);
        memcpy(w->rest, target, (size_t)len);
        w->rest[len] = tail ? '/' : '\0';
        w->pos = 0;
        len = target[0] == '/';
    }
    kfree(target);
    return len;
}

static bool is_link(const struct inode *node)
{
    return (node->mode & S_IFMT) == S_IFLNK;
}

/*
 * The walk itself. With want_parent, stops before the last component: *out is its directory
 * and name the component. Otherwise *out is what the whole path names.
 */
static long walk(struct inode *dir, const char *path, unsigned flags, bool want_parent,
                 struct inode **out, char name[NAME_MAX + 1], bool *trailing_slash)
{
    size_t len = strnlen(path, PATH_MAX);
    if (len == PATH_MAX) {
        return -ENAMETOOLONG;
    }
    if (len == 0) {
        return -ENOENT;
    }
    struct walk w = { .rest = kmalloc(PATH_MAX) };
    if (w.rest == NULL) {
        return -ENOMEM;
    }
    memcpy(w.rest, path, len + 1);
    struct inode *at = path[0] == '/' ? vfs_root() : inode_get(dir);
    char *component = name ? name : kmalloc(NAME_MAX + 1);
    long err = component ? 0 : -ENOMEM;
    bool slash_seen = path[len - 1] == '/';
    while (err == 0) {
        bool last, slash;
        long n = next_component(&w, component, &last, &slash);
        if (n < 0) {
            err = n;
            break;
        }
        if (n == 0) {
            strlcpy(component, ".", NAME_MAX + 1); /* "/" or a path of slashes */
            last = true;
        }
        if (last && want_parent) {
            if (!is_dir(at)) {
                err = -ENOTDIR;
            }
            if (trailing_slash) {
                *trailing_slash = slash || slash_seen;
            }
            break;
        }
        struct inode *next;
        err = step(at, component, &next);
        if (err != 0) {
            break;
        }
        if (is_link(next) && (!last || slash || !(flags & WALK_NOFOLLOW))) {
            long absolute = splice_link(&w, next);
            inode_put(next);
            if (absolute < 0) {
                err = absolute;
                break;
            }
            if (absolute) {
                inode_put(at);
                at = vfs_root();
            }
            continue; /* at stays the link's directory: a relative target starts there */
        }
        inode_put(at);
        at = next;
        if (last) {
            if (slash && !is_dir(at)) {
                err = -ENOTDIR; /* "file/" */
            }
            break;
        }
    }
    if (component != name) {
        kfree(component);
    }
    kfree(w.rest);
    if (err != 0) {
        inode_put(at);
        return err;
    }
    *out = at;
    return 0;
}

long vfs_walk(struct inode *dir, const char *path, unsigned flags, struct inode **out)
{
    return walk(dir, path, flags, false, out, NULL, NULL);
}

long vfs_walk_parent(struct inode *dir, const char *path, struct inode **parent,
                     char name[NAME_MAX + 1], bool *trailing_slash)
{
    return walk(dir, path, 0, true, parent, name, trailing_slash);
}

/* The name dir has in its parent, found by its inode number. */
static bool name_in_parent(struct inode *parent, struct inode *dir, struct dir_entry *entry)
{
    uint32_t cursor = 0;
    while (parent->ops->next_entry && parent->ops->next_entry(parent, &cursor, entry)) {
        if (entry->ino == dir->ino) {
            return true;
        }
    }
    return false;
}

long vfs_dir_path(struct inode *dir, char *buf, size_t size)
{
    struct dir_entry *entry = kmalloc(sizeof(*entry));
    if (entry == NULL) {
        return -ENOMEM;
    }
    /* Built from the end of buf towards its start, then moved down. */
    size_t start = size - 1;
    buf[start] = '\0';
    long err = 0;
    for (;;) {
        while (dir == dir->sb->root && dir->sb->covered) {
            dir = dir->sb->covered;
        }
        if (dir->parent == NULL || dir->parent == dir) {
            break; /* the root */
        }
        if (dir->links == 0 && !dir->transient) {
            err = -ENOENT;
            break;
        }
        if (!name_in_parent(dir->parent, dir, entry)) {
            err = -ENOENT;
            break;
        }
        size_t n = strlen(entry->name);
        if (n + 1 > start) {
            err = -ERANGE;
            break;
        }
        start -= n;
        memcpy(buf + start, entry->name, n);
        buf[--start] = '/';
        dir = dir->parent;
    }
    kfree(entry);
    if (err != 0) {
        return err;
    }
    if (start == size - 1) {
        if (size < 2) {
            return -ERANGE;
        }
        buf[--start] = '/';
    }
    size_t len = size - 1 - start;
    memmove(buf, buf + start, len + 1);
    return (long)len;
}

bool vfs_is_inside(struct inode *node, struct inode *dir)
{
    for (struct inode *at = node; at; at = at->parent != at ? at->parent : NULL) {
        if (at == dir) {
            return true;
        }
    }
    return false;
}

uint8_t vfs_dirent_type(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR:
        return DT_DIR;
    case S_IFCHR:
        return DT_CHR;
    case S_IFLNK:
        return DT_LNK;
    case S_IFIFO:
        return DT_FIFO;
    case S_IFREG:
        return DT_REG;
    default:
        return DT_UNKNOWN;
    }
}
