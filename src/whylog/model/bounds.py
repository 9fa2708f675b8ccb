"""The bounds of what whylog takes in, and date arithmetic that stays within them.

- Dates: a record's year is from FIRST_YEAR to LAST_YEAR. A later or earlier year is refused at `add`
  and read as no date (with a diagnostic) from a file; records are about software, and the bounds keep
  every date, and a day or a quarter past it, inside what Python's `date` can hold.
- Text from outside (command-line arguments, MCP tool inputs, record text): no control characters but
  tab and newline. NUL cannot reach a file name or a subprocess, and escape codes cannot rewrite what a
  terminal shows.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

FIRST_YEAR = 1900
LAST_YEAR = 9999
YEARS = f"{FIRST_YEAR} to {LAST_YEAR}"

# C0 controls but tab and newline, DEL, C1 controls; lone surrogates are bytes that were not UTF-8.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def year_in_bounds(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def shift_day(day: date, days: int) -> date:
    """`day` moved by `days`, stopping at date.min or date.max instead of overflowing."""
    ordinal = min(max(day.toordinal() + days, date.min.toordinal()), date.max.toordinal())
    return date.fromordinal(ordinal)


def shift_moment(moment: datetime, days: int = 0, minutes: int = 0) -> datetime:
    """`moment` moved by `days` and `minutes`, stopping at datetime.min or datetime.max (same time zone)
    instead of overflowing."""
    try:
        return moment + timedelta(days=days, minutes=minutes)
    except OverflowError:
        later = days * 1440 + minutes > 0
        return (datetime.max if later else datetime.min).replace(tzinfo=moment.tzinfo)


def control_character(text: str) -> str | None:
    """The first character of `text` that input may not hold, as `U+XXXX`; None when there is none."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def iter_strings(value: object, where: str = "") -> list[tuple[str, str]]:
    """Every string in a JSON-like value (keys included) with where it is (`record.fields.title`)."""
    if isinstance(value, str):
        return [(where, value)]
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            found += iter_strings(str(key), inner) + iter_strings(item, inner)
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            found += iter_strings(item, f"{where}[{number}]")
    return found
