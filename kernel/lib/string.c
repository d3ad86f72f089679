/*
 * The string functions the kernel needs. Plain loops: easy to read and easy to check. GCC may
 * also emit calls to memcpy/memset/memmove/memcmp on its own, so these names must exist.
 */
#include <lib/string.h>

#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
#if defined(__i386__)
    /* rep movsl, then the tail: one string instruction per word instead of a five-instruction
     * loop (Linux's i386 memcpy does the same). ecx, esi and edi are used up. */
    uint32_t words = (uint32_t)(n / 4), rest = (uint32_t)(n % 4);
    void *d = dst;
    const void *s = src;
    __asm__ volatile("rep movsl\n\tmovl %3, %%ecx\n\trep movsb"
                     : "+c"(words), "+D"(d), "+S"(s)
                     : "r"(rest)
                     : "memory");
    return dst;
#else
    unsigned char *d = dst;
    const unsigned char *s = src;
    /* Whole words when both sides are 4-byte aligned (page copies are), then the tail. */
    if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
        for (; n >= 4; n -= 4, d += 4, s += 4) {
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
        }
    }
    while (n--) {
        *d++ = *s++;
    }
    return dst;
#endif
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0) {
        return dst;
    }
    if ((uintptr_t)d < (uintptr_t)s) {
        while (n--) {
            *d++ = *s++;
        }
    } else {
        d += n;
        s += n;
        while (n--) {
            *--d = *--s;
        }
    }
    return dst;
}

void *memset(void *dst, int byte, size_t n)
{
#if defined(__i386__)
    uint32_t word = (uint32_t)(unsigned char)byte * 0x01010101u;
    uint32_t words = (uint32_t)(n / 4), rest = (uint32_t)(n % 4);
    void *d = dst;
    __asm__ volatile("rep stosl\n\tmovl %2, %%ecx\n\trep stosb"
                     : "+c"(words), "+D"(d)
                     : "r"(rest), "a"(word)
                     : "memory");
    return dst;
#else
    unsigned char *d = dst;
    /* Bytes up to a 4-byte boundary, then whole words, then the tail. */
    while (n > 0 && ((uintptr_t)d & 3) != 0) {
        *d++ = (unsigned char)byte;
        n--;
    }
    uint32_t word = (uint32_t)(unsigned char)byte * 0x01010101u;
    for (; n >= 4; n -= 4, d += 4) {
        *(uint32_t *)(void *)d = word;
    }
    while (n--) {
        *d++ = (unsigned char)byte;
    }
    return dst;
#endif
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || a[i] == '\0') {
            return (unsigned char)a[i] - (unsigned char)b[i];
        }
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c) {
            return (char *)s;
        }
        if (*s == '\0') {
            return NULL;
        }
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c) {
            last = s;
        }
        if (*s == '\0') {
            return (char *)last;
        }
    }
}

/* Copies at most size-1 bytes and always terminates (when size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
