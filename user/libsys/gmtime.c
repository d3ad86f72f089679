/* gmtime64_r and month_name: <time.h>'s calendar, on kernel/lib/calendar.c. */
#include <lib/calendar.h>
#include <time.h>

struct tm *gmtime64_r(int64_t seconds, struct tm *out)
{
    struct calendar_time t;
    calendar_from_epoch(seconds, &t);
    *out = (struct tm){ .tm_sec = t.second,
                        .tm_min = t.minute,
                        .tm_hour = t.hour,
                        .tm_mday = t.day,
                        .tm_mon = t.month,
                        .tm_year = (int)(t.year - 1900),
                        .tm_wday = t.weekday,
                        .tm_yday = t.yearday };
    return out;
}

const char *month_name(int month)
{
    static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    return month >= 0 && month < 12 ? names[month] : "???";
}
