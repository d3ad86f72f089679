/*
 * The calendar: seconds since the epoch as a date and a time of day (UTC). The day count is
 * turned into a civil date with Howard Hinnant's days-to-civil algorithm: 400-year eras of
 * 146097 days, years starting in March so the leap day falls at the end.
 */
#include <stdbool.h>
#include <time.h>

struct tm *gmtime64_r(int64_t seconds, struct tm *out)
{
    int64_t days = seconds / 86400;
    int64_t rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        days--;
    }
    out->tm_hour = (int)(rest / 3600);
    out->tm_min = (int)(rest / 60 % 60);
    out->tm_sec = (int)(rest % 60);
    out->tm_wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */

    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                  /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           /* [0, 365], from March */
    int64_t mp = (5 * doy + 2) / 153;                                /* [0, 11], March = 0 */
    int64_t year = yoe + era * 400 + (mp >= 10);
    out->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
    out->tm_year = (int)(year - 1900);
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    out->tm_yday = (int)(mp >= 10 ? doy - 306 : doy + 59 + leap);
    return out;
}

const char *month_name(int month)
{
    static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    return month >= 0 && month < 12 ? names[month] : "???";
}
