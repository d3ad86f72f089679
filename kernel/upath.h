#pragma once
/*
 * Paths that come from user space: copied in (at most PATH_MAX bytes with the NUL), resolved
 * from the current directory or a directory descriptor (the *at calls' dirfd), with Linux's
 * errno: EFAULT, ENAMETOOLONG, ENOENT (an empty path, unless AT_EMPTY_PATH), EBADF (dirfd),
 * ENOTDIR (dirfd is no directory), ELOOP, and what the walk finds (vfs.h).
 */
#include <stdbool.h>
#include <stdint.h>

#include <file.h>
#include <vfs.h>

/* The kernel copy of the path at user (a kmalloc'd PATH_MAX buffer, freed by the caller with
 * kfree), or an error; an empty path is -ENOENT unless allow_empty. */
long upath_copy(uint32_t user, bool allow_empty, char **out);

/* What dirfd names as the start of the relative path path (referenced): the current
 * directory for AT_FDCWD, the root for an absolute path. */
long upath_start(int dirfd, const char *path, struct inode **dir);

/*
 * Resolves the user path at user from dirfd. at_flags: AT_SYMLINK_NOFOLLOW (the last
 * component is not followed), AT_EMPTY_PATH (an empty path names dirfd's own file: *file is
 * set, and *node is its inode, referenced, or NULL for a pipe or the console). Returns 0 with
 * *node referenced, or an error.
 */
long upath_lookup(int dirfd, uint32_t user, int at_flags, struct inode **node, struct file **file);

/* Where a path's last component would be: the directory (referenced) and the name. */
struct upath_last {
    struct inode *dir;
    char name[NAME_MAX + 1];
    bool trailing_slash; /* the path ended in '/' */
};

/* Resolves all but the last component (vfs_walk_parent) of the user path at user from dirfd.
 * On success the caller gives last->dir back with inode_put. */
long upath_parent(int dirfd, uint32_t user, struct upath_last *last);

/*
 * Follows symbolic links in last's final component until it names no link, so that the path
 * recorded for an open file (/proc/PID/fd/N) or a program (/proc/PID/exe) is the file's own,
 * as Linux's d_path gives it, not the link's: a program run through /proc/self/exe (busybox
 * does) must not record that link, whose next use would point at itself. 0, -ENOMEM, -ELOOP
 * after 40 links, or the walk's error; last's directory reference is replaced as it goes.
 */
long upath_follow_last(struct upath_last *last);

/* The absolute path of dir's entry name, which is node (kmalloc'd; NULL without memory). */
char *upath_absolute(struct inode *dir, const char *name, struct inode *node);
