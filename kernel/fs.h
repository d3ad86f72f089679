#pragma once
/*
 * The boot tree: the catalogue of everything the boot loader handed over, read once at boot.
 * The initrd's files at their own paths (/bin/init, /etc/motd), every other module at /mod/NAME
 * (NAME = the first word of its command line), and the programs of a flat ramdisk at
 * /mod/flat0, /mod/flat1, ... The root file system (rootfs.c) is populated from it; the kernel
 * starts init and the program modules from it (startup.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include <lib/bootinfo.h>

#define FS_PATH_MAX  128
#define FS_MAX_FILES 1024 /* a busybox initrd names ~400 applets */
#define FS_ARGS_MAX  160

enum fs_kind {
    FS_FILE,
    FS_DIRECTORY,
    FS_MODULE_PROGRAM, /* an ELF module: started with init=none */
    FS_FLAT_PROGRAM,   /* a flat-ramdisk program: started with init=none */
    FS_SYMLINK,        /* an initrd's symbolic link: args holds the target */
};

struct fs_file {
    char path[FS_PATH_MAX];
    enum fs_kind kind;
    const uint8_t *data;
    uint32_t size;
    uint32_t phys;                 /* physical address of data when page-aligned, else 0 */
    char args[FS_ARGS_MAX];        /* modules: the command line (its words are the program's argv);
                                      symbolic links: the target */
    const struct fs_file *link_to; /* an initrd's hard link: the earlier file it names */
    uint32_t mode;                 /* permission bits */
    uint32_t uid, gid;
    uint32_t mtime; /* seconds since 1970; 0: the boot time */
};

/* Builds the tree from the modules; reports modules and archive entries it cannot take. */
void fs_init(const struct boot_info *info);

/* The file or directory at path, or NULL. */
const struct fs_file *fs_lookup(const char *path);

/* The files in the order they were added (module order). */
unsigned fs_count(void);
const struct fs_file *fs_at(unsigned index);
