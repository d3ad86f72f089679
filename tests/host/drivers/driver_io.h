/*
 * The helpers every host driver in this folder shares: dying with a message on stderr, reading
 * requests from stdin (binary "u8 mode, u32 length, payload" requests or text lines), and the
 * ways answers are written (escaped text, hex). Only the *.c files here are programs; each one
 * defines DRIVER_NAME (its program name, e.g. "elf_driver") before including this header, and
 * every message die() and its kin write starts with "DRIVER_NAME: ".
 *
 * Everything is static inline, so a driver that does not use a helper gets no warning for it.
 */
#ifndef DRIVER_IO_H
#define DRIVER_IO_H

#ifndef DRIVER_NAME
#error "define DRIVER_NAME before including driver_io.h"
#endif

/*
 * For the string functions: they are kernel/lib/string.c's, linked into every driver. Not
 * <string.h>, which text_driver (testing those very functions) does not include: a driver that
 * wants more of the C library's (memchr, ...) includes <string.h> itself.
 */
#include <lib/bytes.h>
#include <lib/string.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* What drivers fill buffers with before a call, so that a byte the call wrote shows. */
#define FILL 0xa5

/* Writes "DRIVER_NAME: " and the formatted message as one line on stderr, then aborts. */
static inline void die_fmt(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static inline void die_fmt(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fputs(DRIVER_NAME ": ", stderr);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}

static inline void die(const char *what) __attribute__((noreturn));

static inline void die(const char *what)
{
    die_fmt("%s", what);
}

/* "what: detail", or just "what" when detail is NULL. */
static inline void die_detail(const char *what, const char *detail) __attribute__((noreturn));

static inline void die_detail(const char *what, const char *detail)
{
    if (detail == NULL) {
        die(what);
    }
    die_fmt("%s: %s", what, detail);
}

/* malloc(count * size), dying when that fails for a non-empty array. */
static inline void *alloc_exact(size_t count, size_t size)
{
    void *p = malloc(count * size);
    if (p == NULL && count > 0) {
        die("out of memory");
    }
    return p;
}

/* A malloc'd copy of exactly size bytes, so that any read past its end is a heap overflow. */
static inline void *copy_exact(const void *src, size_t size)
{
    void *p = alloc_exact(size, 1);
    if (size > 0) {
        memcpy(p, src, size);
    }
    return p;
}

/* Whether all n bytes at buf are value. */
static inline int all_bytes(const void *buf, size_t n, uint8_t value)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != value) {
            return 0;
        }
    }
    return 1;
}

/* A binary request: u8 mode, u32 length (little-endian), then length bytes of payload. */
struct driver_request {
    uint8_t mode;
    uint32_t length;
    uint8_t *payload; /* malloc'd, exactly length bytes: the caller frees it */
};

/*
 * Reads the next binary request from stdin. Returns 0 at EOF before a request, 1 with a request;
 * dies when one is cut short. The payload has exactly length bytes, so any read past it is a heap
 * overflow for AddressSanitizer.
 */
static inline int read_request(struct driver_request *req)
{
    uint8_t header[5];
    size_t got = fread(header, 1, sizeof(header), stdin);
    if (got == 0 && feof(stdin)) {
        return 0;
    }
    if (got != sizeof(header)) {
        die("request header cut short");
    }
    req->mode = header[0];
    req->length = read_le32(header + 1);
    req->payload = alloc_exact(req->length, 1);
    if (fread(req->payload, 1, req->length, stdin) != req->length) {
        die("request payload cut short");
    }
    return 1;
}

/*
 * The main loop of a binary driver: answers requests until EOF, then returns 0 (main's exit
 * status). handle writes the answer's lines; a line "." follows, and stdout is flushed.
 */
static inline int serve_requests(void (*handle)(const struct driver_request *req))
{
    struct driver_request req;
    while (read_request(&req)) {
        handle(&req);
        free(req.payload);
        printf(".\n");
        fflush(stdout);
    }
    return 0;
}

/*
 * Reads the next request line from stdin into line (size bytes) and strips its newline. Returns
 * 0 at EOF, 1 with a line; dies when the line is too long or has no newline.
 */
static inline int read_line(char *line, size_t size)
{
    if (fgets(line, (int)size, stdin) == NULL) {
        return 0;
    }
    size_t len = strlen(line);
    if (len == 0 || line[len - 1] != '\n') {
        die("request line too long or cut short");
    }
    line[len - 1] = '\0';
    return 1;
}

/*
 * The main loop of a line driver: one request a line, read into line (size bytes, so size - 2
 * characters at most), until EOF, then returns 0. handle answers; stdout is flushed after it.
 */
static inline int serve_lines(char *line, size_t size, void (*handle)(char *line))
{
    while (read_line(line, size)) {
        handle(line);
        fflush(stdout);
    }
    return 0;
}

/*
 * Splits line in place into at most max words, as strtok(line, " ") would: runs of spaces (and
 * spaces at either end) separate words and make no empty ones. Returns how many words.
 */
static inline int split_words(char *line, char **words, int max)
{
    int count = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ') {
            p++;
        }
        if (*p == '\0') {
            return count;
        }
        if (count == max) {
            die("too many words");
        }
        words[count++] = p;
        while (*p != '\0' && *p != ' ') {
            p++;
        }
        if (*p == '\0') {
            return count;
        }
        *p++ = '\0';
    }
}

/* split_words for a request "OP ARGS...": dies when the line has no word at all. */
static inline int split_request(char *line, char **words, int max)
{
    int count = split_words(line, words, max);
    if (count == 0) {
        die("empty request");
    }
    return count;
}

/*
 * "LABEL TEXT" and a newline, TEXT escaped: bytes 0x20..0x7e other than '\' stand for themselves,
 * every other byte is written \xNN.
 */
static inline void print_escaped(const char *label, const char *s)
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

/* n bytes as "xHEX" (two lowercase digits a byte; "x" alone for none), no newline. */
static inline void print_xhex(const void *buf, size_t n)
{
    const unsigned char *p = buf;
    putchar('x');
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}

static inline int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/*
 * Decodes "xHEX" into a malloc'd buffer of exactly its length in bytes (stored in *len unless len
 * is NULL), plus a NUL when terminate; a string (terminate) may hold no NUL of its own.
 */
static inline char *decode_xhex(const char *word, size_t *len, int terminate)
{
    if (word == NULL || word[0] != 'x' || strlen(word + 1) % 2 != 0) {
        die_detail("expected xHEX", word);
    }
    size_t n = strlen(word + 1) / 2;
    char *s = alloc_exact(n + (terminate ? 1 : 0), 1);
    for (size_t i = 0; i < n; i++) {
        int hi = hex_value(word[1 + 2 * i]);
        int lo = hex_value(word[2 + 2 * i]);
        if (hi < 0 || lo < 0) {
            die_detail("bad hex", word);
        }
        s[i] = (char)(hi << 4 | lo);
        if (terminate && s[i] == '\0') {
            die_detail("a NUL inside a string", word);
        }
    }
    if (terminate) {
        s[n] = '\0';
    }
    if (len) {
        *len = n;
    }
    return s;
}

/* Decodes "xHEX" into a malloc'd NUL-terminated string of exactly its length + 1 bytes. */
static inline char *decode_string(const char *word)
{
    return decode_xhex(word, NULL, 1);
}

#endif
