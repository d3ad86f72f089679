/*
 * libFuzzer on the formatter (kernel/lib/format.c). The input is read as a list of conversions
 * (flags, width, precision, length, conversion character, each from one byte) with literal text
 * between them, and each is formatted with an argument of the type it asks for, into a buffer of
 * a size the input chooses. The result must be NUL-terminated inside the buffer, never written
 * past it, and its length the one the same call reports with room to spare.
 */
#include <lib/format.h>

#include <stdint.h>

#include "check.h"

static const char conversions[] = "diuoxXpsc%qQ"; /* q, Q: not conversions */

static int format_one(char *buf, size_t size, const char *fmt, char conv, int longs,
                      uint64_t value, const char *text)
{
    switch (conv) {
    case 'd':
    case 'i':
        return longs == 2 ? format_snprintf(buf, size, fmt, (long long)value)
               : longs   ? format_snprintf(buf, size, fmt, (long)value)
                         : format_snprintf(buf, size, fmt, (int)value);
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        return longs == 2 ? format_snprintf(buf, size, fmt, (unsigned long long)value)
               : longs   ? format_snprintf(buf, size, fmt, (unsigned long)value)
                         : format_snprintf(buf, size, fmt, (unsigned)value);
    case 'p':
        return format_snprintf(buf, size, fmt, (void *)(uintptr_t)value);
    case 's':
        return format_snprintf(buf, size, fmt, value & 1 ? NULL : text);
    case 'c':
        return format_snprintf(buf, size, fmt, (int)value);
    default:
        return format_snprintf(buf, size, fmt, 0); /* %% and unknown ones take nothing */
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    size_t at = 0;
    while (at + 8 <= size) {
        const unsigned char *d = data + at;
        char fmt[48];
        size_t n = 0;
        for (unsigned i = 0; i < (d[0] & 3u); i++) {
            fmt[n++] = (char)(' ' + (d[1 + i] % 95)); /* literal text, maybe a lone '%' */
            if (fmt[n - 1] == '%') {
                fmt[n++] = '%';
            }
        }
        fmt[n++] = '%';
        if (d[0] & 4u) {
            fmt[n++] = '-';
        }
        if (d[0] & 8u) {
            fmt[n++] = '0';
        }
        n += (size_t)snprintf(fmt + n, 8, "%u", d[4] % 40u); /* width, maybe 0 */
        if (d[0] & 16u) {
            n += (size_t)snprintf(fmt + n, 8, ".%u", d[5] % 40u);
        }
        int longs = (d[0] >> 5) % 3;
        char conv = conversions[d[6] % (sizeof(conversions) - 1)];
        if (conv != 's' && conv != 'c' && conv != 'p' && conv != '%') {
            for (int i = 0; i < longs; i++) {
                fmt[n++] = 'l';
            }
        } else {
            longs = 0;
        }
        fmt[n++] = conv;
        fmt[n] = 0;
        uint64_t value = 0;
        memcpy(&value, d, 8);
        char text[8];
        memcpy(text, d + 1, 7);
        text[7] = 0;
        char wide[512];
        int full = format_one(wide, sizeof(wide), fmt, conv, longs, value, text);
        CHECK(full >= 0 && (size_t)full < sizeof(wide) && wide[full] == 0);
        CHECK(conv == 'c' || strlen(wide) == (size_t)full); /* %c may print a NUL */
        size_t small = d[7] % 24u;
        char *buf = malloc(small ? small : 1);
        int r = format_one(buf, small, fmt, conv, longs, value, text);
        CHECK(r == full);
        if (small > 0) {
            size_t kept = (size_t)full < small - 1 ? (size_t)full : small - 1;
            CHECK(buf[kept] == 0 && memcmp(buf, wide, kept) == 0);
        }
        free(buf);
        at += 8;
    }
    return 0;
}
