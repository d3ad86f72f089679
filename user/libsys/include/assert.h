/* assert(expr): prints the expression, file and line, then abort()s when expr is false. */
#include <sys/cdefs.h>

#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif

#ifndef LIBSYS_ASSERT_FAIL_DECLARED
#define LIBSYS_ASSERT_FAIL_DECLARED
__BEGIN_DECLS
/* Prints "assert: FILE:LINE: FUNCTION: EXPR failed" on stderr and aborts (status 134). */
__attribute__((noreturn)) void __assert_fail(const char *expr, const char *file, int line,
                                             const char *function);
__END_DECLS
#endif
