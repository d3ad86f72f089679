#pragma once
/*
 * The file systems at boot: a tmpfs at / populated from the boot tree (fs.h) without copying
 * a byte, a tmpfs at /tmp (mode 1777), a tmpfs at /dev with the character devices (chardev.h)
 * and procfs at /proc.
 */

/* Makes and mounts them. Called once, after fs_init; running out of memory here panics. */
void rootfs_init(void);
