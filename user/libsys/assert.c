/* The failure half of assert(). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void __assert_fail(const char *expr, const char *file, int line, const char *function)
{
    dprintf(STDERR_FILENO, "assert: %s:%d: %s: %s failed\n", file, line, function, expr);
    abort();
}
