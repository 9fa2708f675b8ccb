"""A single architecture decision record: docs/adr/NNN-title.md, one `decision` record per file.

Two shapes are read:
- the whylog/devlog shape: `# ADR-001: Title`, then `**Status:**`, `**Date:**`, `**Deciders:**` lines, then
  `## Context`, `## Decision`, `## Consequences` (its `### Positive` / `### Negative` kept as Markdown),
  `## Alternatives Considered` and `## Related` (links);
- the adr-tools / MADR shape: `# 3. Title`, a plain `Date: 2024-01-02` line, and a `## Status` section
  whose body is the status (MADR front matter `status:` / `date:` / `deciders:` is read too).

The number comes from the title, else from the file name (`0003-use-x.md`). A file without a numbered
title (an index README) holds no record; its lines stay unstructured.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from whylog.markdown.document import Reading, diagnostic
from whylog.markdown.readers.common import read_front_matter, read_links
from whylog.markdown.scan import Lines
from whylog.markdown.values import Section, iter_items, iter_sections, norm, read_date, strip_emphasis
from whylog.model import DecisionFields, Link, Record, Source

META = {
    "status": "status",
    "date": "date",
    "deciders": "deciders",
    "decision makers": "deciders",
    "decided by": "deciders",
    "authors": "deciders",
    "author": "deciders",
}
SECTIONS = {
    **META,
    "summary": "summary",
    "context": "context",
    "context and problem statement": "context",
    "problem statement": "context",
    "background": "context",
    "decision": "decision",
    "decision outcome": "decision",
    "consequences": "consequences",
    "alternatives considered": "alternatives",
    "alternatives": "alternatives",
    "considered options": "alternatives",
    "options considered": "alternatives",
    "related": "related",
    "related decisions": "related",
    "references": "related",
    "links": "related",
    "see also": "related",
}
STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded", "draft", "amended")
_TITLE = re.compile(r"^(?:ADR|Architecture Decision(?: Record)?)[- #]?(\d{1,6})\b\s*(?:[:.|–—-]\s*)?(.*)$", re.I)
_NUMBERED = re.compile(r"^(\d{1,6})[.:)]?\s+(.*)$")
_FILE_NUMBER = re.compile(r"^(\d{1,6})[-_ ]")


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    first = read_front_matter(lines, path, reading)
    title_line = next((n for n in sorted(lines.headings) if n >= first and lines.tag(n) == "heading"), 0)
    if not title_line:
        _not_an_adr(path, first, reading)
        return reading
    level, text = lines.headings[title_line]
    number, title = read_title(text, path)
    end = _record_end(lines, title_line, level)
    parts = _parts(lines, title_line, end, level)
    if number is None:
        if {p.key for p in parts} & {"context", "decision"}:
            reading.diagnostics.append(
                diagnostic("PRS035", "ADR without a number", path, title_line, "write the title as # ADR-NNN: Title")
            )
        else:
            _not_an_adr(path, title_line, reading)
        return reading
    reading.records.append(_read_adr(lines, path, (title_line, end), number, title, parts, reading))
    return reading


def read_title(text: str, path: str) -> tuple[int | None, str]:
    """`(3, "Use X")` from `ADR-003: Use X` or `3. Use X`; the number from the file name otherwise."""
    match = _TITLE.match(text) or _NUMBERED.match(text)
    if match is not None:
        return int(match.group(1)), match.group(2).strip()
    named = _FILE_NUMBER.match(os.path.basename(path))
    return (int(named.group(1)) if named else None), text.strip()


def _not_an_adr(path: str, line: int, reading: Reading) -> None:
    reading.diagnostics.append(
        diagnostic(
            "PRS034",
            "no decision record here; expected a title # ADR-NNN: Title with Context and Decision sections",
            path,
            max(line, 1),
            "an index of ADRs is fine: its lines are kept as text",
            severity="info",
        )
    )


def _record_end(lines: Lines, start: int, level: int) -> int:
    """The last non-blank line before the next heading at the title's level or above (separators inside
    an ADR are part of it: one file, one record)."""
    end = start
    for number in range(start + 1, len(lines) + 1):
        heading = lines.headings.get(number) if lines.tag(number) == "heading" else None
        if heading is not None and heading[0] <= level:
            break
        if lines.tag(number) != "blank":
            end = number
    return end


def _parts(lines: Lines, start: int, end: int, level: int) -> list[Section]:
    """The lines under the title split at the next heading level down (deeper headings stay inside),
    the metadata lines before the first of them read as `**Label:**` or `Label:` sections."""
    numbers = range(start + 1, end + 1)
    heads = [n for n in numbers if lines.tag(n) == "heading" and lines.headings.get(n, (0, ""))[0] == level + 1]
    stop = heads[0] if heads else end + 1
    parts = iter_sections(lines, range(start + 1, stop), META, headings=False)
    for index, head in enumerate(heads):
        label = lines.headings[head][1]
        last = heads[index + 1] - 1 if index + 1 < len(heads) else end
        key = SECTIONS.get(norm(label), norm(label))
        parts.append(Section(key, label, head, level + 1, "", list(range(head + 1, last + 1))))
    return parts


def _read_adr(
    lines: Lines,
    path: str,
    span: tuple[int, int],
    number: int,
    title: str,
    parts: list[Section],
    reading: Reading,
) -> Record:
    found = _Found()
    for part in parts:
        _read_part(lines, path, part, found, reading)
    for key in ("status", "date", "deciders"):
        if key not in found.values and key in reading.front_matter:
            found.values[key] = reading.front_matter[key]
    values, where = found.values, found.where
    _check_status(values.get("status", ""), path, where.get("status", span[0]), reading)
    fields = DecisionFields(
        number=number,
        status=values.get("status", ""),
        summary=values.get("summary") or "\n\n".join(found.loose),
        deciders=values.get("deciders", ""),
        context=values.get("context", ""),
        decision=values.get("decision", ""),
        consequences=values.get("consequences", ""),
        alternatives=values.get("alternatives", ""),
    )
    date = _read_date(values.get("date", ""), path, where.get("date", span[0]), reading)
    source = Source(path, *span)
    return Record(f"ADR-{number:03d}", "decision", title, date, fields, links=tuple(found.links), source=source)


@dataclass(slots=True)
class _Found:
    values: dict[str, str] = field(default_factory=dict)
    where: dict[str, int] = field(default_factory=dict)
    loose: list[str] = field(default_factory=list)  # text among the metadata lines: the summary
    links: list[Link] = field(default_factory=list)


def _read_part(lines: Lines, path: str, part: Section, found: _Found, reading: Reading) -> None:
    if part.level and part.key not in SECTIONS.values():
        reading.diagnostics.append(
            diagnostic(
                "PRS039",
                f"section {part.label!r} is not an ADR field; kept in the file but not read",
                path,
                part.line,
                "expected Context, Decision, Consequences, Alternatives Considered or Related",
                severity="info",
            )
        )
        return
    if part.key and part.key not in found.values:
        found.where[part.key] = part.line
    if part.key == "related":
        found.links += read_links(iter_items(lines, part.body))
    elif part.key == "status" and part.level:
        status, more = _read_status_section(lines, part)
        found.values.setdefault("status", status)
        found.links += more
    elif part.level == 0:
        if part.key:
            found.values.setdefault(part.key, strip_emphasis(part.inline))
        loose = "\n".join(lines.line(n) for n in part.body).strip()
        if loose:
            found.loose.append(loose)
    else:
        found.values.setdefault(part.key, part.text(lines))


def _read_status_section(lines: Lines, part: Section) -> tuple[str, tuple[Link, ...]]:
    """`## Status` with the status on its first line; lines after it (`Superseded by ...`) are links."""
    body = [n for n in part.body if lines.line(n).strip()]
    if not body:
        return "", ()
    return strip_emphasis(lines.line(body[0])), read_links(iter_items(lines, body[1:]))


def _check_status(status: str, path: str, line: int, reading: Reading) -> None:
    if status and not norm(status).startswith(STATUSES):
        reading.diagnostics.append(
            diagnostic(
                "PRS038",
                f"status {status!r} is not one of Proposed, Accepted, Rejected, Deprecated, Superseded",
                path,
                line,
                severity="info",
            )
        )


def _read_date(text: str, path: str, line: int, reading: Reading) -> str:
    if not text:
        return ""
    date = read_date(text)
    if date is None:
        reading.diagnostics.append(
            diagnostic("PRS037", f"ADR date {text!r} is not a date", path, line, "write it as **Date:** YYYY-MM-DD")
        )
        return ""
    return date
