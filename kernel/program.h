#pragma once
/*
 * Program files: what execve and the kernel's start-up hand the loader (loader.h). A file
 * the root still shares with a boot module is loaded from the module's bytes in place; any
 * other file is first read into one contiguous kernel buffer.
 */
#include <fs.h>
#include <loader.h>
#include <vfs.h>

/* The image of the boot-tree file f (no copy). */
struct program_image program_image_of_boot(const struct fs_file *f);

/*
 * The image of file node found at path (absolute). Returns 0, -EACCES (not a regular file, or
 * no execute bit), -ENOEXEC (an empty file) or -ENOMEM. Give it back with
 * program_image_release once loaded.
 */
long program_image_of(struct inode *node, const char *path, struct program_image *image);

/* Frees what program_image_of made (a copy of the file's bytes). */
void program_image_release(struct program_image *image);
