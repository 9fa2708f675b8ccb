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

import re
import textwrap
from dataclasses import dataclass, field

from whylog.markdown.decisions import (
    chosen_status,
    good_and_bad,
    id_of_file,
    list_items,
    number_of_file,
    option_names,
    state_of,
    supersession,
    target_of,
)
from whylog.markdown.document import Reading, diagnostic
from whylog.markdown.labels import label_key, synonyms
from whylog.markdown.readers.common import read_front_matter, read_links
from whylog.markdown.scan import Lines
from whylog.markdown.values import (
    Item,
    Section,
    item_text,
    iter_items,
    iter_sections,
    norm,
    read_date,
    strip_emphasis,
)
from whylog.model import DecisionFields, Link, Record, Source, StorySection

_META_FIELDS = ("status", "date", "deciders")
META = {
    **{label: name for name in _META_FIELDS for label in synonyms(name)},
    "status": "status",
    "date": "date",
    "deciders": "deciders",
    "decision makers": "deciders",
    "decision-makers": "deciders",
    "decided by": "deciders",
    "authors": "deciders",
    "author": "deciders",
}
# Labels of the other fields, in every language of the label table (`Kontext`, `Entscheidung`, `背景`).
_FIELD_LABELS = {
    label: name
    for name in ("context", "decision", "consequences", "alternatives", "summary", "related")
    for label in synonyms(name)
}
SECTIONS = {
    **_FIELD_LABELS,
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
    "decision drivers": "drivers",
    "drivers": "drivers",
    "confirmation": "confirmation",
    "positive consequences": "consequences",
    "negative consequences": "consequences",
    "pros and cons of the options": "pros_and_cons",
    "pros and cons": "pros_and_cons",
    "more information": "more_information",
    "notes": "more_information",
    "related": "related",
    "related decisions": "related",
    "references": "related",
    "links": "related",
    "see also": "related",
}
# Sections a decision template has that fill no field of their own: kept in `sections`, label and text.
KEPT = ("pros_and_cons", "more_information", "rationale")
# In a decision, an Impact section (`## 影响`, `## Auswirkungen`) is its consequences.
_LABELLED = {
    **{label: "consequences" for label in synonyms("impact")},
    **SECTIONS,
    **{label: "rationale" for label in synonyms("rationale")},
}
STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded", "draft", "amended")
_TITLE = re.compile(
    r"^(?:ADR|Nr\.?|No\.?|Architecture Decision(?: Record)?)[- #]?(\d{1,6})\b\s*(?:[:.|–—-]\s*)?(.*)$", re.I
)
_NUMBERED = re.compile(r"^(\d{1,6})[.:)]?\s+(.*)$")


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
    ident = f"ADR-{number:03d}" if number is not None else id_of_file(path)
    if ident is None:
        if {p.key for p in parts} & {"context", "decision"}:
            reading.diagnostics.append(
                diagnostic("PRS035", "ADR without a number", path, title_line, "write the title as # ADR-NNN: Title")
            )
        else:
            _not_an_adr(path, title_line, reading)
        return reading
    found = _Found()
    for part in parts:
        _read_part(lines, part, found)
    reading.records.append(_read_adr(path, (title_line, end), (ident, number or 0, title), found, reading))
    return reading


def read_title(text: str, path: str) -> tuple[int | None, str]:
    """`(3, "Use X")` from `ADR-003: Use X`, `Nr. 3: Use X` or `3. Use X`; the number from the file name
    otherwise (`0003-use-x.md`, `nr.-003-use-x.md`; None for a date-named file)."""
    match = _TITLE.match(text) or _NUMBERED.match(text)
    if match is not None:
        return int(match.group(1)), match.group(2).strip()
    return number_of_file(path), text.strip()


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
    parts = iter_sections(lines, range(start + 1, stop), _LABELLED, headings=False)
    for index, head in enumerate(heads):
        label = lines.headings[head][1]
        last = heads[index + 1] - 1 if index + 1 < len(heads) else end
        key = _LABELLED.get(label_key(label)) or _LABELLED.get(norm(label), norm(label))
        parts.append(Section(key, label, head, level + 1, "", list(range(head + 1, last + 1))))
    return parts


def _read_adr(path: str, span: tuple[int, int], name: tuple[str, int, str], found: _Found, reading: Reading) -> Record:
    ident, number, title = name
    front = {label_key(k): v for k, v in reading.front_matter.items()}
    for key, labels in (("status", ("status",)), ("date", ("date",)), ("deciders", ("deciders", "decision-makers"))):
        for label in labels:
            if key not in found.values and front.get(label):
                found.values[key] = front[label]
    values, where = found.values, found.where
    status = chosen_status(values.get("status", ""))
    state = state_of(status)
    _check_status(status, state, path, where.get("status", span[0]), reading)
    decision, outcome = _outcome(values.get("decision", ""))
    consequences = values.get("consequences", "") or outcome.get("consequences", "")
    good, bad = good_and_bad(consequences)
    alternatives = values.get("alternatives", "")
    supersedes, superseded_by = supersession([status, *found.status_lines, *(link.text for link in found.links)])
    fields = DecisionFields(
        number=number,
        status=status,
        summary=values.get("summary") or "\n\n".join(found.loose),
        deciders=values.get("deciders", ""),
        context=values.get("context", ""),
        decision=decision,
        consequences=consequences,
        alternatives=alternatives,
        sections=tuple(found.kept),
        state=state,
        drivers=list_items(values.get("drivers", "")),
        options=option_names(alternatives),
        good=good,
        bad=bad,
        confirmation=values.get("confirmation", "") or outcome.get("confirmation", ""),
        supersedes=supersedes,
        superseded_by=superseded_by,
    )
    date = _read_date(values.get("date", ""), path, where.get("date", span[0]), reading)
    source = Source(path, *span)
    return Record(ident, "decision", title, date, fields, links=tuple(found.links), source=source)


_SUB_HEADING = re.compile(r"^#{3,6}\s+(.*?)\s*#*\s*$")


def _outcome(text: str) -> tuple[str, dict[str, str]]:
    """A MADR Decision Outcome split at its sub-headings: the decision itself, and its Consequences
    (MADR 2's Positive / Negative Consequences joined, headings kept) and Confirmation."""
    lines = text.split("\n")
    heads = [(i, _SUB_HEADING.match(line)) for i, line in enumerate(lines)]
    cuts = [(i, m.group(1)) for i, m in heads if m is not None and norm(m.group(1)) in _OUTCOME_PARTS]
    if not cuts:
        return text, {}
    parts: dict[str, list[str]] = {}
    for index, (line, label) in enumerate(cuts):
        stop = cuts[index + 1][0] if index + 1 < len(cuts) else len(lines)
        key = _OUTCOME_PARTS[norm(label)]
        keep_heading = key == "consequences" and norm(label) != "consequences"
        body = lines[line if keep_heading else line + 1 : stop]
        parts.setdefault(key, []).append("\n".join(body).strip("\n"))
    return "\n".join(lines[: cuts[0][0]]).strip("\n"), {k: "\n\n".join(v) for k, v in parts.items()}


_OUTCOME_PARTS = {
    "consequences": "consequences",
    "positive consequences": "consequences",
    "negative consequences": "consequences",
    "confirmation": "confirmation",
}


@dataclass(slots=True)
class _Found:
    values: dict[str, str] = field(default_factory=dict)
    where: dict[str, int] = field(default_factory=dict)
    loose: list[str] = field(default_factory=list)  # text among the metadata lines: the summary
    links: list[Link] = field(default_factory=list)
    kept: list[StorySection] = field(default_factory=list)  # template sections with no field of their own
    status_lines: list[str] = field(default_factory=list)  # `## Status` lines after the status itself


def _read_part(lines: Lines, part: Section, found: _Found) -> None:
    """One part of the decision into `found`; a section that fills no field (Pros and Cons of the Options,
    More Information, a team's own `## Refinement`) is kept in `sections` with its label."""
    if part.key in KEPT or (part.level and part.key not in SECTIONS.values()):
        text = "\n".join(x for x in (part.inline, part.text(lines)) if x).strip("\n")
        found.kept.append(StorySection(part.label, text))
        return
    if part.key and part.key not in found.values:
        found.where[part.key] = part.line
    if part.key == "related":
        found.links += _links(iter_items(lines, part.body))
    elif part.key == "status" and part.level:
        status, rest = _read_status_section(lines, part)
        found.values.setdefault("status", status)
        if "](" in status:  # `Superseded by [7. Title](0007-title.md)`: a link as well as a status
            found.links.append(Link(strip_emphasis(status), target_of(status)))
        found.links += _links(rest)
        found.status_lines += [item_text(i) for i in rest]
    elif part.level == 0 and part.key in _META_FIELDS or part.level == 0 and not part.key:
        if part.key:
            found.values.setdefault(part.key, strip_emphasis(part.inline))
        loose = "\n".join(lines.line(n) for n in part.body).strip()
        if loose:
            found.loose.append(loose)
    elif part.level == 0:  # `* **Kontext**: text` with its nested items
        body = textwrap.dedent("\n".join(lines.line(n) for n in part.body)).strip("\n")
        found.values.setdefault(part.key, "\n".join(x for x in (part.inline, body) if x))
    else:
        found.values.setdefault(part.key, part.text(lines))


def _links(items: list[Item]) -> tuple[Link, ...]:
    """Links to other decisions: an id (`ADR-3`), or a link to a decision file (`0003-x.md`)."""
    return tuple(Link(link.text, link.target or target_of(link.text)) for link in read_links(items))


def _read_status_section(lines: Lines, part: Section) -> tuple[str, list[Item]]:
    """`## Status` with the status on its first line; lines after it (`Superseded by ...`) are links."""
    body = [n for n in part.body if lines.line(n).strip()]
    if not body:
        return "", []
    items: list[Item] = []
    paragraph: list[int] = []
    for number in [n for n in part.body if n > body[0]] + [0]:  # each paragraph on its own (adr-tools)
        if number and lines.line(number).strip():
            paragraph.append(number)
            continue
        items += iter_items(lines, paragraph)
        paragraph = []
    return lines.line(body[0]).strip(), items


def _check_status(status: str, state: str, path: str, line: int, reading: Reading) -> None:
    if status and not state and not norm(status).startswith(STATUSES):
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
