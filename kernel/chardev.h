#pragma once
/*
 * Character devices: inodes of mode S_IFCHR whose device number (Linux's) says what opening
 * them gives. /dev (a tmpfs) holds one node for each:
 *
 *   null (1,3)  reads end of file, writes vanish     zero (1,5)  reads zeros, writes vanish
 *   full (1,7)  reads zeros, writes fail: ENOSPC     random (1,8), urandom (1,9): random.h
 *   tty (5,0), console (5,1), ttyS0 (4,64): the console (tty.c)
 */
#include <stdint.h>

#include <file.h>
#include <vfs.h>

#define DEVICE_NUMBER(major, minor) ((uint32_t)(major) << 8 | (uint32_t)(minor))

/* Makes the device nodes in dir (/dev). */
void chardev_populate(struct inode *dir);

/* Opening node: sets f's type (FILE_CONSOLE or FILE_DEVICE). 0, or -ENXIO for a number no
 * device has. */
long chardev_open(struct inode *node, struct file *f);

/* read and write on a FILE_DEVICE file, with a user buffer the caller checked. */
long chardev_read(struct file *f, uint32_t user_buf, uint32_t n);
long chardev_write(struct file *f, uint32_t user_buf, uint32_t n);
