#pragma once
/*
 * POSIX ustar archives (the initrd), read in place. Pure C, host-tested.
 */
#include <stddef.h>
#include <stdint.h>

/* "/" + prefix (155) + "/" + name (100) + NUL: the longest path ustar can hold fits. */
#define TAR_PATH_MAX   258
#define TAR_ERROR_SIZE 96

struct tar_entry {
    char path[TAR_PATH_MAX]; /* prefix "/" name, without a leading "./" or trailing "/" */
    const uint8_t *data;     /* inside the archive */
    uint32_t size;
    char type;               /* '0' regular file, '5' directory, '1' hard link, '2' symbolic
                                link; others are skipped */
    char link[TAR_PATH_MAX]; /* hard links: the path of the file it names, in the same form as
                                path (an earlier entry of the archive); symbolic links: the
                                target as written; "" otherwise */
    uint32_t mode;           /* permission bits (07777); 0644 when the field is no number */
    uint32_t uid;
    uint32_t gid;
    uint32_t mtime; /* seconds since 1970 */
};

struct tar_iter {
    const uint8_t *archive;
    size_t size;
    size_t offset;
    char error[TAR_ERROR_SIZE];
};

void tar_iter_init(struct tar_iter *it, const void *archive, size_t size);

/*
 * Reads the next file or directory. Returns 1 with out filled, 0 at the end of the archive (two
 * zero blocks, or the end of the data), or -1 when a header is bad (checksum, size, fields
 * without NUL, data past the end): it->error says why, and the iteration stops there.
 */
int tar_next(struct tar_iter *it, struct tar_entry *out);
