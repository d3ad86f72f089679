/*
 * Host driver for lib/calendar.c, run by tests/host/test_calendar.py through hostdriver.py.
 *
 * Persistent: one request a line on stdin, one answer a line on stdout, until EOF (exit 0).
 *
 *     civil SECONDS   -> YEAR MONTH DAY HOUR MINUTE SECOND WEEKDAY YEARDAY
 *
 * SECONDS is a signed decimal int64; the answer is calendar_from_epoch's fields in that order.
 */
#include <lib/calendar.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "calendar_driver"
#include "driver_io.h"

static void answer(char *line)
{
    char *words[2];
    if (split_request(line, words, 2) != 2 || strcmp(words[0], "civil") != 0) {
        die_detail("unknown request", words[0]);
    }
    char *end;
    errno = 0;
    long long seconds = strtoll(words[1], &end, 10);
    if (*end != '\0' || end == words[1] || errno != 0) {
        die_detail("bad number", words[1]);
    }
    struct calendar_time t;
    calendar_from_epoch(seconds, &t);
    printf("%" PRId64 " %d %d %d %d %d %d %d\n", t.year, t.month, t.day, t.hour, t.minute,
           t.second, t.weekday, t.yearday);
}

int main(void)
{
    static char line[256];
    return serve_lines(line, sizeof(line), answer);
}
