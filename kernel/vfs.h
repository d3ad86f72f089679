#pragma once
/*
 * The virtual file system: inodes, the mount table and path resolution (xv6-simple, with Linux's
 * rules and errno). Every file Ringlet has is an inode of one of two file systems:
 *
 *   tmpfs (tmpfs.c)   files in RAM: the root (populated at boot from the boot tree, fs.h,
 *                     sharing the modules' bytes until a file is first written), /tmp and /dev
 *                     (whose character devices, chardev.c, are inodes with a device number);
 *   procfs (procfs.c) /proc, made up on each lookup from the process table.
 *
 * Reference rules: every struct inode * a function here returns carries one reference, which
 * the caller gives back with inode_put. An inode lives while it has references or names
 * (links); a transient one (procfs) dies with its last reference. A directory holds a
 * reference on its parent. The kernel runs one system call at a time with interrupts off and
 * none of this sleeps, so nothing here needs a lock.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PATH_MAX      4096 /* bytes in a path, with its NUL: longer is ENAMETOOLONG */
#define NAME_MAX      255  /* bytes in one component */
#define SYMLINK_LIMIT 40   /* symbolic links one resolution may follow: more is ELOOP */

struct file;
struct inode;
struct super;

struct dir_entry {
    uint32_t ino;
    uint8_t type; /* DT_* */
    char name[NAME_MAX + 1];
};

/* What a file system does for its inodes; a NULL entry means "not here" (each caller names
 * the errno Linux gives for that: EROFS, EPERM, ENOTDIR, EINVAL ...). */
struct inode_ops {
    /* Directories. lookup: the child called name, referenced, or NULL. next_entry: the entry
     * at *cursor (0, 1, ... over the file system's own entries, without "." and ".."), moving
     * the cursor past it; false after the last. */
    struct inode *(*lookup)(struct inode *dir, const char *name);
    bool (*next_entry)(struct inode *dir, uint32_t *cursor, struct dir_entry *out);
    /* A new inode named name in dir: mode's type says what (S_IFREG, S_IFDIR, S_IFLNK with
     * target, S_IFCHR with rdev). Returns 0 with *out referenced, -ENOSPC, -ENOMEM. The name
     * is known to be absent. */
    long (*create)(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
                   const char *target, struct inode **out);
    long (*link)(struct inode *dir, const char *name, struct inode *target);
    /* Takes the name away (the VFS checked what it names and that a directory is empty). */
    long (*unlink)(struct inode *dir, const char *name);
    /* Moves from_dir/from_name to to_dir/to_name, replacing what is there (the VFS checked
     * that the replacement is allowed). */
    long (*rename)(struct inode *from_dir, const char *from_name, struct inode *to_dir,
                   const char *to_name);
    /* Files. open may prepare f (procfs writes the file's text now); read and write move
     * bytes at offset to or from a user buffer the caller checked; release undoes open. */
    long (*open)(struct inode *node, struct file *f);
    long (*read)(struct inode *node, struct file *f, uint32_t user_buf, uint32_t n,
                 uint32_t offset);
    long (*write)(struct inode *node, struct file *f, uint32_t user_buf, uint32_t n,
                  uint32_t offset);
    void (*release)(struct inode *node, struct file *f);
    long (*truncate)(struct inode *node, uint32_t size);
    /* Symbolic links: the target into buf (NUL-terminated); its length or an error. */
    long (*readlink)(struct inode *node, char *buf, size_t size);
    /* Gives back what the file system keeps for node (the VFS frees node itself). */
    void (*destroy)(struct inode *node);
};

struct timestamp {
    uint32_t sec;
    uint32_t nsec;
};

struct inode {
    unsigned refs;
    uint32_t links; /* names in directories (a directory: 2 + its subdirectories) */
    bool transient; /* dies with its last reference, whatever links says (procfs) */
    uint32_t ino;
    uint32_t mode; /* S_IFMT type and permission bits */
    uint32_t uid;
    uint32_t gid;
    uint32_t rdev; /* character devices: major << 8 | minor */
    uint32_t size;
    struct timestamp atime, mtime, ctime;
    struct super *sb;
    const struct inode_ops *ops;
    struct inode *parent;  /* directories: the one holding it (a root: itself) */
    struct inode *mounted; /* a mount point: the root of the file system mounted here */
};

/* A mounted file system. */
struct super {
    uint32_t dev;        /* st_dev: Linux's anonymous devices, 0:N */
    const char *type;    /* "tmpfs", "proc" */
    char mount_path[64]; /* where it is mounted, for /proc/mounts */
    struct inode *root;
    struct inode *covered; /* the directory it is mounted on; NULL for / */
    uint32_t next_ino;
    uint32_t block_size;
    uint64_t (*blocks)(struct super *sb, uint64_t *free); /* statfs: total and free blocks */
};

/* A new inode of sb with one reference and no links, or NULL when out of memory; size is
 * the whole object (a file system's inode starts with struct inode). */
struct inode *inode_new(struct super *sb, size_t size, uint32_t mode, const struct inode_ops *ops);

/* Takes one more reference / drops one (the last one, with no links left, destroys node). */
struct inode *inode_get(struct inode *node);
void inode_put(struct inode *node);

/* The time now, for timestamps. */
struct timestamp vfs_now(void);

/* A new anonymous device number for a file system's st_dev (Linux's 0:N). */
uint32_t vfs_new_dev(void);

/* Registers sb (root made) as mounted on the directory at. Returns 0 or -EBUSY / -ENOMEM. */
long vfs_mount(struct super *sb, struct inode *at, const char *path);

/* The mounted file systems in mount order: index 0 is /. NULL past the last. */
struct super *vfs_mount_at(unsigned index);

/* The root directory (referenced). */
struct inode *vfs_root(void);

/* Path resolution flags */
#define WALK_NOFOLLOW 0x1u /* the last component is not followed when it is a symbolic link */

/*
 * Resolves path (a kernel string) from dir (for a relative path) to an inode. Returns 0 with
 * *out referenced, or -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP.
 */
long vfs_walk(struct inode *dir, const char *path, unsigned flags, struct inode **out);

/*
 * Resolves all but the last component of path: *parent (referenced) is the directory that
 * would hold it and name its last component ("." or ".." when the path ends so: callers that
 * create or remove refuse those). *trailing_slash says the path ended in '/'. Errors as
 * vfs_walk; an empty last component (the path "/") gives name ".".
 */
long vfs_walk_parent(struct inode *dir, const char *path, struct inode **parent,
                     char name[NAME_MAX + 1], bool *trailing_slash);

/* The absolute path of directory dir into buf: its length, or -ENOENT (removed), -ERANGE. */
long vfs_dir_path(struct inode *dir, char *buf, size_t size);

/* Whether node is dir or lies below it (rename may not move a directory into itself). */
bool vfs_is_inside(struct inode *node, struct inode *dir);

/* The DT_* type of mode. */
uint8_t vfs_dirent_type(uint32_t mode);
