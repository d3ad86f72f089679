/*
 * Host driver for lib/format.c, run by tests/host/test_format.py through hostdriver.py.
 *
 * Persistent: one request a line on stdin, one answer a line on stdout, until EOF (exit 0).
 * Byte strings travel in hex with an "x" in front ("x" alone is the empty string), so format
 * strings and results may hold spaces, newlines and any byte but NUL.
 *
 *     ?                                   answers "ptr P long L": sizeof(void *), sizeof(long)
 *     API SIZE FMT STARS... TYPE [VALUE]  one call; answers "N xRESULT"
 *
 * API is "s" for format_snprintf or "v" for format_vsnprintf (through a va_list), SIZE the
 * buffer size (the buffer is malloc'd with exactly that many bytes, or NULL when SIZE is 0, so
 * AddressSanitizer catches a write past it), FMT the format string in hex. STARS are "*N"
 * words, at most two: int arguments passed before the value (for '*' widths and precisions).
 * TYPE and VALUE give the one value argument:
 *
 *     int N | uint N | long N | ulong N | llong N | ullong N    (decimal)
 *     char N          an int, as %c takes it
 *     str xHEX        a string
 *     null            a NULL const char *
 *     ptr HEX         a pointer with this value
 *     none            no value argument at all
 *
 * N is the return value, RESULT what the buffer holds: its first min(N, SIZE - 1) bytes (empty
 * when SIZE is 0). The driver itself checks, and aborts with a message on stderr otherwise, that
 * the NUL follows right after them and that the rest of the buffer is untouched.
 */
#include <lib/format.h>

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "format_driver"
#include "driver_io.h"

#define LINE_MAX_SIZE 65536

static long long signed_number(const char *word, long long min, long long max)
{
    if (word == NULL) {
        die("missing number");
    }
    char *end;
    long long v = strtoll(word, &end, 0);
    if (*end != '\0' || v < min || v > max) {
        die_detail("bad number", word);
    }
    return v;
}

static unsigned long long unsigned_number(const char *word, unsigned long long max, int base)
{
    if (word == NULL || word[0] == '-') {
        die_detail("bad unsigned number", word);
    }
    char *end;
    unsigned long long v = strtoull(word, &end, base);
    if (*end != '\0' || v > max) {
        die_detail("bad unsigned number", word);
    }
    return v;
}

/* No format attribute on purpose: the format strings come from the tests. */
static int call_v(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = format_vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

/* Calls fn with the star arguments, then value. */
#define CALL(fn, value)                                                                         \
    (nstars == 0   ? fn(buf, size, fmt, value)                                                  \
     : nstars == 1 ? fn(buf, size, fmt, stars[0], value)                                        \
                   : fn(buf, size, fmt, stars[0], stars[1], value))

#define CALL_API(value) (use_v ? CALL(call_v, value) : CALL(format_snprintf, value))

static void request(char *line)
{
    char *words[8];
    int count = split_words(line, words, 8);
    if (count == 1 && strcmp(words[0], "?") == 0) {
        printf("ptr %zu long %zu\n", sizeof(void *), sizeof(long));
        return;
    }
    if (count < 4) {
        die("too few words");
    }
    int use_v = strcmp(words[0], "v") == 0;
    if (!use_v && strcmp(words[0], "s") != 0) {
        die_detail("API must be s or v", words[0]);
    }
    size_t size = (size_t)unsigned_number(words[1], 1u << 20, 10);
    char *fmt = decode_string(words[2]);
    int w = 3;
    int stars[2] = { 0, 0 };
    int nstars = 0;
    while (w < count && words[w][0] == '*') {
        if (nstars == 2) {
            die("at most two star arguments");
        }
        stars[nstars++] = (int)signed_number(words[w] + 1, INT32_MIN, INT32_MAX);
        w++;
    }
    if (w >= count) {
        die("missing TYPE");
    }
    const char *type = words[w];
    const char *value = w + 1 < count ? words[w + 1] : NULL;

    char *buf = size > 0 ? alloc_exact(size, 1) : NULL;
    if (size > 0) {
        memset(buf, FILL, size);
    }

    int n;
    char *str = NULL;
    if (strcmp(type, "int") == 0) {
        n = CALL_API((int)signed_number(value, INT32_MIN, INT32_MAX));
    } else if (strcmp(type, "uint") == 0) {
        n = CALL_API((unsigned)unsigned_number(value, UINT32_MAX, 0));
    } else if (strcmp(type, "long") == 0) {
        n = CALL_API((long)signed_number(value, LONG_MIN, LONG_MAX));
    } else if (strcmp(type, "ulong") == 0) {
        n = CALL_API((unsigned long)unsigned_number(value, ULONG_MAX, 0));
    } else if (strcmp(type, "llong") == 0) {
        n = CALL_API((long long)signed_number(value, LLONG_MIN, LLONG_MAX));
    } else if (strcmp(type, "ullong") == 0) {
        n = CALL_API((unsigned long long)unsigned_number(value, ULLONG_MAX, 0));
    } else if (strcmp(type, "char") == 0) {
        n = CALL_API((int)signed_number(value, INT32_MIN, INT32_MAX));
    } else if (strcmp(type, "str") == 0) {
        str = decode_string(value);
        n = CALL_API((const char *)str);
    } else if (strcmp(type, "null") == 0) {
        n = CALL_API((const char *)NULL);
    } else if (strcmp(type, "ptr") == 0) {
        n = CALL_API((void *)(uintptr_t)unsigned_number(value, UINTPTR_MAX, 16));
    } else if (strcmp(type, "none") == 0) {
        /* No value: only the star arguments, if any. */
        if (nstars == 0) {
            n = use_v ? call_v(buf, size, fmt) : format_snprintf(buf, size, fmt);
        } else if (nstars == 1) {
            n = use_v ? call_v(buf, size, fmt, stars[0])
                      : format_snprintf(buf, size, fmt, stars[0]);
        } else {
            n = use_v ? call_v(buf, size, fmt, stars[0], stars[1])
                      : format_snprintf(buf, size, fmt, stars[0], stars[1]);
        }
    } else {
        die_detail("unknown TYPE", type);
    }

    if (n < 0) {
        die("negative return value");
    }
    size_t written = 0;
    if (size > 0) {
        written = (size_t)n < size - 1 ? (size_t)n : size - 1;
        if (buf[written] != '\0') {
            die("the output is not NUL-terminated where it should be");
        }
        if (!all_bytes(buf + written + 1, size - written - 1, FILL)) {
            die("a byte after the terminating NUL was changed");
        }
    }
    printf("%d ", n);
    print_xhex(buf, written);
    printf("\n");
    free(str);
    free(buf);
    free(fmt);
}

int main(void)
{
    static char line[LINE_MAX_SIZE];
    return serve_lines(line, sizeof(line), request);
}
