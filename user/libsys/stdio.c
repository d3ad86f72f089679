/*
 * printf and friends on file descriptors, formatted by kernel/lib/format.c (the kernel's own
 * engine: one implementation of every conversion). A call collects its output in a buffer on
 * the stack and hands it to write() when the buffer fills and at the end, so a line under
 * OUT_BUFFER_SIZE bytes reaches the console in one system call.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <lib/format.h>

#define OUT_BUFFER_SIZE 256

struct out_buffer {
    int fd;
    bool failed; /* a write() failed; the rest of the output is dropped */
    size_t used;
    char data[OUT_BUFFER_SIZE];
};

/* Writes all n bytes, looping over short writes. Returns false when write() fails. */
static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        long written = write(fd, p, n);
        if (written <= 0) {
            return false;
        }
        p += written;
        n -= (size_t)written;
    }
    return true;
}

static void out_flush(struct out_buffer *out)
{
    if (!out->failed && out->used > 0 && !write_all(out->fd, out->data, out->used)) {
        out->failed = true;
    }
    out->used = 0;
}

static void out_put(void *ctx, char c)
{
    struct out_buffer *out = ctx;
    if (out->used == sizeof(out->data)) {
        out_flush(out);
    }
    out->data[out->used++] = c;
}

int vdprintf(int fd, const char *fmt, va_list args)
{
    struct out_buffer out = { .fd = fd, .failed = false, .used = 0 };
    int n = format_v(out_put, &out, fmt, args);
    out_flush(&out);
    return out.failed ? -1 : n;
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vdprintf(fd, fmt, args);
    va_end(args);
    return n;
}

int vprintf(const char *fmt, va_list args)
{
    return vdprintf(STDOUT_FILENO, fmt, args);
}

int printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vdprintf(STDOUT_FILENO, fmt, args);
    va_end(args);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    return format_vsnprintf(buf, size, fmt, args);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = format_vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

int puts(const char *s)
{
    return dprintf(STDOUT_FILENO, "%s\n", s) < 0 ? EOF : 0;
}

int putchar(int c)
{
    char ch = (char)c;
    return write_all(STDOUT_FILENO, &ch, 1) ? (unsigned char)ch : EOF;
}

int getchar(void)
{
    unsigned char ch;
    return read(STDIN_FILENO, &ch, 1) == 1 ? ch : EOF;
}

char *fgets(char *buf, int size, int fd)
{
    if (size <= 0) {
        errno = EINVAL;
        return NULL;
    }
    int n = 0;
    while (n < size - 1) {
        char ch;
        if (read(fd, &ch, 1) != 1) {
            break;
        }
        buf[n++] = ch;
        if (ch == '\n') {
            break;
        }
    }
    buf[n] = '\0';
    return n > 0 ? buf : NULL;
}
