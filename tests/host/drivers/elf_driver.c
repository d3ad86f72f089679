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

#define FILL 0xa5

static void die(const char *what) __attribute__((noreturn));

static void die(const char *what)
{
    fprintf(stderr, "elf_driver: %s\n", what);
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

static void parse(const uint8_t *file, size_t size, uint32_t user_top)
{
    static struct elf_image image;
    memset(&image, FILL, sizeof(image));
    char *error = malloc(ELF_ERROR_SIZE);
    if (error == NULL) {
        die("out of memory");
    }
    memset(error, FILL, ELF_ERROR_SIZE);

    int ret = elf_parse(file, size, user_top, &image, error, ELF_ERROR_SIZE);
    if (ret != 0 && ret != -1) {
        die("elf_parse returned neither 0 nor -1");
    }
    if (image.segment_count > ELF_MAX_SEGMENTS) {
        die("segment_count is larger than the array");
    }
    if (ret == 0) {
        for (size_t i = 0; i < ELF_ERROR_SIZE; i++) {
            if ((uint8_t)error[i] != FILL) {
                die("a success wrote to the error buffer");
            }
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
        uint8_t *payload = malloc(length);
        if (payload == NULL && length > 0) {
            die("out of memory");
        }
        if (!read_exact(payload, length)) {
            die("request payload cut short");
        }
        if (mode != 'P') {
            die("unknown request mode");
        }
        if (length < 4) {
            die("mode P needs at least 4 bytes of payload");
        }
        /* Exactly the file's bytes, so any read past its end is a heap overflow for ASan. */
        size_t size = length - 4;
        uint8_t *file = malloc(size);
        if (file == NULL && size > 0) {
            die("out of memory");
        }
        memcpy(file, payload + 4, size);
        parse(file, size, le32(payload));
        free(file);
        free(payload);
        printf(".\n");
        fflush(stdout);
    }
}
