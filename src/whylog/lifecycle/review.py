"""A monthly or quarterly review from the records alone: what was recorded (with the change from the
previous period), recurring problems, hot files, open work with its age, blockers left open, low-confidence
entries and what followed them, and how long incidents took to resolve.

`review(config, period)` (in `lifecycle.review_index`, which reads the inputs from the index, or from every
record file without one) returns a `Review` of plain values; `lifecycle.review_report` renders it as
Markdown, JSON or HTML and `lifecycle.review_charts` draws its charts. Open items come from
`lifecycle.status` so that both commands agree on what is open.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from whylog.index.query import STOP_WORDS
from whylog.lifecycle.review_calibration import LOW_CONFIDENCE, ByPath, Calibration, calibrate, horizon, record_paths
from whylog.lifecycle.review_period import (
    Period,
    before_end,
    bounded,
    last_day,
    previous_period,
    record_day,
    within,
)
from whylog.lifecycle.review_period import parse_period as parse_period
from whylog.lifecycle.status import open_items
from whylog.model import ChangeFields, EntryFields, IncidentFields, Record

LATER_SHOWN = 10  # later records listed per low-confidence entry (all are counted)
MAX_GROUP = 100  # a key shared by more problem records than this is background, not a recurrence
OPEN_BLOCKER = ("PARTIAL", "NOT STARTED")
PROBLEM_TYPES = ("Bug Fix", "Incident")
_WORD = re.compile(r"[a-z][a-z0-9_-]{3,}")
_SUFFIXES = ("ions", "ion", "ing", "ed", "s")
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b")


@dataclass(frozen=True, slots=True)
class Count:
    group: str  # "kind" or "type" (entry type)
    name: str
    count: int
    previous: int | None  # None: no previous period (a range or --all)

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.count - self.previous


@dataclass(frozen=True, slots=True)
class Recurring:
    """Problem records (incidents, bug fixes) sharing files, services or root-cause terms."""

    record_ids: tuple[str, ...]
    files: tuple[str, ...]
    services: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HotFile:
    path: str
    changes: int
    incidents: int


@dataclass(frozen=True, slots=True)
class AgedItem:
    kind: str
    record_id: str
    text: str
    age_days: int | None


@dataclass(frozen=True, slots=True)
class OpenBlocker:
    record_id: str
    number: int
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class LowConfidence:
    record_id: str
    title: str
    confidence: int
    later_ids: tuple[str, ...]  # the first LATER_SHOWN records naming its files within FOLLOW_DAYS after it
    later_count: int  # how many records did


@dataclass(frozen=True, slots=True)
class ResolveTime:
    record_id: str
    minutes: int | None  # None: the record has no timeline (incidents.md records)


@dataclass(frozen=True, slots=True)
class Review:
    period: Period
    previous: Period | None
    counts: tuple[Count, ...]
    recurring: tuple[Recurring, ...]
    hot_files: tuple[HotFile, ...]
    open_items: tuple[AgedItem, ...]
    blockers: tuple[OpenBlocker, ...]
    low_confidence: tuple[LowConfidence, ...]
    resolve_times: tuple[ResolveTime, ...]
    weekly: tuple[tuple[str, str, int], ...]  # (ISO week, entry type, entries)
    severities: tuple[tuple[str, int], ...]
    calibration: Calibration


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a review is computed from, read from the records in memory or from the index."""

    period: Period  # open ends narrowed to the records' dates
    now: list[Record]  # the period's records
    before: tuple[Counter[str], Counter[str]] | None  # kinds and entry types of the previous period
    problems: dict[str, set[tuple[str, str]]]  # problem records of the lookback window -> their keys
    aged: tuple[AgedItem, ...]
    blockers: tuple[OpenBlocker, ...]
    later: list[Record]  # records that may follow the period's entries (at least those naming their files)


def record_inputs(records: list[Record], period: Period) -> Inputs:
    days = [d for d in map(record_day, records) if d is not None]
    period = bounded(period, min(days, default=None), max(days, default=None))
    before = previous_period(period)
    window = lookback(period)
    return Inputs(
        period=period,
        now=[r for r in records if within(r, period)],
        before=None if before is None else tally([r for r in records if within(r, before)]),
        problems={r.id: problem_keys(r) for r in records if is_problem(r) and within(r, window)},
        aged=aged_items(records, period),
        blockers=open_blockers(records, period),
        later=records,
    )


def assemble(inputs: Inputs) -> Review:
    now = inputs.now
    return Review(
        period=inputs.period,
        previous=previous_period(inputs.period),
        counts=counts(tally(now), inputs.before),
        recurring=recurring(inputs.problems, {r.id for r in now}),
        hot_files=hot_files(now),
        open_items=inputs.aged,
        blockers=inputs.blockers,
        low_confidence=low_confidence(now, inputs.later),
        resolve_times=resolve_times(now),
        weekly=weekly(now),
        severities=severities(now),
        calibration=calibrate(now, now + inputs.later),
    )


def entry_type(record: Record) -> str:
    return record.fields.type or "(none)" if isinstance(record.fields, EntryFields) else ""


def tally(records: list[Record]) -> tuple[Counter[str], Counter[str]]:
    """Records by kind, entries by type."""
    return Counter(r.kind for r in records), Counter(t for t in map(entry_type, records) if t)


def counts(
    now: tuple[Counter[str], Counter[str]], before: tuple[Counter[str], Counter[str]] | None
) -> tuple[Count, ...]:
    """Counts by kind and entry type; `before` None (no previous period) leaves the previous counts None."""
    rows: list[Count] = []
    for index, group in enumerate(("kind", "type")):
        this, last = now[index], before[index] if before else Counter[str]()
        names = sorted(n for n in set(this) | set(last) if n)
        rows += [Count(group, name, this[name], None if before is None else last[name]) for name in names]
    return tuple(rows)


def is_problem(record: Record) -> bool:
    fields = record.fields
    return isinstance(fields, IncidentFields) or (isinstance(fields, EntryFields) and fields.type in PROBLEM_TYPES)


def lookback(period: Period, context: int = 3) -> Period:
    """The period with `context` periods before it (just the period when it has no previous one)."""
    first: Period | None = period
    for _ in range(context):
        before = previous_period(first) if first else None
        first = before or first
    return Period(period.label, (first or period).start, period.end)


def problem_text(record: Record) -> str:
    """The title and an incident's root cause or an entry's observation."""
    fields = record.fields
    if isinstance(fields, IncidentFields):
        return record.title + " " + " ".join(fields.root_cause)
    if isinstance(fields, EntryFields):
        return record.title + " " + fields.observation
    return record.title


def problem_terms(text: str) -> set[str]:
    """Stems of the significant words, stop words left out ("exhaustion" and "exhausted" give "exhaust")."""
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS}


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith(("ss", "us")):
            break
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def problem_keys(record: Record) -> set[tuple[str, str]]:
    services = record.fields.services if isinstance(record.fields, IncidentFields) else ()
    return keys_from(record_paths(record), services, problem_text(record))


def keys_from(paths: list[str], services: tuple[str, ...] | list[str], text: str) -> set[tuple[str, str]]:
    keys = {("file", path) for path in paths}
    keys |= {("service", s.strip().lower()) for s in services if s.strip()}
    return keys | {("term", word) for word in problem_terms(text)}


def recurring(keys_of: dict[str, set[tuple[str, str]]], in_period: set[str], limit: int = 20) -> tuple[Recurring, ...]:
    """Groups of problem records (`keys_of`: those of the period and up to three periods before; at least one
    in the period) with the keys all of them share: a file or a service, or two or more root-cause terms
    (one common word alone is noise). Most shared files and services first, then most terms."""
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record_id, keys in keys_of.items():
        for key in keys:
            holders[key].add(record_id)
    found = []
    candidates = {frozenset(ids) for ids in holders.values() if 1 < len(ids) <= MAX_GROUP and ids & in_period}
    for ids in candidates:
        shared = set.intersection(*(keys_of[i] for i in ids))
        group = Recurring(
            record_ids=tuple(sorted(ids)),
            files=tuple(sorted(v for k, v in shared if k == "file")),
            services=tuple(sorted(v for k, v in shared if k == "service")),
            terms=tuple(sorted(v for k, v in shared if k == "term")),
        )
        if group.files or group.services or len(group.terms) > 1:
            found.append(group)
    found.sort(key=lambda g: (-len(g.files) - len(g.services), -len(g.terms), -len(g.record_ids), g.record_ids))
    return tuple(found[:limit])


def hot_files(now: list[Record], limit: int = 10) -> tuple[HotFile, ...]:
    changes: Counter[str] = Counter()
    incidents: Counter[str] = Counter()
    for record in now:
        for path in record_paths(record):
            changes[path] += 1
            if record.kind == "incident" or entry_type(record) == "Incident":
                incidents[path] += 1
    ranked = sorted(changes, key=lambda p: (-changes[p], -incidents[p], p))
    return tuple(HotFile(p, changes[p], incidents[p]) for p in ranked[:limit])


def aged_items(records: list[Record], period: Period) -> tuple[AgedItem, ...]:
    """Open items (as `whylog status` finds them) of records dated before the period ends, with their age in
    days at the period's end."""
    known = [r for r in records if before_end(record_day(r) or period.start, period)]
    days = {r.id: record_day(r) for r in known}
    return aged_rows([(i.kind, i.record_id, i.text, days.get(i.record_id)) for i in open_items(known)], period)


def aged_rows(items: list[tuple[str, str, str, date | None]], period: Period) -> tuple[AgedItem, ...]:
    """(kind, record id, text, record day) as items aged at the period's last day, oldest first."""
    rows = []
    for kind, record_id, text, day in items:
        age = (last_day(period) - day).days if day else None
        rows.append(AgedItem(kind, record_id, text, age))
    rows.sort(key=lambda i: (-(i.age_days or 0), i.record_id))
    return tuple(rows)


def open_blockers(records: list[Record], period: Period) -> tuple[OpenBlocker, ...]:
    rows = []
    for record in records:
        day = record_day(record)
        if isinstance(record.fields, ChangeFields) and day is not None and before_end(day, period):
            rows += [
                OpenBlocker(record.id, item.number, item.title, item.status)
                for item in record.fields.items
                if item.status in OPEN_BLOCKER
            ]
    return tuple(rows)


def low_confidence(now: list[Record], following: list[Record]) -> tuple[LowConfidence, ...]:
    """Entries of the period under LOW_CONFIDENCE percent, each with the records naming its files in the
    FOLLOW_DAYS after it (the first LATER_SHOWN of them by id, and how many there were)."""
    low = [r for r in now if _confidence(r) is not None]
    if not low:
        return ()
    by_path = ByPath(now + following, record_paths)
    rows = []
    for record in low:
        later = [r.id for r in by_path.between(record_paths(record), record.date, horizon(record.date))]
        rows.append(
            LowConfidence(record.id, record.title, _confidence(record) or 0, tuple(later[:LATER_SHOWN]), len(later))
        )
    return tuple(rows)


def _confidence(record: Record) -> int | None:
    """The entry's stated confidence when it is under LOW_CONFIDENCE, else None."""
    fields = record.fields
    if isinstance(fields, EntryFields) and fields.confidence and fields.confidence.value is not None:
        return fields.confidence.value if fields.confidence.value < LOW_CONFIDENCE else None
    return None


def timeline_minutes(fields: EntryFields) -> int | None:
    """Minutes from the first clock time of the first timeline event to the last clock time of the last one
    (a range like 20:30-22:00 ends at 22:00); past midnight counts as the next day."""
    if not fields.timeline:
        return None
    first = _CLOCK.findall(fields.timeline[0].time)
    last = _CLOCK.findall(fields.timeline[-1].time)
    if not first or not last:
        return None
    start = int(first[0][0]) * 60 + int(first[0][1])
    end = int(last[-1][0]) * 60 + int(last[-1][1])
    return (end - start) % (24 * 60)


def resolve_times(now: list[Record]) -> tuple[ResolveTime, ...]:
    rows = []
    for record in now:
        if isinstance(record.fields, IncidentFields):
            rows.append(ResolveTime(record.id, None))
        elif isinstance(record.fields, EntryFields) and record.fields.type == "Incident":
            rows.append(ResolveTime(record.id, timeline_minutes(record.fields)))
    return tuple(rows)


def weekly(now: list[Record]) -> tuple[tuple[str, str, int], ...]:
    tally: Counter[tuple[str, str]] = Counter()
    for record in now:
        day = record_day(record)
        if day is not None and isinstance(record.fields, EntryFields):
            year, week, _ = day.isocalendar()
            tally[(f"{year}-W{week:02d}", entry_type(record))] += 1
    return tuple((week, kind, n) for (week, kind), n in sorted(tally.items()))


def severities(now: list[Record]) -> tuple[tuple[str, int], ...]:
    """Incidents per severity, counted by level where the word has one (`SEV2`, `P1` and `High` are High)."""
    tally = Counter(
        (r.fields.level.capitalize() or r.fields.severity.strip() or "(none)")
        for r in now
        if isinstance(r.fields, IncidentFields)
    )
    return tuple(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
