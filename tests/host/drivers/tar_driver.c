/*
 * Host driver for lib/tar.c, run by tests/host/test_tar.py through hostdriver.py.
 *
 * Persistent: it answers requests on stdin until EOF (then exits 0). Every request is
 *
 *     u8 mode 'T', u32 length L (little-endian), then L bytes: the archive
 *
 * The archive is copied into a malloc'd buffer of exactly L bytes (so AddressSanitizer catches
 * any read past its end), then tar_iter_init and tar_next until tar_next returns 0 or -1. The
 * answer is one line a call, then a line ".":
 *
 *     entry TYPE OFFSET SIZE xPATH xLINK MODE
 *                                    tar_next returned 1: TYPE the type character, OFFSET the
 *                                    entry's data - the archive (decimal), PATH and LINK (the
 *                                    hard or symbolic link's target, empty for others) in hex,
 *                                    MODE the permission bits in octal
 *     end                            it returned 0
 *     error TEXT                     it returned -1; TEXT is it->error, escaped (bytes 0x20..0x7e
 *                                    other than '\' as they are, every other byte as \xNN)
 *     .
 *
 * What the tests cannot see from outside is checked here, and a violation aborts with a message
 * on stderr: the return value is -1, 0 or 1; every returned entry's type is '0', '5', '1' or
 * '2' (a hard link has a target starting with '/' and no size, a symbolic link a non-empty
 * target and no size, the others no target), the mode has no bits past 07777, its path
 * is NUL-terminated inside TAR_PATH_MAX and starts with '/', and its data (all size bytes of it)
 * lies inside the archive; a directory has size 0; the error is NUL-terminated and non-empty;
 * after 0 or -1 a further call returns 0 again; and no archive takes more calls than it has
 * 512-byte blocks (plus one), so an iteration that never ends is caught.
 */
#include <lib/tar.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "tar_driver"
#include "driver_io.h"

static void check_entry(const struct tar_entry *e, const uint8_t *archive, size_t size)
{
    if (e->type != '0' && e->type != '5' && e->type != '1' && e->type != '2') {
        die("an entry of a type other than '0', '5', '1' and '2'");
    }
    if (memchr(e->link, 0, TAR_PATH_MAX) == NULL) {
        die("the link is not NUL-terminated");
    }
    bool link = e->type == '1' || e->type == '2';
    if (link != (e->link[0] != '\0') || (e->type == '1' && e->link[0] != '/')) {
        die("a link target on an entry that is no link, or a bad one on one that is");
    }
    if (link && e->size != 0) {
        die("a link with a size of its own");
    }
    if (e->mode & ~07777u) {
        die("mode bits past 07777");
    }
    if (memchr(e->path, 0, TAR_PATH_MAX) == NULL) {
        die("the path is not NUL-terminated");
    }
    if (e->path[0] != '/') {
        die("the path does not start with '/'");
    }
    if (e->type == '5' && e->size != 0) {
        die("a directory with a size");
    }
    if (e->data < archive || e->data > archive + size ||
        e->size > (size_t)(archive + size - e->data)) {
        die("the data is not inside the archive");
    }
}

static void iterate(const uint8_t *archive, size_t size)
{
    struct tar_iter it;
    struct tar_entry entry;
    tar_iter_init(&it, archive, size);
    size_t calls = 0;
    int ret;
    for (;;) {
        memset(&entry, FILL, sizeof(entry));
        ret = tar_next(&it, &entry);
        if (++calls > size / 512 + 1) {
            die("more entries than blocks: the iteration does not end");
        }
        if (ret != 1) {
            break;
        }
        check_entry(&entry, archive, size);
        printf("entry %c %zu %u ", entry.type, (size_t)(entry.data - archive), entry.size);
        print_xhex(entry.path, strlen(entry.path));
        putchar(' ');
        print_xhex(entry.link, strlen(entry.link));
        printf(" %o\n", entry.mode);
    }
    if (ret == 0) {
        printf("end\n");
    } else if (ret == -1) {
        const char *nul = memchr(it.error, 0, TAR_ERROR_SIZE);
        if (nul == NULL || nul == it.error) {
            die("the error is empty or not NUL-terminated");
        }
        print_escaped("error", it.error);
    } else {
        die("tar_next returned neither -1, 0 nor 1");
    }
    if (tar_next(&it, &entry) != 0) {
        die("a call after the end did not return 0");
    }
}

static void answer(const struct driver_request *req)
{
    if (req->mode != 'T') {
        die("unknown request mode");
    }
    iterate(req->payload, req->length);
}

int main(void)
{
    return serve_requests(answer);
}
