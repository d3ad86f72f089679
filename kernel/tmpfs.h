#pragma once
/*
 * tmpfs: files, directories, symbolic links and device nodes in RAM. A regular file's bytes
 * are whole page frames (a missing page reads as zeros); a file made at boot from the boot tree
 * first shares the module's bytes and gets pages of its own on its first change (copy up).
 * Each instance may take at most half of RAM's frames (Linux's default size= for tmpfs); past
 * that, or when frames run out, writes fail with ENOSPC.
 */
#include <stdbool.h>
#include <stdint.h>

#include <fs.h>
#include <vfs.h>

/* A new, empty tmpfs (its root a directory with mode 0755 | extra_mode bits, e.g. the sticky
 * bit of /tmp), or NULL when out of memory. */
struct super *tmpfs_new(uint32_t root_mode);

/* Whether node belongs to a tmpfs. */
bool tmpfs_owns(const struct inode *node);

/*
 * Names a file of the boot tree in dir without copying it: the new regular file reads boot's
 * bytes until it is first changed. Returns 0 with *out referenced, or -ENOMEM.
 */
long tmpfs_add_boot_file(struct inode *dir, const char *name, const struct fs_file *boot,
                         struct inode **out);

/* The boot-tree file node still shares (unchanged since boot), or NULL. */
const struct fs_file *tmpfs_boot_origin(const struct inode *node);

/* Copies up to n bytes of regular file node at offset into the kernel buffer buf. Returns the
 * bytes copied (short at the end of the file). */
uint32_t tmpfs_read_kernel(struct inode *node, uint32_t offset, void *buf, uint32_t n);

/* Pages in use by all tmpfs instances (file data), for /proc/meminfo's Shmem. */
uint32_t tmpfs_pages_in_use(void);
