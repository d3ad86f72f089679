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

#define FILL 0xa5

static void die(const char *what) __attribute__((noreturn));

static void die(const char *what)
{
    fprintf(stderr, "flatdisk_driver: %s\n", what);
    abort();
}

static int read_exact(void *dst, size_t n)
{
    return fread(dst, 1, n, stdin) == n;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void print_escaped(const char *label, const char *s)
{
    printf("%s ", label);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p <= 0x7e && *p != '\\') {
            putchar(*p);
        } else {
            printf("\\x%02x", *p);
        }
    }
    putchar('\n');
}

static int untouched(const void *buf, size_t n)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != FILL) {
            return 0;
        }
    }
    return 1;
}

static void parse(const uint8_t *disk, size_t size)
{
    size_t programs_size = FLATDISK_MAX_PROGRAMS * sizeof(struct flatdisk_program);
    struct flatdisk_program *programs = malloc(programs_size);
    char *error = malloc(FLATDISK_ERROR_SIZE);
    if (programs == NULL || error == NULL) {
        die("out of memory");
    }
    memset(programs, FILL, programs_size);
    memset(error, FILL, FLATDISK_ERROR_SIZE);

    int ret = flatdisk_parse(disk, size, programs, error, FLATDISK_ERROR_SIZE);
    if (ret < -1 || ret > FLATDISK_MAX_PROGRAMS) {
        die("flatdisk_parse returned something out of range");
    }
    if (ret >= 0) {
        if (!untouched(error, FLATDISK_ERROR_SIZE)) {
            die("a success wrote to the error buffer");
        }
        if (!untouched(programs + ret, (size_t)(FLATDISK_MAX_PROGRAMS - ret) * sizeof(*programs))) {
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

int main(void)
{
    for (;;) {
        uint8_t header[5];
        size_t got = fread(header, 1, sizeof(header), stdin);
        if (got == 0 && feof(stdin)) {
            return 0;
        }
        if (got != sizeof(header)) {
            die("request header cut short");
        }
        uint8_t mode = header[0];
        uint32_t length = le32(header + 1);
        /* Exactly length bytes, so any read past the ramdisk is a heap overflow for ASan. */
        uint8_t *disk = malloc(length);
        if (disk == NULL && length > 0) {
            die("out of memory");
        }
        if (!read_exact(disk, length)) {
            die("request payload cut short");
        }
        if (mode != 'F') {
            die("unknown request mode");
        }
        parse(disk, length);
        free(disk);
        printf(".\n");
        fflush(stdout);
    }
}
