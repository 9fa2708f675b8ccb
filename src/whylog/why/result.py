"""What `why` answers: the matches, how each matched, and their text and JSON forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whylog.model import Record
from whylog.model import to_json as record_json
from whylog.why.paths import Target


@dataclass(frozen=True, slots=True)
class RangeMatch:
    """One recorded line range: where it is now (None when gone), its `Mapped` status, and in words."""

    recorded: tuple[int, int]
    mapped: tuple[int, int] | None
    status: str
    how: str


@dataclass(frozen=True, slots=True)
class Match:
    """A record that explains the target. `status` is the best of its ranges' statuses, or `path-only`
    (no line ranges), or `path-match` (outside git, a path git does not know, or a folder)."""

    record: Record
    path: str
    renamed_from: str | None
    anchor: str | None
    status: str
    ranges: tuple[RangeMatch, ...]
    how: str


@dataclass(frozen=True, slots=True)
class WhyResult:
    target: Target
    in_git: bool
    head: str | None
    matches: tuple[Match, ...]
    notes: tuple[str, ...] = ()


def newest_first(matches: list[Match]) -> tuple[Match, ...]:
    """Newest record first; undated records last, in the order given."""
    dated = sorted((m for m in matches if m.record.date), key=lambda m: m.record.date, reverse=True)
    return tuple(dated + [m for m in matches if not m.record.date])


def span_text(span: tuple[int, int] | None) -> str:
    if span is None:
        return "-"
    return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"


def lines_text(span: tuple[int, int]) -> str:
    return ("line " if span[0] == span[1] else "lines ") + span_text(span)


def format_text(result: WhyResult) -> list[str]:
    """Lines for the terminal: the notes, then per match a row (id, kind, date, title) and how it matched."""
    lines = [f"note: {note}" for note in result.notes]
    for match in result.matches:
        record = match.record
        date = record.date.replace("T", " ")[:16]
        lines.append(f"{record.id:<24} {record.kind:<8} {date:<16} {record.title}")
        lines.append(f"    {match.how}")
    return lines


def to_json(result: WhyResult) -> list[dict[str, Any]]:
    """Each match as its record's envelope plus "match": path, renamed_from, anchor, status, how, ranges."""
    return [{**record_json(m.record), "match": _match_json(m)} for m in result.matches]


def _match_json(match: Match) -> dict[str, Any]:
    ranges = [
        {"recorded": list(r.recorded), "mapped": list(r.mapped) if r.mapped else None, "status": r.status, "how": r.how}
        for r in match.ranges
    ]
    keys = ("path", "renamed_from", "anchor", "status", "how")
    return {**{key: getattr(match, key) for key in keys}, "ranges": ranges}
