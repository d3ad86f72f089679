/*
 * The one printf engine of Ringlet. It walks the format string once; every conversion turns its
 * argument into a small digit buffer and then emit_field() pads it to the field width.
 */
#include <lib/format.h>

#include <stdbool.h>
#include <stdint.h>

struct field_spec {
    bool left_align; /* '-' flag */
    bool zero_pad;   /* '0' flag */
    int width;
    int precision;   /* -1 when absent: digits at least, or characters of a string at most */
};

struct counting_sink {
    format_sink sink;
    void *ctx;
    int count;
};

static void put(struct counting_sink *out, char c)
{
    out->sink(out->ctx, c);
    out->count++;
}

/* Writes sign (may be 0), zeros '0's, then text of length len, padded to the field width. */
static void emit_field(struct counting_sink *out, const struct field_spec *spec, char sign,
                       int zeros, const char *text, int len)
{
    int body = len + zeros + (sign ? 1 : 0);
    int pad = spec->width > body ? spec->width - body : 0;

    if (!spec->left_align && !spec->zero_pad) {
        while (pad-- > 0) {
            put(out, ' ');
        }
    }
    if (sign) {
        put(out, sign);
    }
    if (!spec->left_align && spec->zero_pad) {
        while (pad-- > 0) {
            put(out, '0');
        }
    }
    while (zeros-- > 0) {
        put(out, '0');
    }
    for (int i = 0; i < len; i++) {
        put(out, text[i]);
    }
    while (spec->left_align && pad-- > 0) {
        put(out, ' ');
    }
}

/* Writes the digits of value in base into the end of buf; returns a pointer to the first digit. */
static char *digits_of(uint64_t value, unsigned base, bool upper, char *buf_end)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = buf_end;
    do {
        *--p = digits[value % base];
        value /= base;
    } while (value != 0);
    return p;
}

/*
 * The zeros an integer precision (a minimum number of digits) puts in front of len digits. They
 * are emitted rather than stored, so any precision works with a small digit buffer. As in C, a
 * precision turns the '0' flag off. Unlike C, a zero value with precision 0 still prints "0".
 */
static int precision_zeros(int len, struct field_spec *spec)
{
    if (spec->precision < 0) {
        return 0;
    }
    spec->zero_pad = false;
    return spec->precision > len ? spec->precision - len : 0;
}

int format_v(format_sink sink, void *ctx, const char *fmt, va_list args)
{
    struct counting_sink out = { sink, ctx, 0 };
    char buf[24];
    char *buf_end = buf + sizeof(buf);

    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&out, *p);
            continue;
        }
        p++;

        struct field_spec spec = { false, false, 0, -1 };
        for (;; p++) {
            if (*p == '-') {
                spec.left_align = true;
            } else if (*p == '0') {
                spec.zero_pad = true;
            } else {
                break;
            }
        }
        if (*p == '*') {
            spec.width = va_arg(args, int);
            if (spec.width < 0) {
                spec.left_align = true;
                spec.width = -spec.width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9') {
                spec.width = spec.width * 10 + (*p - '0');
                p++;
            }
        }
        if (*p == '.') {
            p++;
            spec.precision = 0;
            if (*p == '*') {
                spec.precision = va_arg(args, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9') {
                    spec.precision = spec.precision * 10 + (*p - '0');
                    p++;
                }
            }
        }
        int longs = 0;
        while (*p == 'l') {
            longs++;
            p++;
        }

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t value = longs >= 2 ? va_arg(args, long long)
                            : longs == 1 ? va_arg(args, long)
                                         : va_arg(args, int);
            uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
            char *s = digits_of(magnitude, 10, false, buf_end);
            int len = (int)(buf_end - s);
            emit_field(&out, &spec, value < 0 ? '-' : 0, precision_zeros(len, &spec), s, len);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            uint64_t value = longs >= 2 ? va_arg(args, unsigned long long)
                             : longs == 1 ? va_arg(args, unsigned long)
                                          : va_arg(args, unsigned int);
            unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
            char *s = digits_of(value, base, *p == 'X', buf_end);
            int len = (int)(buf_end - s);
            emit_field(&out, &spec, 0, precision_zeros(len, &spec), s, len);
            break;
        }
        case 'p': {
            /* Always 0x and eight digits on a 32-bit machine, so columns line up. */
            uintptr_t value = (uintptr_t)va_arg(args, void *);
            char *s = digits_of(value, 16, false, buf_end);
            while (buf_end - s < (int)(2 * sizeof(void *))) {
                *--s = '0';
            }
            *--s = 'x';
            *--s = '0';
            spec.zero_pad = false;
            emit_field(&out, &spec, 0, 0, s, (int)(buf_end - s));
            break;
        }
        case 's': {
            const char *s = va_arg(args, const char *);
            if (s == NULL) {
                s = "(null)";
            }
            int len = 0;
            while (s[len] && (spec.precision < 0 || len < spec.precision)) {
                len++;
            }
            spec.zero_pad = false;
            emit_field(&out, &spec, 0, 0, s, len);
            break;
        }
        case 'c': {
            char c = (char)va_arg(args, int);
            spec.zero_pad = false;
            emit_field(&out, &spec, 0, 0, &c, 1);
            break;
        }
        case '%':
            put(&out, '%');
            break;
        case '\0':
            /* A lone '%' at the end: print it rather than read past the string. */
            put(&out, '%');
            return out.count;
        default:
            /* Unknown conversion: show it as written, so the mistake is visible. */
            put(&out, '%');
            put(&out, *p);
            break;
        }
    }
    return out.count;
}

struct buffer_sink {
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_put(void *ctx, char c)
{
    struct buffer_sink *b = ctx;
    if (b->used + 1 < b->size) {
        b->buf[b->used] = c;
    }
    b->used++;
}

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct buffer_sink b = { buf, size, 0 };
    int n = format_v(buffer_put, &b, fmt, args);
    if (size > 0) {
        buf[b.used < size ? b.used : size - 1] = '\0';
    }
    return n;
}

int format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = format_vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
