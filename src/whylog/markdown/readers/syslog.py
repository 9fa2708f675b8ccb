"""SYSTEM_LOG.md entries, in the shape of the template at the top of system-log-template.md.

An entry starts at a heading `[YYYY-MM-DD HH:MM UTC] - Title` (any level, brackets optional) and ends
before the next heading of its level, a separator, or the end of the file.
"""

from __future__ import annotations

import re

from whylog.markdown.document import Reading, assign_ids, diagnostic, is_newest_first
from whylog.markdown.readers.common import (
    read_checklist,
    read_front_matter,
    read_links,
    record_end,
)
from whylog.markdown.readers.files import read_file_list
from whylog.markdown.scan import Lines
from whylog.markdown.values import (
    Section,
    item_text,
    iter_items,
    iter_sections,
    read_date,
    read_percent,
    strip_emphasis,
)
from whylog.model import (
    ENTRY_TYPES,
    Confidence,
    EntryFields,
    FileRef,
    Record,
    Source,
    TimelineEvent,
)

_HEADING = re.compile(
    r"^\[?(\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:UTC|GMT|Z|[+-]\d{2}:?\d{2}))?)\]?"
    r"\s*(?:[-–—:|]\s*)?(.*)$"
)
_TITLE_TAG = re.compile(r"^([A-Z][A-Z0-9 -]{2,}[A-Z0-9]):\s+")

LABELS = {
    "type": "type",
    "affected files": "files",
    "files affected": "files",
    "files changed": "files",
    "changed files": "files",
    "files": "files",
    "chain of reasoning": "reasoning",
    "reasoning": "reasoning",
    "observation": "observation",
    "hypothesis": "hypothesis",
    "action": "actions",
    "actions": "actions",
    "result": "result",
    "results": "result",
    "outcome": "result",
    "confidence": "confidence",
    "related": "related",
    "references": "related",
    "timeline": "timeline",
    "impact": "impact",
    "prevention": "prevention",
}
_TYPES = {t.lower().replace(" ", ""): t for t in ENTRY_TYPES}
_TYPES.update({"bugfix": "Bug Fix", "fix": "Bug Fix", "architecture": "Architecture Change"})
_TYPES.update({"config": "Configuration", "docs": "Documentation", "postmortem": "Incident"})


def entry_id(date: str) -> str:
    """`LOG-2026-03-19-1432` for a stamped entry (`LOG-2026-03-19-143207` when its stamp has seconds
    other than :00), `LOG-2026-03-19` for a dated one."""
    if "T" in date:
        seconds = date[17:19] if date[17:19] not in ("", "00") else ""
        return f"LOG-{date[:10]}-{date[11:13]}{date[14:16]}{seconds}"
    return f"LOG-{date[:10]}"


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    read_front_matter(lines, path, reading)
    records: list[Record] = []
    # An entry ends where the next dated heading starts, whatever its level: a day heading above dated
    # entries (`# 2026-01-02` over `## 2026-01-02 10:00 - ...`) must not hold them as well.
    dated = [n for n in sorted(lines.headings) if _HEADING.match(lines.headings[n][1])]
    following = {n: dated[i + 1] if i + 1 < len(dated) else None for i, n in enumerate(dated)}
    for number in dated:
        level, text = lines.headings[number]
        match = _HEADING.match(text)
        assert match is not None
        date = read_date(match.group(1))
        if date is None:
            reading.diagnostics.append(
                diagnostic("PRS010", f"entry heading has an impossible date {match.group(1)!r}", path, number)
            )
            continue
        after = following[number]
        end = record_end(lines, number, level, None if after is None else after - 1, labels=LABELS)
        sections = iter_sections(lines, range(number + 1, end + 1), LABELS)
        if not _has_entry_sections(sections):
            reading.diagnostics.append(
                diagnostic(
                    "PRS011",
                    "dated heading without the entry's sections; read as text",
                    path,
                    number,
                    "an entry has **Type:** and at least one of Affected Files, Chain of Reasoning, Result",
                    severity="info",
                )
            )
            continue
        title = match.group(2).strip()
        records.append(_read_entry(lines, path, (number, end), sections, date, title, reading))
    for number in lines.glued:
        reading.diagnostics.append(
            diagnostic(
                "PRS001",
                "separator glued to the next line; expected `---` on a line of its own",
                path,
                number,
                severity="info",
            )
        )
    reading.records = assign_ids(records, is_newest_first(records))
    return reading


def _has_entry_sections(sections: list[Section]) -> bool:
    keys = {s.key for s in sections}
    return "type" in keys and len(keys & set(LABELS.values())) >= 2


def _read_entry(
    lines: Lines,
    path: str,
    span: tuple[int, int],
    sections: list[Section],
    date: str,
    title: str,
    reading: Reading,
) -> Record:
    by_key: dict[str, Section] = {}
    for section in sections:
        by_key.setdefault(section.key, section)
    tags: list[str] = []
    entry_type = ""
    if "type" in by_key:
        entry_type, tags = _read_type(by_key["type"], path, reading)
    title_tag = _TITLE_TAG.match(title)
    if title_tag and title_tag.group(1) not in tags:
        tags.append(title_tag.group(1))
    fields = EntryFields(
        type=entry_type,
        observation=by_key["observation"].text(lines) if "observation" in by_key else "",
        hypothesis=by_key["hypothesis"].text(lines) if "hypothesis" in by_key else "",
        actions=_read_actions(lines, by_key.get("actions")),
        result=by_key["result"].text(lines) if "result" in by_key else "",
        confidence=_read_confidence(by_key.get("confidence"), path, reading),
        timeline=_read_timeline(lines, by_key.get("timeline")),
        impact=by_key["impact"].text(lines) if "impact" in by_key else "",
        prevention=read_checklist(iter_items(lines, by_key["prevention"].body)) if "prevention" in by_key else (),
    )
    files = _read_files(lines, path, by_key.get("files"), reading)
    links = read_links(iter_items(lines, by_key["related"].body)) if "related" in by_key else ()
    return Record(
        id=entry_id(date),
        kind="entry",
        title=title,
        date=date,
        fields=fields,
        tags=tuple(tags),
        files=files,
        links=links,
        source=Source(path, *span),
    )


def _read_type(section: Section, path: str, reading: Reading) -> tuple[str, list[str]]:
    raw = strip_emphasis(section.inline)
    tags: list[str] = []
    if "(" in raw and raw.endswith(")"):
        raw, inner = raw[: raw.index("(")].strip(), raw[raw.index("(") + 1 : -1]
        tags = [t.strip() for t in inner.split(",") if t.strip()]
    known = _TYPES.get(raw.lower().replace(" ", "").replace("-", "").replace("_", ""))
    if known is None:
        reading.diagnostics.append(
            diagnostic(
                "PRS004",
                f"Type {raw!r} is not one of {', '.join(ENTRY_TYPES)}",
                path,
                section.line,
                "use one of the six types from the template",
            )
        )
        return raw, tags
    return known, tags


def _read_actions(lines: Lines, section: Section | None) -> tuple[str, ...]:
    if section is None:
        return ()
    items = [item_text(i) for i in iter_items(lines, section.body)]
    return tuple(([section.inline] if section.inline else []) + items)


def _read_confidence(section: Section | None, path: str, reading: Reading) -> Confidence | None:
    if section is None:
        return None
    text = strip_emphasis(section.inline)
    found = read_percent(text)
    if found is None or not 0 <= found[0] <= 100:
        reading.diagnostics.append(
            diagnostic(
                "PRS003",
                f"Confidence {text!r} is not a percentage from 0 to 100",
                path,
                section.line,
                "write it as `**Confidence:** 85% - why you are this sure`",
            )
        )
        return Confidence(None, text)
    return Confidence(found[0], found[1])


def _read_timeline(lines: Lines, section: Section | None) -> tuple[TimelineEvent, ...]:
    if section is None:
        return ()
    events = []
    for item in iter_items(lines, section.body):
        text = item_text(item)
        time, sep, event = text.partition(": ")
        events.append(TimelineEvent(time.strip(), event.strip()) if sep else TimelineEvent("", text))
    return tuple(events)


def _read_files(lines: Lines, path: str, section: Section | None, reading: Reading) -> tuple[FileRef, ...]:
    if section is None:
        return ()
    hint = "write it as - `path/to/file` (lines X-Y), (new file) or (deleted)"
    return tuple(read_file_list(lines, section.body, path, reading, "PRS005", hint))
