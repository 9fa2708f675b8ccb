"""Dates in the shapes real record files write them, each read to ISO 8601 with its precision.

`find_date` returns the first date in a text: `2026-06` for a month, `2026-06-07` for a day,
`2026-06-07T20:28:00Z` for a time (converted to UTC when the text gives a zone or an offset; a time with no
zone is taken as UTC). Shapes: ISO with any separator and padding (`2026-6-7`, `2026/06/07`,
`2025-12-31T20:47:08.764Z`), numeric day and month in either order (`18/04/2026`, `12/31/2025, 4:04:12 PM`;
`day_first` settles `07/07/2026`), month names in English, French, Spanish, Portuguese, German and Russian
(`February 26, 2025, 11:44 AM`, `6th December, 2024`, `8 июля 2025`, `September 2025`), CJK
(`2026年3月4日`), compact `20260216`. Placeholders (`2025-05-XX`, `YYYY-MM-DD`, `[Date]`) are no dates;
`find_placeholder` names them so readers can report them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from whylog.model.bounds import FIRST_YEAR, LAST_YEAR

MIN_YEAR, MAX_YEAR = FIRST_YEAR, LAST_YEAR  # the bounds of a record's date (whylog.model.bounds)

_MONTH_WORDS = {
    1: "january jan janvier janv enero ene janeiro jan januar jän январь января янв",
    2: "february feb février fevrier févr fevr febrero fevereiro fev februar февраль февраля фев",
    3: "march mar mars marzo março marco märz maerz март марта",
    4: "april apr avril abril апрель апреля апр",
    5: "may mai mayo maio май мая",
    6: "june jun juin junio junho juni июнь июня",
    7: "july jul juillet juil julio julho juli июль июля",
    8: "august aug août aout agosto август августа авг",
    9: "september sep sept septembre septiembre setiembre setembro сентябрь сентября сен",
    10: "october oct octobre octubre outubro oktober okt октябрь октября окт",
    11: "november nov novembre noviembre novembro ноябрь ноября ноя",
    12: "december dec décembre decembre déc diciembre dic dezembro dez dezember декабрь декабря дек",
}
MONTHS = {word: number for number, words in _MONTH_WORDS.items() for word in words.split()}
_MONTH = r"(?P<mname>[^\W\d_]{3,10})\.?"
_ZONES: dict[str, float] = {"utc": 0, "gmt": 0, "z": 0, "jst": 9, "kst": 9, "cet": 1, "cest": 2, "msk": 3, "bst": 1}
_ZONES.update({"est": -5, "edt": -4, "cst": 8, "pst": -8, "pdt": -7, "ist": 5.5})
_TIME = (
    r"(?:[T ]|,?\s+(?:at\s+|à\s+|um\s+|~)?|\s*~\s*)"
    r"(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?"
    r"(?:\s*\(?(?P<zone>Z|UTC|GMT|JST|KST|CET|CEST|MSK|BST|EST|EDT|CST|PST|PDT|IST)\b)?"
    r"(?:\s*(?:\([^)]*?)?(?:UTC|GMT)?(?P<offset>[+-]\d{1,2}(?::?\d{2})?)\b)?"
)
_SHAPES = [
    (
        "ymd",
        re.compile(r"(?<![\d.])(?P<year>\d{4})([-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?![\d])(?:" + _TIME + ")?"),
    ),
    ("cjk", re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?")),
    ("dmy", re.compile(r"(?<![\d/.])(?P<a>\d{1,2})([/.])(?P<b>\d{1,2})\2(?P<year>\d{4})(?!\d)(?:" + _TIME + ")?")),
    (
        "mdy_word",
        re.compile(
            r"(?<!\w)" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\d)(?:" + _TIME + ")?"
        ),
    ),
    (
        "dmy_word",
        re.compile(
            r"(?<![\w])(?P<day>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?"
            + _MONTH
            + r",?\s+(?:de\s+)?(?P<year>\d{4})(?!\d)(?:"
            + _TIME
            + ")?"
        ),
    ),
    ("my_word", re.compile(r"(?<!\w)" + _MONTH + r",?\s+(?:de\s+)?(?P<year>\d{4})(?!\d)")),
    ("compact", re.compile(r"(?<![\d])(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?![\d])")),
]
_PLACEHOLDER = re.compile(
    r"\b(?:\d{4}|YYYY)[-/](?:\d{1,2}|MM|XX|xx)[-/](?:XX|xx|DD|dd|\?\?)\b|\bYYYY-MM(?:-DD)?\b|\[(?:Date|Datum|Fecha|Data|日付|日期)\]"
    r"|\bUnknown Date\b|\bDD/MM/YYYY\b|\bMM/DD/YYYY\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found:
    iso: str
    start: int
    end: int


_YEAR_DIGITS = re.compile(r"\d{4}")


def find_date(text: str, day_first: bool | None = None) -> Found | None:
    """The earliest date in `text`, or None. `day_first` decides `07/08/2026`; None (nothing in the file
    tells) reads it day first, as most of the world writes it, unless the first number cannot be a day
    of that month order (`12/31/2025`)."""
    best: Found | None = None
    if _YEAR_DIGITS.search(text) is None:  # every shape holds a year of four digits
        return None
    for shape, pattern in _SHAPES:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best.start:
                break
            iso = _read(shape, match, day_first)
            if iso is not None:
                best = Found(iso, match.start(), match.end())
                break
    return best


def find_placeholder(text: str) -> str | None:
    match = _PLACEHOLDER.search(text)
    return match.group(0) if match else None


def prefers_day_first(texts: list[str]) -> bool | None:
    """Whether a file writes `dd/mm/yyyy`: True when some numeric date can only be day first, False when
    some can only be month first, None when none tells."""
    votes = 0
    pattern = _SHAPES[2][1]
    for text in texts:
        for match in pattern.finditer(text):
            a, b = int(match.group("a")), int(match.group("b"))
            if a > 12 >= b:
                votes += 1
            elif b > 12 >= a:
                votes -= 1
    return None if votes == 0 else votes > 0


def _read(shape: str, match: re.Match[str], day_first: bool | None) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    day: int | None
    if shape in ("ymd", "compact"):
        month, day = int(groups["month"]), int(groups["day"])
    elif shape == "cjk":
        month, day = int(groups["month"]), int(groups["day"]) if groups["day"] else None
    elif shape == "dmy":
        a, b = int(groups["a"]), int(groups["b"])
        first_is_day = a > 12 or day_first is not False  # with nothing to tell, day first, as most of the world
        if b > 12:
            first_is_day = False
        day, month = (a, b) if first_is_day else (b, a)
    else:
        found = MONTHS.get(groups["mname"].lower())
        if found is None:
            return None
        month, day = found, int(groups["day"]) if groups.get("day") else None
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        moment = datetime(year, month, day)
    except ValueError:
        return None
    if not groups.get("hour"):
        return moment.strftime("%Y-%m-%d")
    return _with_time(moment, groups)


def _with_time(moment: datetime, groups: dict[str, str | None]) -> str | None:
    hour, minute, second = int(groups["hour"] or 0), int(groups["minute"] or 0), int(groups["second"] or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return moment.strftime("%Y-%m-%d")
    moment = moment.replace(hour=hour, minute=minute, second=second)
    offset = groups.get("offset")
    zone = groups.get("zone")
    try:
        if offset:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
            moment -= sign * timedelta(hours=hours, minutes=minutes)
        elif zone:
            moment -= timedelta(hours=_ZONES[zone.lower()])
    except OverflowError:  # past 9999-12-31 in UTC
        return None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
