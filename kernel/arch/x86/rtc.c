/*
 * The CMOS real-time clock, read once at boot for CLOCK_REALTIME.
 */
#include <arch.h>

#include <arch/x86.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static uint32_t from_bcd(uint8_t v, int bcd)
{
    return bcd ? (uint32_t)((v >> 4) * 10 + (v & 15)) : v;
}

/* Days from 1970-01-01 to year-month-day (month 1..12), for the proleptic Gregorian calendar. */
static uint32_t days_since_epoch(uint32_t year, uint32_t month, uint32_t day)
{
    static const uint16_t before_month[12] = {
        0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
    };
    uint32_t days = (year - 1970) * 365 + before_month[month - 1] + (day - 1);
    for (uint32_t y = 1970; y < year; y++) {
        days += (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 1 : 0;
    }
    if (month > 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) {
        days++;
    }
    return days;
}

uint32_t arch_rtc_seconds(void)
{
    while (cmos(0x0a) & 0x80) {
        /* an update is in progress: wait for a stable reading */
    }
    uint8_t status_b = cmos(0x0b);
    int bcd = !(status_b & 0x04);
    uint32_t second = from_bcd(cmos(0x00), bcd);
    uint32_t minute = from_bcd(cmos(0x02), bcd);
    uint8_t raw_hour = cmos(0x04);
    uint32_t hour = from_bcd(raw_hour & 0x7f, bcd);
    if (!(status_b & 0x02) && (raw_hour & 0x80)) {
        hour = (hour % 12) + 12; /* 12-hour clock, PM */
    }
    uint32_t day = from_bcd(cmos(0x07), bcd);
    uint32_t month = from_bcd(cmos(0x08), bcd);
    uint32_t year = 2000 + from_bcd(cmos(0x09), bcd);
    if (month < 1 || month > 12 || day < 1 || day > 31) {
        return 0;
    }
    return days_since_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}
