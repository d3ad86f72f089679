/*
 * libsys's own functions, checked from a program: strings, character classes, number parsing,
 * snprintf (the shared kernel/lib/format.c), errno from a failing stub and the order of atexit
 * handlers. One "libsys: FAIL ..." line per problem; "libsys: ok" and exit 0 when there is none,
 * then "libsys: atexit order ok" from the last handler.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("libsys: FAIL %s\n", what);
        failures++;
    }
}

static void check_str(const char *got, const char *want, const char *what)
{
    if (got == NULL || strcmp(got, want) != 0) {
        printf("libsys: FAIL %s: got \"%s\" want \"%s\"\n", what, got ? got : "(null)", want);
        failures++;
    }
}

static void strings(void)
{
    char buf[32];
    check_str(strcpy(buf, "ring"), "ring", "strcpy");
    check_str(strcat(buf, "let"), "ringlet", "strcat");

    memset(buf, 'x', sizeof(buf));
    strncpy(buf, "ab", 5);
    check(memcmp(buf, "ab\0\0\0x", 6) == 0, "strncpy pads with NULs and stops at n");
    strncpy(buf, "abcdef", 3);
    check(memcmp(buf, "abc\0", 4) == 0, "strncpy copies at most n bytes");

    const char *hay = "one two three";
    check(strstr(hay, "two") == hay + 4, "strstr finds a word");
    check(strstr(hay, "four") == NULL, "strstr misses");
    check(strstr(hay, "") == hay, "strstr with an empty needle");
    check(strspn("  \tx", " \t") == 3, "strspn");
    check(strcspn("abc,def", ",;") == 3, "strcspn");
    check(memchr("abcdef", 'd', 6) != NULL && memchr("abcdef", 'd', 3) == NULL, "memchr");
    check(strlen("hello") == 5 && strnlen("hello", 3) == 3, "strlen and strnlen");
    check(strcmp("abc", "abd") < 0 && strncmp("abc", "abd", 2) == 0, "strcmp and strncmp");
    check(strrchr("a/b/c", '/') != NULL && *(strrchr("a/b/c", '/') + 1) == 'c', "strrchr");

    char text[] = "  alpha, beta,,gamma  ";
    char *save;
    const char *want[] = { "alpha", "beta", "gamma" };
    int n = 0;
    for (char *t = strtok_r(text, " ,", &save); t != NULL; t = strtok_r(NULL, " ,", &save)) {
        if (n < 3) {
            check_str(t, want[n], "strtok_r token");
        }
        n++;
    }
    check(n == 3, "strtok_r finds three tokens");

    char *copy = strdup("copied");
    check_str(copy, "copied", "strdup");
    free(copy);
}

static void classes(void)
{
    check(isdigit('7') && !isdigit('a') && !isdigit(EOF), "isdigit");
    check(isalpha('q') && isalpha('Q') && !isalpha('1'), "isalpha");
    check(isalnum('z') && isalnum('0') && !isalnum('_'), "isalnum");
    check(isspace(' ') && isspace('\n') && isspace('\v') && !isspace('x'), "isspace");
    check(isupper('A') && !isupper('a') && islower('a') && !islower('A'), "isupper and islower");
    check(isprint(' ') && isprint('~') && !isprint('\n') && !isprint(127), "isprint");
    check(ispunct('!') && !ispunct(' ') && !ispunct('a'), "ispunct");
    check(isxdigit('f') && isxdigit('F') && isxdigit('9') && !isxdigit('g'), "isxdigit");
    check(toupper('a') == 'A' && toupper('1') == '1' && tolower('Z') == 'z', "toupper, tolower");
}

static void check_strtol(const char *s, int base, long want, size_t used, int want_errno)
{
    char *end;
    errno = 0;
    long got = strtol(s, &end, base);
    if (got != want || (size_t)(end - s) != used || errno != want_errno) {
        printf("libsys: FAIL strtol(\"%s\", %d) = %ld used %d errno %d; want %ld used %u "
               "errno %d\n",
               s, base, got, (int)(end - s), errno, want, (unsigned)used, want_errno);
        failures++;
    }
}

static void numbers(void)
{
    check_strtol("42", 10, 42, 2, 0);
    check_strtol("  -17x", 10, -17, 5, 0);
    check_strtol("+8", 10, 8, 2, 0);
    check_strtol("0x1f", 0, 31, 4, 0);
    check_strtol("0X1F", 16, 31, 4, 0);
    check_strtol("0x", 16, 0, 1, 0);
    check_strtol("077", 0, 63, 3, 0);
    check_strtol("zz", 36, 1295, 2, 0);
    check_strtol("", 10, 0, 0, 0);
    check_strtol("  -", 10, 0, 0, 0);
    check_strtol("2147483647", 10, LONG_MAX, 10, 0);
    check_strtol("2147483648", 10, LONG_MAX, 10, ERANGE);
    check_strtol("-2147483648", 10, LONG_MIN, 11, 0);
    check_strtol("-2147483649", 10, LONG_MIN, 11, ERANGE);
    check_strtol("99999999999999999999", 10, LONG_MAX, 20, ERANGE);
    check_strtol("12", 1, 0, 0, EINVAL);

    errno = 0;
    check(strtoul("4294967295", NULL, 10) == ULONG_MAX && errno == 0, "strtoul maximum");
    check(strtoul("4294967296", NULL, 10) == ULONG_MAX && errno == ERANGE, "strtoul overflow");
    check(strtoul("-1", NULL, 10) == ULONG_MAX, "strtoul of -1");
    check(atoi("  123abc") == 123 && atoi("-5") == -5 && atol("77") == 77, "atoi and atol");
    check(abs(-3) == 3 && abs(4) == 4 && labs(-9L) == 9L, "abs and labs");
}

static void formatting(void)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "[%5d|%-5d|%05d|%.3d]", 42, 42, -42, 7);
    check_str(buf, "[   42|42   |-0042|007]", "snprintf widths");
    snprintf(buf, sizeof(buf), "%x %X %u %c %% %s", 0xbeefu, 0xbeefu, 4000000000u, 'z', "s");
    check_str(buf, "beef BEEF 4000000000 z % s", "snprintf conversions");
    snprintf(buf, sizeof(buf), "%lld %llu %ld", -1234567890123LL, 18446744073709551615ULL, -7L);
    check_str(buf, "-1234567890123 18446744073709551615 -7", "snprintf long long");
    snprintf(buf, sizeof(buf), "%p|%.2s|%*d", (void *)0x1234, "abcdef", 4, 5);
    check_str(buf, "0x00001234|ab|   5", "snprintf %p, precision and *");
    int n = snprintf(buf, 6, "%s", "truncated");
    check(n == 9, "snprintf returns the full length");
    check_str(buf, "trunc", "snprintf truncates and terminates");
}

static void system_calls(void)
{
    errno = 0;
    check(close(1000) == -1 && errno == EBADF, "close(1000) gives -1 and errno EBADF");
    check(getpid() > 0, "getpid is positive");
    check(getppid() >= 0, "getppid is not negative");
    check(sched_yield() == 0, "sched_yield returns 0");
}

static int atexit_step;

static void registered_second(void)
{
    atexit_step = 1;
}

/* Registered first, so it runs last; exits 1 if the other handler has not run before it. */
static void registered_first(void)
{
    if (atexit_step != 1) {
        printf("libsys: FAIL atexit handlers out of order\n");
        _exit(1);
    }
    printf("libsys: atexit order ok\n");
}

int main(void)
{
    check(atexit(registered_first) == 0 && atexit(registered_second) == 0, "atexit");
    strings();
    classes();
    numbers();
    formatting();
    system_calls();
    if (failures == 0) {
        printf("libsys: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
