/*
 * Host driver for lib/elf.c, run by tests/host/test_elf.py through hostdriver.py.
 *
 * Persistent: it answers requests on stdin until EOF (then exits 0). Every request is
 *
 *     u8 mode 'P', u32 length L (little-endian), then L bytes of payload:
 *     u32 user_top, then the file (L - 4 bytes)
 *
 * and calls elf_parse(file, L - 4, user_top, &image, error, ELF_ERROR_SIZE), the file being a
 * malloc'd copy of exactly L - 4 bytes and error a malloc'd buffer of exactly ELF_ERROR_SIZE
 * bytes, so that AddressSanitizer catches a read past the file or a write past the error. The
 * answer is some lines of text ending with a line ".":
 *
 *     status ok                      or   status error TEXT    (TEXT escaped: see below)
 *     entry 0x%08x
 *     phdr 0x%08x
 *     phnum N
 *     segment VADDR MEMSZ OFFSET FILESZ FLAGS    one a segment; numbers 0x%08x, FLAGS is "w" or
 *                                                "-", then "x" or "-"
 *     .
 *
 * Bytes 0x20..0x7e other than '\' stand for themselves in TEXT, every other byte is \xNN.
 *
 * What the tests cannot see from outside is checked here, and a violation aborts with a message
 * on stderr: the return value is 0 or -1, an error is a non-empty NUL-terminated line, a success
 * leaves the error buffer alone, and segment_count is at most ELF_MAX_SEGMENTS.
 */
#include <lib/elf.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "elf_driver"
#include "driver_io.h"

static void parse(const uint8_t *file, size_t size, uint32_t user_top)
{
    static struct elf_image image;
    memset(&image, FILL, sizeof(image));
    char *error = alloc_exact(ELF_ERROR_SIZE, 1);
    memset(error, FILL, ELF_ERROR_SIZE);

    int ret = elf_parse(file, size, user_top, &image, error, ELF_ERROR_SIZE);
    if (ret != 0 && ret != -1) {
        die("elf_parse returned neither 0 nor -1");
    }
    if (image.segment_count > ELF_MAX_SEGMENTS) {
        die("segment_count is larger than the array");
    }
    if (ret == 0) {
        if (!all_bytes(error, ELF_ERROR_SIZE, FILL)) {
            die("a success wrote to the error buffer");
        }
        printf("status ok\n");
    } else {
        const char *nul = memchr(error, 0, ELF_ERROR_SIZE);
        if (nul == NULL) {
            die("the error is not NUL-terminated");
        }
        if (nul == error || memchr(error, '\n', (size_t)(nul - error)) != NULL) {
            die("the error is not one non-empty line");
        }
        print_escaped("status error", error);
    }
    printf("entry 0x%08x\n", image.entry);
    printf("phdr 0x%08x\n", image.phdr_vaddr);
    printf("phnum %u\n", image.phnum);
    for (unsigned i = 0; i < image.segment_count; i++) {
        const struct elf_segment *s = &image.segments[i];
        printf("segment 0x%08x 0x%08x 0x%08x 0x%08x %c%c\n", s->vaddr, s->memsz, s->offset,
               s->filesz, s->writable ? 'w' : '-', s->executable ? 'x' : '-');
    }
    free(error);
}

static void answer(const struct driver_request *req)
{
    if (req->mode != 'P') {
        die("unknown request mode");
    }
    if (req->length < 4) {
        die("mode P needs at least 4 bytes of payload");
    }
    /* Exactly the file's bytes, so any read past its end is a heap overflow for ASan. */
    size_t size = req->length - 4;
    uint8_t *file = copy_exact(req->payload + 4, size);
    parse(file, size, read_le32(req->payload));
    free(file);
}

int main(void)
{
    return serve_requests(answer);
}
