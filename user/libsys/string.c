/*
 * The string functions libsys adds to kernel/lib/string.c (which libsys compiles too, so
 * memcpy, strlen, strcmp and the rest exist once in the source tree).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * The kernel's header, included only so the compiler checks that <string.h> above declares the
 * shared functions exactly as kernel/lib/string.c defines them.
 */
#include <lib/string.h>

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == (unsigned char)c) {
            return (void *)(p + i);
        }
    }
    return NULL;
}

char *strcpy(char *dst, const char *src)
{
    char *d = dst;
    while ((*d++ = *src++) != '\0') {
    }
    return dst;
}

/* As in C: copies at most n bytes, pads with NULs, and leaves dst unterminated when src is long. */
char *strncpy(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i] != '\0'; i++) {
        dst[i] = src[i];
    }
    for (; i < n; i++) {
        dst[i] = '\0';
    }
    return dst;
}

char *strcat(char *dst, const char *src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack != '\0' || n == 0; haystack++) {
        if (strncmp(haystack, needle, n) == 0) {
            return (char *)haystack;
        }
    }
    return NULL;
}

size_t strspn(const char *s, const char *accept)
{
    size_t n = 0;
    while (s[n] != '\0' && strchr(accept, s[n]) != NULL) {
        n++;
    }
    return n;
}

size_t strcspn(const char *s, const char *reject)
{
    size_t n = 0;
    while (s[n] != '\0' && strchr(reject, s[n]) == NULL) {
        n++;
    }
    return n;
}

/*
 * Returns the next token of s (or, when s is NULL, of the string *saveptr continues), skipping
 * leading delimiters; NULL when only delimiters remain. The delimiter after the token is
 * overwritten with a NUL, and *saveptr remembers where to go on.
 */
char *strtok_r(char *s, const char *delimiters, char **saveptr)
{
    if (s == NULL) {
        s = *saveptr;
    }
    s += strspn(s, delimiters);
    if (*s == '\0') {
        *saveptr = s;
        return NULL;
    }
    char *end = s + strcspn(s, delimiters);
    if (*end != '\0') {
        *end++ = '\0';
    }
    *saveptr = end;
    return s;
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy != NULL) {
        memcpy(copy, s, n);
    }
    return copy;
}
