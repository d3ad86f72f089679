#pragma once
/*
 * Memory and string functions. The first group is kernel/lib/string.c, the same source the
 * kernel uses, compiled again into libsys; the second group is libsys's own (user/libsys/string.c).
 */
#include <sys/cdefs.h>
#include <stddef.h>

__BEGIN_DECLS

/* Shared with the kernel (kernel/lib/string.c). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int byte, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (when size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/* libsys's own; each behaves as in standard C. */
void *memchr(const void *s, int c, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strcat(char *dst, const char *src);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strtok_r(char *s, const char *delimiters, char **saveptr);
/* A malloc'ed copy of s, or NULL (errno ENOMEM) when memory runs out. Free it with free(). */
char *strdup(const char *s);
/* A message for the error number e ("No such file or directory"), or "Unknown error N". */
char *strerror(int e);
/* A name for the signal sig ("Killed", "Segmentation fault"), or "Unknown signal N". */
char *strsignal(int sig);

__END_DECLS
