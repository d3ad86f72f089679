/*
 * calendar_from_epoch: the day count becomes a civil date by Howard Hinnant's days-to-civil
 * algorithm: 400-year eras of 146097 days, years starting in March so the leap day falls last.
 */
#include <lib/calendar.h>

#include <stdbool.h>

/* a / b rounded towards minus infinity (C rounds towards zero). */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void calendar_from_epoch(int64_t seconds, struct calendar_time *out)
{
    int64_t days = floor_div(seconds, 86400);
    int64_t rest = seconds - days * 86400;
    out->hour = (int)(rest / 3600);
    out->minute = (int)(rest / 60 % 60);
    out->second = (int)(rest % 60);
    out->weekday = (int)(days + 4 - floor_div(days + 4, 7) * 7); /* 1970-01-01: a Thursday */

    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] from March */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11], March 0 */
    int64_t year = yoe + era * 400 + (mp >= 10);
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    out->year = year;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 2 : mp - 10);
    out->yearday = (int)(mp >= 10 ? doy - 306 : doy + 59 + leap);
}
