#pragma once
/*
 * Reporting for the test programs: define TEST_NAME ("fork_test") before including this.
 * ok() prints "TEST_NAME: ok CHECK"; fail() prints "TEST_NAME: FAIL CHECK: DETAIL" and counts
 * the failure in `failures`, which main() turns into its exit status.
 */
#include <stdarg.h>
#include <stdio.h>

static int failures;

static inline void ok(const char *check)
{
    printf(TEST_NAME ": ok %s\n", check);
}

static void fail(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(const char *check, const char *fmt, ...)
{
    char detail[160];
    va_list args;
    va_start(args, fmt);
    vsnprintf(detail, sizeof(detail), fmt, args);
    va_end(args);
    printf(TEST_NAME ": FAIL %s: %s\n", check, detail);
    failures++;
}
