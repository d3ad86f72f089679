#include <rootfs.h>

#include <chardev.h>
#include <fs.h>
#include <kprintf.h>
#include <lib/string.h>
#include <procfs.h>
#include <tmpfs.h>
#include <vfs.h>

#include <abi/stat.h>

/* The inode of a file of the boot tree already in the root (a hard link's target). */
static struct inode *boot_inode(struct inode *root, const struct fs_file *f)
{
    struct inode *node;
    return vfs_walk(root, f->path, WALK_NOFOLLOW, &node) == 0 ? node : NULL;
}

/* Names boot-tree file f in the root file system. */
static long add_boot_file(struct inode *root, const struct fs_file *f)
{
    struct inode *dir;
    char name[NAME_MAX + 1];
    bool slash;
    long err = vfs_walk_parent(root, f->path, &dir, name, &slash);
    if (err != 0) {
        return err;
    }
    struct inode *node = dir->ops->lookup(dir, name);
    if (node) {
        inode_put(node); /* made already ("/mod", or a directory named twice) */
        inode_put(dir);
        return 0;
    }
    if (f->kind == FS_DIRECTORY) {
        err = dir->ops->create(dir, name, S_IFDIR | (f->mode & 07777), 0, NULL, &node);
    } else if (f->kind == FS_SYMLINK) {
        err = dir->ops->create(dir, name, S_IFLNK | 0777, 0, f->args, &node);
    } else if (f->link_to && (node = boot_inode(root, f->link_to)) != NULL) {
        err = dir->ops->link(dir, name, node);
    } else {
        err = tmpfs_add_boot_file(dir, name, f, &node);
    }
    if (err == 0) {
        node->uid = f->uid;
        node->gid = f->gid;
        if (f->mtime) {
            node->mtime = node->ctime = (struct timestamp){ .sec = f->mtime };
        }
        inode_put(node);
    }
    inode_put(dir);
    return err;
}

/* A directory at path in the root (made if missing), referenced. */
static struct inode *directory(struct inode *root, const char *name, uint32_t mode)
{
    struct inode *node = root->ops->lookup(root, name);
    if (node == NULL && root->ops->create(root, name, S_IFDIR | mode, 0, NULL, &node) != 0) {
        panic("rootfs: no memory for /%s", name);
    }
    return node;
}

static void mount_on(struct inode *root, const char *name, struct super *sb, const char *path)
{
    if (sb == NULL) {
        panic("rootfs: no memory for %s", path);
    }
    struct inode *at = directory(root, name, 0755);
    if (vfs_mount(sb, at, path) != 0) {
        panic("rootfs: cannot mount %s", path);
    }
    inode_put(at);
}

void rootfs_init(void)
{
    struct super *sb = tmpfs_new(0755);
    if (sb == NULL || vfs_mount(sb, NULL, "/") != 0) {
        panic("rootfs: no memory for the root file system");
    }
    struct inode *root = vfs_root();
    for (unsigned i = 0; i < fs_count(); i++) {
        const struct fs_file *f = fs_at(i);
        if (strcmp(f->path, "/") != 0 && add_boot_file(root, f) != 0) {
            kprintf("rootfs: %s left out\n", f->path);
        }
    }
    struct super *dev = tmpfs_new(0755);
    mount_on(root, "dev", dev, "/dev");
    if (dev) {
        chardev_populate(dev->root);
    }
    mount_on(root, "tmp", tmpfs_new(01777), "/tmp");
    mount_on(root, "proc", procfs_new(), "/proc");
    inode_put(root);
}
