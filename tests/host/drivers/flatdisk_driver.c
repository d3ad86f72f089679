/*
 * Host driver for lib/flatdisk.c, run by tests/host/test_flatdisk.py through hostdriver.py.
 *
 * Persistent: it answers requests on stdin until EOF (then exits 0). Every request is
 *
 *     u8 mode 'F', u32 length L (little-endian), then L bytes: the ramdisk
 *
 * and calls flatdisk_parse on a malloc'd copy of exactly L bytes, with programs[] a malloc'd
 * array of exactly FLATDISK_MAX_PROGRAMS entries and error a malloc'd buffer of exactly
 * FLATDISK_ERROR_SIZE bytes, so that AddressSanitizer catches any access past one of them. The
 * answer is some lines of text ending with a line ".":
 *
 *     count N                  flatdisk_parse returned N >= 0, then one line a program:
 *     program OFFSET SIZE      decimal
 *   or
 *     error TEXT               it returned -1; TEXT escaped (bytes 0x20..0x7e other than '\'
 *                              as they are, every other byte as \xNN)
 *     .
 *
 * What the tests cannot see from outside is checked here, and a violation aborts with a message
 * on stderr: the return value is -1 or 0..FLATDISK_MAX_PROGRAMS, a success leaves the error
 * buffer and programs[] beyond the count alone, and an error is a non-empty NUL-terminated line.
 */
#include <lib/flatdisk.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "flatdisk_driver"
#include "driver_io.h"

static void parse(const uint8_t *disk, size_t size)
{
    size_t programs_size = FLATDISK_MAX_PROGRAMS * sizeof(struct flatdisk_program);
    struct flatdisk_program *programs = alloc_exact(programs_size, 1);
    char *error = alloc_exact(FLATDISK_ERROR_SIZE, 1);
    memset(programs, FILL, programs_size);
    memset(error, FILL, FLATDISK_ERROR_SIZE);

    int ret = flatdisk_parse(disk, size, programs, error, FLATDISK_ERROR_SIZE);
    if (ret < -1 || ret > FLATDISK_MAX_PROGRAMS) {
        die("flatdisk_parse returned something out of range");
    }
    if (ret >= 0) {
        if (!all_bytes(error, FLATDISK_ERROR_SIZE, FILL)) {
            die("a success wrote to the error buffer");
        }
        if (!all_bytes(programs + ret, (size_t)(FLATDISK_MAX_PROGRAMS - ret) * sizeof(*programs),
                       FILL)) {
            die("a success wrote to programs[] beyond the count");
        }
        printf("count %d\n", ret);
        for (int i = 0; i < ret; i++) {
            printf("program %u %u\n", programs[i].offset, programs[i].size);
        }
    } else {
        const char *nul = memchr(error, 0, FLATDISK_ERROR_SIZE);
        if (nul == NULL || nul == error || memchr(error, '\n', (size_t)(nul - error)) != NULL) {
            die("the error is not one non-empty NUL-terminated line");
        }
        print_escaped("error", error);
    }
    free(programs);
    free(error);
}

static void answer(const struct driver_request *req)
{
    if (req->mode != 'F') {
        die("unknown request mode");
    }
    parse(req->payload, req->length);
}

int main(void)
{
    return serve_requests(answer);
}
