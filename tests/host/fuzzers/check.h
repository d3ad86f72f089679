#pragma once
/*
 * What the parser fuzzers share: a copy of the input in a buffer of exactly its size (so
 * AddressSanitizer sees a read one byte past it), and a check that aborts with a message, so a
 * broken promise of a parser's contract is a finding as much as a crash is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #cond);        \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* A heap copy of data with nothing after it; free it with free(). */
static inline unsigned char *exact_copy(const unsigned char *data, size_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    if (size) {
        memcpy(copy, data, size);
    }
    return copy;
}

/* Whether [p, p + n) lies inside [base, base + size). */
static inline int inside(const void *p, size_t n, const void *base, size_t size)
{
    const unsigned char *b = base;
    const unsigned char *q = p;
    return q >= b && n <= size && (size_t)(q - b) <= size - n;
}
