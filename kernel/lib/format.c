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
    int precision; /* -1 when absent: digits at least, or characters of a string at most */
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

/* Widths and precisions stop growing here: a field is never wider than this, whatever a format
 * string or a '*' argument (INT_MIN included) asks for. */
#define FIELD_LIMIT 4096

/* A number written in the format string, stopping at FIELD_LIMIT. */
static int literal_number(const char **p)
{
    int n = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++) {
        n = n * 10 + (**p - '0');
        if (n > FIELD_LIMIT) {
            n = FIELD_LIMIT;
        }
    }
    return n;
}

/* A '*' argument as a field size: its magnitude, at most FIELD_LIMIT; *negative says its sign. */
static int star_number(int value, bool *negative)
{
    *negative = value < 0;
    if (value < -FIELD_LIMIT || value > FIELD_LIMIT) {
        return FIELD_LIMIT;
    }
    return value < 0 ? -value : value;
}

/*
 * Reads the flags, width, precision and 'l' modifiers after a '%' into spec; *p is left on the
 * conversion character. Returns the number of 'l's. '*' takes its value from args.
 */
static int parse_spec(const char **p, va_list *args, struct field_spec *spec)
{
    *spec = (struct field_spec){ false, false, 0, -1 };
    for (;; (*p)++) {
        if (**p == '-') {
            spec->left_align = true;
        } else if (**p == '0') {
            spec->zero_pad = true;
        } else {
            break;
        }
    }
    if (**p == '*') {
        bool negative;
        spec->width = star_number(va_arg(*args, int), &negative);
        spec->left_align |= negative; /* as in C: a negative width is the '-' flag */
        (*p)++;
    } else {
        spec->width = literal_number(p);
    }
    if (**p == '.') {
        (*p)++;
        if (**p == '*') {
            bool negative;
            spec->precision = star_number(va_arg(*args, int), &negative);
            if (negative) {
                spec->precision = -1; /* as in C: a negative precision is none */
            }
            (*p)++;
        } else {
            spec->precision = literal_number(p);
        }
    }
    int longs = 0;
    for (; **p == 'l'; (*p)++) {
        longs++;
    }
    return longs;
}

/* Converts one argument for conversion c (d i u o x X p s c) and emits it. */
static void convert(struct counting_sink *out, char c, int longs, struct field_spec *spec,
                    va_list *args)
{
    char buf[24];
    char *buf_end = buf + sizeof(buf);
    switch (c) {
    case 'd':
    case 'i': {
        int64_t value = longs >= 2   ? va_arg(*args, long long)
                        : longs == 1 ? va_arg(*args, long)
                                     : va_arg(*args, int);
        uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
        char *s = digits_of(magnitude, 10, false, buf_end);
        int len = (int)(buf_end - s);
        emit_field(out, spec, value < 0 ? '-' : 0, precision_zeros(len, spec), s, len);
        break;
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
        uint64_t value = longs >= 2   ? va_arg(*args, unsigned long long)
                         : longs == 1 ? va_arg(*args, unsigned long)
                                      : va_arg(*args, unsigned int);
        unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
        char *s = digits_of(value, base, c == 'X', buf_end);
        int len = (int)(buf_end - s);
        emit_field(out, spec, 0, precision_zeros(len, spec), s, len);
        break;
    }
    case 'p': {
        /* Always 0x and eight digits on a 32-bit machine, so columns line up. */
        uintptr_t value = (uintptr_t)va_arg(*args, void *);
        char *s = digits_of(value, 16, false, buf_end);
        while (buf_end - s < (int)(2 * sizeof(void *))) {
            *--s = '0';
        }
        *--s = 'x';
        *--s = '0';
        spec->zero_pad = false;
        emit_field(out, spec, 0, 0, s, (int)(buf_end - s));
        break;
    }
    case 's': {
        const char *s = va_arg(*args, const char *);
        if (s == NULL) {
            s = "(null)";
        }
        int len = 0;
        while (s[len] && (spec->precision < 0 || len < spec->precision)) {
            len++;
        }
        spec->zero_pad = false;
        emit_field(out, spec, 0, 0, s, len);
        break;
    }
    case 'c': {
        char ch = (char)va_arg(*args, int);
        spec->zero_pad = false;
        emit_field(out, spec, 0, 0, &ch, 1);
        break;
    }
    default:
        /* Unknown conversion: show it as written, so the mistake is visible. */
        put(out, '%');
        put(out, c);
        break;
    }
}

int format_v(format_sink sink, void *ctx, const char *fmt, va_list args)
{
    struct counting_sink out = { sink, ctx, 0 };
    va_list ap; /* a copy, so its address can be passed on (va_list may be an array type) */
    va_copy(ap, args);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&out, *p);
            continue;
        }
        p++;
        struct field_spec spec;
        int longs = parse_spec(&p, &ap, &spec);
        if (*p == '%') {
            put(&out, '%');
        } else if (*p == '\0') {
            put(&out, '%'); /* a lone '%' at the end: print it rather than read past the string */
            break;
        } else {
            convert(&out, *p, longs, &spec, &ap);
        }
    }
    va_end(ap);
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
