"""Durations and dates in configuration: ``"12 months"``, ``"90 days"``, ``"2025-01-31"``.

A duration is counted back from a reference time (HEAD's commit time), using calendar months
and years, so ``"12 months"`` before 2026-03-31 is 2025-03-31. Durations are at most
:data:`MAX_YEARS` long, and a point before the Unix epoch is the epoch: git has no commits
before it (and misreads older dates), so either way it means "all of history".
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime, timedelta, timezone

_UNITS = {
    "day": "days", "days": "days", "d": "days",
    "week": "weeks", "weeks": "weeks", "w": "weeks",
    "month": "months", "months": "months", "mo": "months",
    "year": "years", "years": "years", "y": "years",
}
_DURATION = re.compile(r"^\s*(\d+)\s*([a-z]+)\s*$")
_DAYS_PER = {"days": 1.0, "weeks": 7.0, "months": 30.44, "years": 365.25}
#: The longest duration accepted, in years, and that length in each unit.
MAX_YEARS = 1000
_MAX_AMOUNT = {"days": 365_250, "weeks": 52_178, "months": 12_000, "years": MAX_YEARS}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@functools.lru_cache(maxsize=64)
def parse_duration(text: str) -> tuple[int, str]:
    """Parse ``"6 months"`` into ``(6, "months")``; raise ValueError with a readable message."""
    m = _DURATION.match(text.lower())
    if not m or m.group(2) not in _UNITS:
        raise ValueError(
            f"{text!r} is not a duration like '90 days', '6 weeks', '12 months' or '2 years'"
        )
    digits, unit = m.group(1).lstrip("0") or "0", _UNITS[m.group(2)]
    if len(digits) > 9 or int(digits) > _MAX_AMOUNT[unit]:
        raise ValueError(f"{text!r} is too long: at most {MAX_YEARS} years (for all of "
                         f"history, give a date such as 1970-01-01)")
    return int(digits), unit


def subtract(moment: datetime, amount: int, unit: str) -> datetime:
    """``moment`` minus a calendar duration."""
    if unit == "days":
        return moment - timedelta(days=amount)
    if unit == "weeks":
        return moment - timedelta(weeks=amount)
    months = amount * (12 if unit == "years" else 1)
    y, m = divmod(moment.year * 12 + (moment.month - 1) - months, 12)
    d = min(moment.day, calendar.monthrange(y, m + 1)[1])
    return moment.replace(year=y, month=m + 1, day=d)


def resolve_point(text: str, reference: datetime) -> datetime:
    """A duration before ``reference`` or an ISO date (midnight UTC); never before
    :data:`EPOCH`."""
    text = text.strip()
    try:
        d = date.fromisoformat(text)
    except ValueError:
        amount, unit = parse_duration(text)
        try:
            point = subtract(reference, amount, unit)
        except (ValueError, OverflowError):  # before the year 1
            return EPOCH
        return max(point, EPOCH)
    return max(datetime(d.year, d.month, d.day, tzinfo=timezone.utc), EPOCH)


def duration_days(text: str) -> float:
    """Approximate length of a duration in days (months = 30.44 days)."""
    amount, unit = parse_duration(text)
    return amount * _DAYS_PER[unit]


def check_point(text: str) -> None:
    """Raise ValueError if ``text`` is neither a duration nor an ISO date."""
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        parse_duration(text)
