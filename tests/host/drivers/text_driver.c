/*
 * Host driver for lib/text.c and lib/string.c, run by tests/host/test_text.py through
 * hostdriver.py.
 *
 * Persistent: one request a line on stdin, one answer a line on stdout, until EOF (exit 0).
 * Byte strings travel in hex with an "x" in front ("x" alone is empty). A STR is copied into a
 * malloc'd buffer of exactly its length + 1 (the NUL); a RAW (which may hold NULs) into one of
 * exactly its length, with no NUL added. So AddressSanitizer catches any read past either.
 *
 *     glob STR:pattern STR:text           -> 1 | 0
 *     cmdline STR:cmdline STR:key SIZE    -> found xVALUE | absent   (out is SIZE bytes)
 *     strlcpy STR:src SIZE                -> N xDST                  (dst is SIZE bytes)
 *     strlen STR                          -> N
 *     strnlen RAW MAX                     -> N
 *     strcmp STR STR                      -> -1 | 0 | 1              (the sign of the result)
 *     strncmp STR STR N                   -> -1 | 0 | 1
 *     memcmp RAW RAW N                    -> -1 | 0 | 1
 *     strchr STR C                        -> OFFSET | null           (C an int, in decimal)
 *     strrchr STR C                       -> OFFSET | null
 *     memmove RAW DST SRC N               -> xRAW   memmove(buf + DST, buf + SRC, N) in place
 *     memcpy RAW DST SRC N                -> xRAW   memcpy, the same way (ranges must not overlap)
 *     memset RAW OFF BYTE N               -> xRAW
 *
 * Where the result must be NUL-terminated in a buffer (cmdline, strlcpy) the driver checks it,
 * and that the bytes after the NUL are untouched, and aborts with a message on stderr if not.
 * It also checks that mem* return their first argument.
 */
#include <lib/string.h>
#include <lib/text.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DRIVER_NAME "text_driver"
#include "driver_io.h"

#define LINE_MAX_SIZE 65536

static long long number(const char *word)
{
    if (word == NULL) {
        die("missing number");
    }
    char *end;
    long long v = strtoll(word, &end, 10);
    if (*end != '\0' || end == word) {
        die_detail("bad number", word);
    }
    return v;
}

static size_t size_arg(const char *word)
{
    long long v = number(word);
    if (v < 0 || v > (1 << 20)) {
        die_detail("bad size", word);
    }
    return (size_t)v;
}

static int sign(int v)
{
    return v < 0 ? -1 : v > 0;
}

/* Filled by a loop, not by memset: that is one of the functions under test. */
static char *filled(size_t size)
{
    char *buf = alloc_exact(size, 1);
    for (size_t i = 0; i < size; i++) {
        buf[i] = (char)FILL;
    }
    return buf;
}

/* buf holds a string of len bytes and its NUL; every byte after that must still be FILL. */
static void check_terminated(const char *buf, size_t size, size_t len)
{
    if (len >= size || buf[len] != '\0') {
        die("result is not NUL-terminated inside the buffer");
    }
    if (!all_bytes(buf + len + 1, size - len - 1, FILL)) {
        die("a byte after the terminating NUL was changed");
    }
}

/* RAW, then the range [off, off + n) must lie inside it. */
static void check_range(size_t len, size_t off, size_t n)
{
    if (off > len || n > len - off) {
        die("range outside the buffer");
    }
}

static void request(char **w, int count)
{
    const char *op = w[0];
    if (strcmp(op, "glob") == 0 && count == 3) {
        char *pattern = decode_string(w[1]);
        char *text = decode_string(w[2]);
        printf("%d\n", glob_match(pattern, text) ? 1 : 0);
        free(pattern);
        free(text);
    } else if (strcmp(op, "cmdline") == 0 && count == 4) {
        char *cmdline = decode_string(w[1]);
        char *key = decode_string(w[2]);
        size_t size = size_arg(w[3]);
        char *out = filled(size);
        if (cmdline_get(cmdline, key, out, size)) {
            size_t len = size > 0 ? strnlen(out, size) : 0;
            if (size > 0) {
                check_terminated(out, size, len);
            }
            printf("found ");
            print_xhex(out, len);
            printf("\n");
        } else {
            printf("absent\n");
        }
        free(out);
        free(key);
        free(cmdline);
    } else if (strcmp(op, "strlcpy") == 0 && count == 3) {
        char *src = decode_string(w[1]);
        size_t size = size_arg(w[2]);
        char *dst = filled(size);
        size_t n = strlcpy(dst, src, size);
        size_t len = size > 0 ? strnlen(dst, size) : 0;
        if (size > 0) {
            check_terminated(dst, size, len);
        }
        printf("%zu ", n);
        print_xhex(dst, len);
        printf("\n");
        free(dst);
        free(src);
    } else if (strcmp(op, "strlen") == 0 && count == 2) {
        char *s = decode_string(w[1]);
        printf("%zu\n", strlen(s));
        free(s);
    } else if (strcmp(op, "strnlen") == 0 && count == 3) {
        char *s = decode_xhex(w[1], NULL, 0);
        printf("%zu\n", strnlen(s, size_arg(w[2])));
        free(s);
    } else if (strcmp(op, "strcmp") == 0 && count == 3) {
        char *a = decode_string(w[1]);
        char *b = decode_string(w[2]);
        printf("%d\n", sign(strcmp(a, b)));
        free(a);
        free(b);
    } else if (strcmp(op, "strncmp") == 0 && count == 4) {
        char *a = decode_string(w[1]);
        char *b = decode_string(w[2]);
        printf("%d\n", sign(strncmp(a, b, size_arg(w[3]))));
        free(a);
        free(b);
    } else if (strcmp(op, "memcmp") == 0 && count == 4) {
        size_t la;
        size_t lb;
        char *a = decode_xhex(w[1], &la, 0);
        char *b = decode_xhex(w[2], &lb, 0);
        size_t n = size_arg(w[3]);
        check_range(la, 0, n);
        check_range(lb, 0, n);
        printf("%d\n", sign(memcmp(a, b, n)));
        free(a);
        free(b);
    } else if ((strcmp(op, "strchr") == 0 || strcmp(op, "strrchr") == 0) && count == 3) {
        char *s = decode_string(w[1]);
        int c = (int)number(w[2]);
        char *found = op[3] == 'r' ? strrchr(s, c) : strchr(s, c);
        if (found == NULL) {
            printf("null\n");
        } else {
            printf("%td\n", found - s);
        }
        free(s);
    } else if ((strcmp(op, "memmove") == 0 || strcmp(op, "memcpy") == 0 ||
                strcmp(op, "memset") == 0) &&
               count == 5) {
        size_t len;
        char *buf = decode_xhex(w[1], &len, 0);
        size_t dst = size_arg(w[2]);
        size_t n = size_arg(w[4]);
        check_range(len, dst, n);
        void *ret;
        if (strcmp(op, "memset") == 0) {
            ret = memset(buf + dst, (int)number(w[3]), n);
        } else {
            size_t src = size_arg(w[3]);
            check_range(len, src, n);
            if (op[3] == 'c') {
                if ((dst < src ? src - dst : dst - src) < n) {
                    die("memcpy ranges overlap");
                }
                ret = memcpy(buf + dst, buf + src, n);
            } else {
                ret = memmove(buf + dst, buf + src, n);
            }
        }
        if (ret != buf + dst) {
            die_detail("did not return its first argument", op);
        }
        print_xhex(buf, len);
        printf("\n");
        free(buf);
    } else {
        die_detail("unknown request", op);
    }
}

/* Splits at every single space, unlike split_words: "a  b" is three words, one empty. */
static void answer(char *line)
{
    char *words[8];
    int count = 0;
    for (char *p = line; *p;) {
        if (count == 8) {
            die("too many words");
        }
        words[count++] = p;
        char *space = strchr(p, ' ');
        if (space == NULL) {
            break;
        }
        *space = '\0';
        p = space + 1;
    }
    if (count == 0) {
        die("empty request");
    }
    request(words, count);
}

int main(void)
{
    static char line[LINE_MAX_SIZE];
    return serve_lines(line, sizeof(line), answer);
}
