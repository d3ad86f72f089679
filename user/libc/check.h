/*
 * The check helper the libc test programs share: each check counts, and one that fails prints
 * "NAME: FAIL what (errno N)". Define CHECK_NAME before including; print the totals with
 * check_summary() at the end, which also gives main's exit status.
 */
#pragma once
#include <errno.h>
#include <stdio.h>

static int checks;
static int failures;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        failures++;
        printf("%s: FAIL %s (errno %d)\n", CHECK_NAME, what, errno);
    }
}

/* Prints "NAME: N checks, M failed"; returns 0 when none failed, else 1. */
static int check_summary(void)
{
    printf("%s: %d checks, %d failed\n", CHECK_NAME, checks, failures);
    return failures != 0;
}
