/* Number parsing (strtol, strtoul, atoi) and absolute values. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int digit_value(char c)
{
    if (isdigit(c)) {
        return c - '0';
    }
    if (isalpha(c)) {
        return tolower(c) - 'a' + 10;
    }
    return 36;
}

/*
 * The common part of strtol and strtoul: reads the sign and the digits of s into *magnitude,
 * saturating at limit (and reporting that through *overflow). Returns where the digits end, or
 * s itself when there were none.
 */
static const char *parse_number(const char *s, int base, unsigned long limit, bool *negative,
                                unsigned long *magnitude, bool *overflow)
{
    const char *p = s;
    *negative = false;
    *magnitude = 0;
    *overflow = false;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        return s;
    }
    while (isspace(*p)) {
        p++;
    }
    if (*p == '+' || *p == '-') {
        *negative = *p == '-';
        p++;
    }
    /* "0x" counts as a prefix only when a hex digit follows; otherwise the number is "0". */
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    const char *digits = p;
    for (int d; (d = digit_value(*p)) < base; p++) {
        if (*magnitude > (limit - (unsigned long)d) / (unsigned long)base) {
            *overflow = true;
            *magnitude = limit;
        } else if (!*overflow) {
            *magnitude = *magnitude * (unsigned long)base + (unsigned long)d;
        }
    }
    return p == digits ? s : p;
}

long strtol(const char *s, char **end, int base)
{
    bool negative;
    bool overflow;
    unsigned long magnitude;
    /* The largest magnitude is LONG_MAX, or one more for a negative number. */
    const char *stop =
        parse_number(s, base, (unsigned long)LONG_MAX + 1, &negative, &magnitude, &overflow);
    if (end != NULL) {
        *end = (char *)stop;
    }
    if (!negative && magnitude > (unsigned long)LONG_MAX) {
        overflow = true;
    }
    if (overflow) {
        errno = ERANGE;
        return negative ? LONG_MIN : LONG_MAX;
    }
    return negative ? (long)(0 - magnitude) : (long)magnitude;
}

/* As in C, a minus sign negates the result in unsigned arithmetic ("-1" is ULONG_MAX). */
unsigned long strtoul(const char *s, char **end, int base)
{
    bool negative;
    bool overflow;
    unsigned long magnitude;
    const char *stop = parse_number(s, base, ULONG_MAX, &negative, &magnitude, &overflow);
    if (end != NULL) {
        *end = (char *)stop;
    }
    if (overflow) {
        errno = ERANGE;
        return ULONG_MAX;
    }
    return negative ? 0 - magnitude : magnitude;
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

int abs(int n)
{
    return n < 0 ? -n : n;
}

long labs(long n)
{
    return n < 0 ? -n : n;
}
