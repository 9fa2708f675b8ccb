"""Entries of a log that are groups of labelled sections, found by their headings (no dates needed).

Two shapes, both common in decision logs that memory banks keep (`memory-bank/decisionLog.md`):

- **An entry heading over label headings**: `### Title` with `#### Decision`, `#### Rationale`,
  `#### Impact` below it. A heading with two or more label headings one level down, none repeated, is
  an entry.
- **Repeated label groups**: the template's `## Decision` / `## Rationale` / `## Implementation Details`
  filled again and again, with no entry heading. Each heading carrying the group's first label starts an
  entry that runs to the next one; its title is the first line of text under that label.

Labels are those of the synonym table (`labels.field_of`), in every language it knows.
"""

from __future__ import annotations

from whylog.markdown.labels import field_of
from whylog.markdown.scan import Lines

Group = tuple[int, int, str]  # first line, last line, title ("" when the heading is the title)


def iter_groups(lines: Lines, first: int) -> list[Group]:
    """The entries of a log of labelled groups, or [] when the file is not one."""
    headings = sorted(n for n in lines.headings if n >= first and lines.tag(n) == "heading")
    return _entry_headings(lines, headings) or _repeated_groups(lines, headings)


def _end(lines: Lines, start: int, level: int, headings: list[int], stop: int | None = None) -> int:
    """The last non-blank line before the next heading at `level` or above (or before `stop`)."""
    limit = stop if stop is not None else len(lines) + 1
    later = [n for n in headings if start < n < limit and lines.headings[n][0] <= level]
    last = (later[0] if later else limit) - 1
    while last > start and lines.tag(last) in ("blank", "rule"):
        last -= 1
    return last


def _entry_headings(lines: Lines, headings: list[int]) -> list[Group]:
    found: list[Group] = []
    for number in headings:
        level, text = lines.headings[number]
        if field_of(text) is not None:
            continue
        end = _end(lines, number, level, headings)
        children = [n for n in headings if number < n <= end and lines.headings[n][0] == level + 1]
        labels = [f for f in (field_of(lines.headings[n][1]) for n in children) if f is not None]
        if len(labels) >= 2 and len(set(labels)) == len(labels):  # repeated labels: groups, not one entry
            found.append((number, end, ""))
    return found


def _repeated_groups(lines: Lines, headings: list[int]) -> list[Group]:
    if not headings:
        return []
    level = min(lines.headings[n][0] for n in headings)
    if level == 1 and sum(1 for n in headings if lines.headings[n][0] == 1) == 1:
        level = min((lines.headings[n][0] for n in headings if lines.headings[n][0] > 1), default=0)
    same = [n for n in headings if lines.headings[n][0] == level]
    fields = [field_of(lines.headings[n][1]) for n in same]
    lead = fields[0] if fields else None
    if lead is None or fields.count(lead) < 2 or len({f for f in fields if f is not None}) < 2:
        return []
    starts = [n for n, f in zip(same, fields, strict=True) if f == lead]
    groups: list[Group] = []
    for index, start in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else None
        end = _end(lines, start, level - 1, headings, stop)
        groups.append((start, end, _first_text(lines, start, end)))
    return groups


def _first_text(lines: Lines, start: int, end: int) -> str:
    for number in range(start + 1, end + 1):
        if lines.tag(number) == "heading":
            break
        text = lines.line(number).strip().lstrip("-*+ ").strip()
        if text:
            return text
    return ""
