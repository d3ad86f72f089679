"""lib/calendar.c on the host: calendar_from_epoch against Python's datetime (UTC, proleptic
Gregorian), over the years datetime knows (1..9999), with the edges: the epoch, leap days,
century years, negative times.

Each call goes to build/host/calendar_driver (protocol at the top of
tests/host/drivers/calendar_driver.c), under AddressSanitizer and UBSan.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIRST = int((datetime(1, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
LAST = int((datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC) - EPOCH).total_seconds())


def civil(driver: HostDriver, seconds: int) -> tuple[int, ...]:
    return tuple(int(x) for x in driver.ask(f"civil {seconds}").split())


def expected(seconds: int) -> tuple[int, ...]:
    t = EPOCH + timedelta(seconds=seconds)
    weekday = (t.weekday() + 1) % 7  # Python's Monday 0; C's Sunday 0
    yearday = t.timetuple().tm_yday - 1
    return (t.year, t.month - 1, t.day, t.hour, t.minute, t.second, weekday, yearday)


@pytest.mark.parametrize(
    "when",
    [
        "1970-01-01 00:00:00",  # the epoch, a Thursday
        "1969-12-31 23:59:59",  # one second before
        "2000-02-29 12:00:00",  # a leap day in a century divisible by 400
        "1900-03-01 00:00:00",  # the day after 1900's missing leap day
        "2026-12-03 07:09:28",
        "2038-01-19 03:14:08",  # past 32-bit time_t
        "0001-01-01 00:00:00",
        "9999-12-31 23:59:59",
    ],
)
def test_known_dates(calendar_driver: HostDriver, when: str) -> None:
    seconds = int((datetime.fromisoformat(when).replace(tzinfo=UTC) - EPOCH).total_seconds())
    assert civil(calendar_driver, seconds) == expected(seconds)


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=FIRST, max_value=LAST))
def test_agrees_with_datetime(calendar_driver: HostDriver, seconds: int) -> None:
    assert civil(calendar_driver, seconds) == expected(seconds)
