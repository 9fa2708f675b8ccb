"""Claims a record makes in its own text, with the lines that make them: a change document's "Blockers
Resolved: N/M" and its readiness percentage, a session note's "N/M features passing" and whether it records
a passing verification, a feature's `passes`.

The index stores them when it reads a file (`index.sqlite.prepare`), so `status` audits them without reading
any record file again; the CHG001 lint rule reads the same claim here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whylog.markdown.scan import Lines
from whylog.model import ChangeFields, FeatureFields, Record, SessionFields

_BLOCKERS = re.compile(r"^\W*Blockers Resolved\W*:?\W*(\d+)\s*/\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Claim:
    """What a record states (`value` of `total`) and the line stating it (0 when no line says it)."""

    name: str  # passes, session, verified, features, blockers, blockers-claimed, readiness
    line: int
    value: int
    total: int | None = None


def _span(lines: Lines, record: Record) -> range:
    assert record.source is not None
    return range(record.source.start_line, min(record.source.end_line, len(lines)) + 1)


def blocker_claim(lines: Lines, record: Record) -> tuple[int, int, int] | None:
    """(line, resolved, total) of the first "Blockers Resolved: N/M" line inside the record."""
    for number in _span(lines, record):
        match = _BLOCKERS.match(lines.line(number))
        if match:
            return number, int(match.group(1)), int(match.group(2))
    return None


def last_line_with(lines: Lines, record: Record, text: str) -> int:
    """The last line of the record holding `text` (a readiness claim sits below the blockers); 0 if none."""
    return next((n for n in reversed(_span(lines, record)) if text in lines.line(n)), 0)


def feature_claim_line(lines: Lines, record: Record, passing: int, total: int) -> int:
    """The line holding a session's "passing/total" claim; the record's first line when none does."""
    assert record.source is not None
    wanted = (f"{passing}/{total}", f"{passing} / {total}")
    return next((n for n in _span(lines, record) if any(w in lines.line(n) for w in wanted)), record.source.start_line)


def claims(record: Record, lines: Lines | None) -> list[Claim]:
    """Every claim of a record (none for kinds that make none). Without the file's lines, claim lines are
    the record's first line and the blocker summary line is not looked for."""
    fields = record.fields
    first = record.source.start_line if record.source else 0
    found: list[Claim] = []
    if isinstance(fields, FeatureFields):
        found.append(Claim("passes", first, int(fields.passes)))
    elif isinstance(fields, SessionFields):
        found.append(Claim("session", first, fields.number))
        found.append(Claim("verified", first, int(any(check.passed for check in fields.verification))))
        if fields.features is not None:
            claim = fields.features
            line = feature_claim_line(lines, record, claim.passing, claim.total) if lines else first
            found.append(Claim("features", line, claim.passing, claim.total))
    elif isinstance(fields, ChangeFields) and fields.items:
        found.append(Claim("blockers", first, sum(item.resolved for item in fields.items), len(fields.items)))
        stated = blocker_claim(lines, record) if lines else None
        if stated is not None:
            found.append(Claim("blockers-claimed", *stated))
        after = fields.readiness.after if fields.readiness else None
        if after is not None:
            line = (last_line_with(lines, record, f"{after}%") if lines else 0) or first
            found.append(Claim("readiness", line, after))
    return found
