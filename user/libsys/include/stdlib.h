#pragma once
/*
 * Memory allocation on the program break, number parsing and process exit.
 *
 * malloc and friends own the program break: a program that uses them must not move it with
 * __brk itself. Every pointer they return is 16-byte aligned.
 */
#include <sys/cdefs.h>
#include <stddef.h>

__BEGIN_DECLS

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
/* How many atexit and __cxa_atexit registrations exit() keeps; more fail (return non-zero). */
#define ATEXIT_MAX 64

/*
 * Returns at least size bytes, 16-byte aligned, or NULL with errno ENOMEM when the break cannot
 * grow. malloc(0) returns a unique pointer that may be freed.
 */
void *malloc(size_t size);
/* Returns the block p to the heap; p must come from malloc/calloc/realloc, or be NULL. Aborts on
 * a pointer it did not hand out or one already freed. */
void free(void *p);
/* Returns nmemb*size zeroed bytes, or NULL (errno ENOMEM) on overflow or when memory runs out. */
void *calloc(size_t nmemb, size_t size);
/*
 * Resizes p to size bytes, keeping the contents up to the smaller size; may move it. Returns the
 * new pointer, or NULL with p untouched when memory runs out. realloc(NULL, n) is malloc(n);
 * realloc(p, 0) frees p and returns NULL.
 */
void *realloc(void *p, size_t size);

/*
 * Parses an integer in base 2..36 (or 0: decimal, 0x hex, 0 octal) after optional whitespace and
 * sign. *end (if end is not NULL) points after the last digit used, or at s when there was none.
 * On overflow returns LONG_MAX/LONG_MIN (ULONG_MAX for strtoul) and sets errno to ERANGE.
 */
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
/* strtol(s, NULL, 10) as an int. */
int atoi(const char *s);
long atol(const char *s);
int abs(int n);
long labs(long n);

/*
 * Ends the process: runs the atexit and __cxa_atexit handlers (global destructors), newest
 * first, then the .fini_array entries in reverse, then exit_group(status). Never returns.
 */
__attribute__((noreturn)) void exit(int status);
/* Registers fn to run at exit(). Returns 0, or -1 when ATEXIT_MAX handlers are registered. */
int atexit(void (*fn)(void));
/* The value of the environment variable name ("NAME=value" in environ), or NULL. */
char *getenv(const char *name);

/* Prints "abort: ..." on stderr and ends the process with status 134, running no handlers. */
__attribute__((noreturn)) void abort(void);

__END_DECLS
