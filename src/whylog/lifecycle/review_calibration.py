"""Confidence calibration: entries' stated confidence against what followed them. Trouble is a
rollback (an entry titled "Revert ..." or a Bug Fix tagged ROLLBACK) touching the same files within
FOLLOW_DAYS days, or an incident (an incident record or an Incident entry) naming its files within
FOLLOW_DAYS days or linking the entry at any later time. A blocker
reopened is not derivable: a change document keeps only its blockers' current statuses, no history.

The reliability table counts, per author and confidence band, the entries and those followed by trouble.
Entries carry no author in the templates, so they count under "unknown" unless a record kind has one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from whylog.model import EntryFields, IncidentFields, Record, refs_of
from whylog.model.bounds import shift_day

BANDS = ((0, 69, "<70"), (70, 79, "70-79"), (80, 89, "80-89"), (90, 100, "90-100"))
UNKNOWN = "unknown"
LOW_CONFIDENCE = 80  # stated confidence under this many percent is low
FOLLOW_DAYS = 30  # a rollback or incident naming the same files counts when it comes within this many days
_ID_WORD = re.compile(r"[A-Za-z0-9][\w-]*")
NOT_DERIVABLE = "blocker reopened: not derivable (change documents keep no history of blocker statuses)"


@dataclass(frozen=True, slots=True)
class Followed:
    record_id: str
    confidence: int
    rollbacks: tuple[str, ...]
    incidents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reliability:
    author: str
    band: str
    entries: int
    troubled: int

    @property
    def share(self) -> float:
        return self.troubled / self.entries if self.entries else 0.0


@dataclass(frozen=True, slots=True)
class Calibration:
    table: tuple[Reliability, ...]
    followed: tuple[Followed, ...]  # the entries followed by trouble
    not_derived: tuple[str, ...] = (NOT_DERIVABLE,)


def stated_confidence(record: Record) -> int | None:
    fields = record.fields
    if isinstance(fields, EntryFields) and fields.confidence and fields.confidence.value is not None:
        return fields.confidence.value
    return None


def band(value: int) -> str:
    return next((name for low, high, name in BANDS if low <= value <= high), BANDS[-1][2])


def author_of(record: Record) -> str:
    author = getattr(record.fields, "author", "")
    return author.strip() if isinstance(author, str) and author.strip() else UNKNOWN


def is_rollback(record: Record) -> bool:
    fields = record.fields
    if not isinstance(fields, EntryFields):
        return False
    tagged = any(tag.strip().upper() == "ROLLBACK" for tag in record.tags)
    return record.title.strip().lower().startswith("revert") or (fields.type == "Bug Fix" and tagged)


def is_incident(record: Record) -> bool:
    fields = record.fields
    return isinstance(fields, IncidentFields) or (isinstance(fields, EntryFields) and fields.type == "Incident")


def _linked(incidents: list[Record]) -> dict[str, list[Record]]:
    """Record id -> the incidents whose links target it or name it in their text."""
    found: dict[str, list[Record]] = defaultdict(list)
    for record in incidents:
        named = {link.target for link in record.links if link.target}
        named |= {word for link in record.links for word in _ID_WORD.findall(link.text)}
        for name in named:
            found[name].append(record)
    return found


def calibrate(entries: list[Record], candidates: list[Record]) -> Calibration:
    """`entries`: the period's records; `candidates`: records that may follow them (at least every
    rollback naming their files and every incident naming their files or dated after the first entry)."""
    troubles = {r.id: r for r in candidates if is_rollback(r) or is_incident(r)}.values()
    by_path = ByPath(troubles, record_paths)
    linked = _linked([r for r in troubles if is_incident(r)])
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    followed = []
    for entry in entries:
        value = stated_confidence(entry)
        if value is None:
            continue
        near = by_path.between(record_paths(entry), entry.date, horizon(entry.date))
        later = {r.id: r for r in near + linked.get(entry.id, []) if r.date > entry.date and r.id != entry.id}
        rollbacks = tuple(sorted(i for i, r in later.items() if is_rollback(r)))
        hit = tuple(sorted(i for i, r in later.items() if is_incident(r)))
        row = tally[(author_of(entry), band(value))]
        row[0] += 1
        if rollbacks or hit:
            row[1] += 1
            followed.append(Followed(entry.id, value, rollbacks, hit))
    order = [name for _, _, name in BANDS]
    keys = sorted(tally, key=lambda k: (k[0] == UNKNOWN, k[0], order.index(k[1])))
    return Calibration(tuple(Reliability(a, b, *tally[(a, b)]) for a, b in keys), tuple(followed))


class ByPath:
    """Records by the paths they name, each list in date order, to ask what named a file in a window."""

    def __init__(self, records: Iterable[Record], paths_of: Callable[[Record], list[str]]) -> None:
        lists: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            for path in paths_of(record):
                lists[path].append(record)
        self._records = {p: sorted(rs, key=lambda r: (r.date, r.id)) for p, rs in lists.items()}
        self._dates = {p: [r.date for r in rs] for p, rs in self._records.items()}

    def between(self, paths: Iterable[str], after: str, last_day: str) -> list[Record]:
        """Records naming any of `paths`, dated after `after` and on or before the day `last_day`."""
        found: dict[str, Record] = {}
        for path in paths:
            dates = self._dates.get(path)
            if dates:
                start, end = bisect_right(dates, after), bisect_right(dates, last_day + "~")  # "~" sorts after a time
                found.update((r.id, r) for r in self._records[path][start:end])
        return sorted(found.values(), key=lambda r: (r.date, r.id))


def horizon(when: str) -> str:
    """The last day (ISO) on which trouble naming the entry's files still counts as following it."""
    try:
        return shift_day(date.fromisoformat(when[:10]), FOLLOW_DAYS).isoformat()
    except ValueError:
        return "9999-12-31"


def record_paths(record: Record) -> list[str]:
    """The paths a record names (a change's blockers' too), without slashes at either end."""
    return list(dict.fromkeys(p for ref in refs_of(record) if (p := ref.path.strip("/"))))


def calibration_lines(calibration: Calibration) -> list[str]:
    """The table and the troubled entries as plain text lines (Markdown and HTML share them)."""
    lines = [
        f"{r.author}, confidence {r.band}: {r.entries} entries, {r.troubled} followed by trouble ({r.share:.0%})"
        for r in calibration.table
    ]
    for item in calibration.followed:
        parts = [f"rollback {', '.join(item.rollbacks)}" if item.rollbacks else ""]
        parts.append(f"incident {', '.join(item.incidents)}" if item.incidents else "")
        lines.append(f"{item.record_id} ({item.confidence}%) was followed by " + "; ".join(p for p in parts if p))
    return lines + [f"not checked: {note}" for note in calibration.not_derived]
