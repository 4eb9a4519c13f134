"""Working days and the claim clocks (domain.md §7): JKM paid within 3 working days of a complete
file; the JKK claim right lasts 5 years from the accident (2 before PP 82/2019).

Working days skip Saturdays, Sundays, the fixed-date national holidays (`FIXED_HOLIDAYS`:
1 January, 1 May, 1 June, 17 August, 25 December) and every `Holiday` an admin entered — the
moving holidays and cuti bersama of the year's SKB 3 Menteri."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .models import Holiday

JKM_PAYMENT_WORKING_DAYS = 3


def fixed_holidays() -> list[tuple[int, int]]:
    pairs = settings.LINDUNGI.get("FIXED_HOLIDAYS", ["01-01", "05-01", "06-01", "08-17", "12-25"])
    return [(int(p[:2]), int(p[3:5])) for p in pairs]


def holidays_between(first: dt.date, last: dt.date) -> set[dt.date]:
    days = set(Holiday.objects.filter(date__range=(first, last)).values_list("date", flat=True))
    for year in range(first.year, last.year + 1):
        for month, day in fixed_holidays():
            date = dt.date(year, month, day)
            if first <= date <= last:
                days.add(date)
    return days


def is_working_day(day: dt.date, holidays: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `start` (start itself not counted)."""
    holidays = holidays_between(start, start + dt.timedelta(days=count * 3 + 30))
    day, left = start, count
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(first: dt.date, last: dt.date) -> int:
    """Working days after `first` up to and including `last` (0 when `last` ≤ `first`)."""
    if last <= first:
        return 0
    holidays = holidays_between(first, last)
    return sum(
        1
        for offset in range(1, (last - first).days + 1)
        if is_working_day(first + dt.timedelta(days=offset), holidays)
    )


def claim_right_years(on: dt.date) -> int:
    """Years a JKK claim may be filed after the accident, from the benefit table then in force."""
    from .benefits import benefit_rules

    rule = benefit_rules(on).get("JKK_CLAIM_RIGHT_YEARS")
    return int(rule.units or 0) if rule else 5
