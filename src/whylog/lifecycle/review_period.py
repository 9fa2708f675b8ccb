"""The period a review covers: a month, a quarter, a `--since`/`--until` range or all the records' dates.
Months and quarters have a previous period to compare with; ranges and `--all` do not.

Periods are asked for with a year from 1900 to 9999 (the bounds of a record's date, whylog.model.bounds). The
day after 9999-12-31 is not a `date`: a period that would end there ends at date.max, which stands for
"no end" (`before_end`), so that a record of 9999-12-31 is inside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from whylog.model import Record
from whylog.model.bounds import YEARS, shift_day, year_in_bounds
from whylog.model.errors import WhylogError

_DAY = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
ALL = "all"


@dataclass(frozen=True, slots=True)
class Period:
    """Days from `start` up to, not including, `end` (date.max: no end); `label` is 2026-03, 2026-Q1, a
    range or "all"."""

    label: str
    start: date
    end: date


def parse_period(
    month: str | None,
    quarter: str | None,
    since: str | None = None,
    until: str | None = None,
    every: bool = False,
) -> Period:
    """The period named by exactly one way of choosing: `--month`, `--quarter`, `--since`/`--until` or
    `--all`. `--all` (and an open end of a range) spans date.min..date.max until `bounded` narrows it."""
    ways = [month is not None, quarter is not None, since is not None or until is not None, every]
    if sum(ways) != 1:
        raise WhylogError(
            "give exactly one of --month YYYY-MM, --quarter YYYY-Qn, --since/--until YYYY-MM[-DD] or --all",
            hint="e.g. --month 2026-03",
        )
    if month is not None:
        start = _month(month, "--month")
        return Period(f"{start:%Y-%m}", start, _add_months(start, 1))
    if quarter is not None:
        return _quarter(quarter)
    if every:
        return Period(ALL, date.min, date.max)
    first = _day(since, "--since", end=False) if since else date.min
    last = _day(until, "--until", end=True) if until else date.max
    if until and first >= last:
        raise WhylogError(f"--since {since} is not before --until {until}", hint="the range would be empty")
    return Period(f"{since or 'start'}..{until or 'end'}", first, last)


def _month(text: str, flag: str) -> date:
    found = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not year_in_bounds(int(found[1])):
        raise WhylogError(
            f"{flag} {text!r} is not a month", hint=f"expected YYYY-MM, a year from {YEARS}, e.g. 2026-03"
        )
    return date(int(found[1]), int(found[2]), 1)


def _quarter(text: str) -> Period:
    found = re.fullmatch(r"(\d{4})-[Qq]([1-4])", text.strip())
    if not found or not year_in_bounds(int(found[1])):
        raise WhylogError(
            f"--quarter {text!r} is not a quarter", hint=f"expected YYYY-Qn, a year from {YEARS}, e.g. 2026-Q1"
        )
    start = date(int(found[1]), 3 * int(found[2]) - 2, 1)
    return Period(f"{found[1]}-Q{found[2]}", start, _add_months(start, 3))


def _day(text: str, flag: str, end: bool) -> date:
    """YYYY-MM-DD, or YYYY-MM meaning its first day (`--since`) or its whole month (`--until`, inclusive)."""
    found = _DAY.fullmatch(text.strip())
    try:
        if not found or not year_in_bounds(int(found[1])):
            raise ValueError(text)
        if found[3] is None:
            start = date(int(found[1]), int(found[2]), 1)
            return _add_months(start, 1) if end else start
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise WhylogError(
            f"{flag} {text!r} is not a date", hint=f"expected YYYY-MM or YYYY-MM-DD, a year from {YEARS}"
        ) from None
    return shift_day(day, 1) if end else day


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s, or date.max (no end) past 9999-12."""
    index = day.year * 12 + day.month - 1 + months
    if index // 12 > date.max.year:
        return date.max
    return date(max(index // 12, date.min.year), index % 12 + 1, 1)


def before_end(day: date, period: Period) -> bool:
    """Whether `day` comes before the period's end; nothing is after an end of date.max."""
    return day < period.end or period.end == date.max


def last_day(period: Period) -> date:
    return period.end if period.end == date.max else shift_day(period.end, -1)


def end_key(period: Period) -> str:
    """The period's end as text that record dates (`2026-03-19` or `2026-03-19T14:32:00Z`) sort below."""
    return "9999-12-31~" if period.end == date.max else period.end.isoformat()


def has_previous(period: Period) -> bool:
    return bool(re.fullmatch(r"\d{4}-(\d{2}|Q[1-4])", period.label))


def previous_period(period: Period) -> Period | None:
    """The month or quarter before; None for ranges and `--all` (nothing to compare with)."""
    if not has_previous(period):
        return None
    months = 3 if "Q" in period.label else 1
    start = _add_months(period.start, -months)
    if months == 1:
        return Period(f"{start:%Y-%m}", start, period.start)
    return Period(f"{start.year}-Q{(start.month + 2) // 3}", start, period.start)


def bounded(period: Period, first: date | None, last: date | None) -> Period:
    """An open start or end (date.min / date.max) narrowed to the records' first day and the day after
    their last, so that ages and weeks are measured within the data."""
    start = first if period.start == date.min and first else period.start
    end = shift_day(last, 1) if period.end == date.max and last else period.end
    return Period(period.label, start, max(end, start))


def record_day(record: Record) -> date | None:
    try:
        return date.fromisoformat(record.date[:10])
    except ValueError:
        return None


def within(record: Record, period: Period) -> bool:
    day = record_day(record)
    return day is not None and period.start <= day and before_end(day, period)
