/*
 * sleep SECONDS: sleeps with nanosleep. SECONDS may have a fraction ("0.5", "1.25", up to nine
 * digits); it is parsed as decimal digits, without floating point.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Parses "S" or "S.FFF" into *ts. False for anything else (signs, exponents, empty). */
static bool parse_seconds(const char *text, struct timespec *ts)
{
    long seconds = 0;
    long nanoseconds = 0;
    const char *p = text;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1]))) {
        return false;
    }
    for (; isdigit((unsigned char)*p); p++) {
        seconds = seconds * 10 + (*p - '0');
        if (seconds > 100000000) {
            return false; /* over three years: not a sleep anyone wants */
        }
    }
    if (*p == '.') {
        long scale = 100000000;
        for (p++; isdigit((unsigned char)*p); p++) {
            nanoseconds += (*p - '0') * scale;
            scale /= 10;
        }
    }
    if (*p != '\0') {
        return false;
    }
    ts->tv_sec = (int32_t)seconds;
    ts->tv_nsec = (int32_t)nanoseconds;
    return true;
}

int main(int argc, char **argv)
{
    struct timespec request;
    if (argc != 2 || !parse_seconds(argv[1], &request)) {
        printf("usage: sleep SECONDS (a fraction is allowed: sleep 0.5)\n");
        return 2;
    }
    struct timespec left;
    while (nanosleep(&request, &left) != 0) {
        if (errno != EINTR) {
            printf("sleep: nanosleep: %s\n", strerror(errno));
            return 1;
        }
        request = left;
    }
    return 0;
}
