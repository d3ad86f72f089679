#include <program.h>

#include <heap.h>
#include <tmpfs.h>

#include <abi/errno.h>
#include <abi/stat.h>

struct program_image program_image_of_boot(const struct fs_file *f)
{
    return (struct program_image){ .data = f->data,
                                   .size = f->size,
                                   .phys = f->phys,
                                   .flat = f->kind == FS_FLAT_PROGRAM,
                                   .path = f->path };
}

long program_image_of(struct inode *node, const char *path, struct program_image *image)
{
    if ((node->mode & S_IFMT) != S_IFREG || !(node->mode & 0111) || !tmpfs_owns(node)) {
        return -EACCES;
    }
    const struct fs_file *boot = tmpfs_boot_origin(node);
    if (boot) {
        *image = program_image_of_boot(boot);
        image->path = path;
        image->copy = NULL;
        return 0;
    }
    if (node->size == 0) {
        return -ENOEXEC;
    }
    uint8_t *copy = kmalloc(node->size);
    if (copy == NULL) {
        return -ENOMEM;
    }
    tmpfs_read_kernel(node, 0, copy, node->size);
    *image = (struct program_image){ .data = copy, .size = node->size, .path = path, .copy = copy };
    return 0;
}

void program_image_release(struct program_image *image)
{
    kfree(image->copy);
    image->copy = NULL;
}
