#pragma once
/*
 * The read-only file tree of everything the boot loader handed over: the initrd's files at their
 * own paths (/bin/init, /etc/motd), every other module at /mod/NAME (NAME = the first word of
 * its command line), and the programs of a flat ramdisk at /mod/flat0, /mod/flat1, ...
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
    FS_DEVICE_NULL,    /* /dev/null */
    FS_DEVICE_TTY,     /* /dev/tty: the console */
};

struct fs_file {
    char path[FS_PATH_MAX];
    enum fs_kind kind;
    const uint8_t *data;
    uint32_t size;
    uint32_t phys;             /* physical address of data when page-aligned, else 0 */
    char args[FS_ARGS_MAX];    /* modules: the command line (its words are the program's argv) */
};

/* Builds the tree from the modules; reports modules and archive entries it cannot take. */
void fs_init(const struct boot_info *info);

/* The file or directory at path, or NULL. */
const struct fs_file *fs_lookup(const char *path);

/*
 * The entries directly inside directory dir, one per call: *cursor starts at 0 and moves on.
 * Returns NULL after the last one.
 */
const struct fs_file *fs_next_child(const struct fs_file *dir, uint32_t *cursor);

/* The position of f in the tree (its inode number is this + 1). */
unsigned fs_index(const struct fs_file *f);

/* The files in the order they were added (module order). */
unsigned fs_count(void);
const struct fs_file *fs_at(unsigned index);
