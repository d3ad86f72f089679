#pragma once
/*
 * printf-style formatting with no hardware and no globals, shared by kprintf, libsys's printf and
 * the host tests. Conversions: %d %i %u %o %x %X %p %s %c %%, the l and ll length modifiers, the
 * '-' and '0' flags, a field width and a precision (each a number or '*'). A conversion it does
 * not know consumes no argument, so a format the compiler accepts must use only these.
 */
#include <stdarg.h>
#include <stddef.h>

/* Receives each output character in order; ctx is passed through unchanged. */
typedef void (*format_sink)(void *ctx, char c);

/* Formats into sink and returns the number of characters emitted. */
int format_v(format_sink sink, void *ctx, const char *fmt, va_list args);

/*
 * Like C's vsnprintf: writes at most size-1 characters and a terminating NUL into buf (when
 * size > 0) and returns the length the whole output would have had.
 */
int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int format_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
