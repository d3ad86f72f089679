#pragma once
/*
 * Formatted output and line input on file descriptors. There is no FILE: the descriptor is the
 * stream (0 stdin, 1 stdout, 2 stderr, all the console), so fgets and dprintf take an fd.
 *
 * Formatting is kernel/lib/format.c, the kernel's own printf engine: %d %i %u %o %x %X %p %s %c %%,
 * the l and ll modifiers, the '-' and '0' flags, a width and a precision (number or '*').
 * Each call formats into a buffer on the stack and writes it with as few write() calls as
 * possible (one for up to 256 bytes), so lines from different processes do not interleave.
 * Nothing is buffered between calls; there is nothing to flush.
 */
#include <sys/cdefs.h>
#include <stdarg.h>
#include <stddef.h>

__BEGIN_DECLS

#define EOF (-1)

/* Each returns the number of characters produced, or -1 when write() failed. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list args) __attribute__((format(printf, 1, 0)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list args) __attribute__((format(printf, 2, 0)));

/*
 * Write at most size-1 characters and a NUL into buf (when size > 0); return the length the
 * whole output would have had, so a result >= size means it was cut short.
 */
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
    __attribute__((format(printf, 3, 0)));

/* Writes s and a newline to stdout in one write(); returns a non-negative number or EOF. */
int puts(const char *s);
/* Writes one character to stdout; returns it as an unsigned char, or EOF. */
int putchar(int c);
/* Reads one byte from stdin; returns it as an unsigned char, or EOF at end of input or error. */
int getchar(void);
/*
 * Reads from fd into buf until a newline (kept), size-1 bytes or end of input, and terminates
 * the string. Reads one byte per read() so it never consumes past the line. Returns buf, or NULL
 * when nothing could be read.
 */
char *fgets(char *buf, int size, int fd);
/* Writes "s: strerror(errno)" and a newline to stderr (just the message when s is NULL or ""). */
void perror(const char *s);

__END_DECLS
