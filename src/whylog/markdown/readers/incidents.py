"""INCIDENTS.md, in the shape of incidents.md: one incident per block between `---` separators.

An incident starts at its `**Incident ID:**` line (or at a heading right above it, or at a heading that
names the id, `## INC-2024-001: Title`) and ends before the next incident, a separator, or a heading
that is not one of its labels (`### Root Cause` is a label). Symptoms, Root Cause and Resolution are
lists of bullets, or one element of prose; Action Items are bullets with a status mark.
"""

from __future__ import annotations

import dataclasses
import re

from whylog.markdown.dates import find_date
from whylog.markdown.document import Reading, assign_ids, diagnostic, is_newest_first
from whylog.markdown.labels import field_of
from whylog.markdown.postmortems import PARTS, as_twin, incident_fields, level_of
from whylog.markdown.readers.common import read_front_matter, read_links, record_end
from whylog.markdown.readers.lists import read_list, read_mentioned_files
from whylog.markdown.scan import Lines
from whylog.markdown.values import (
    Section,
    item_text,
    iter_items,
    iter_sections,
    match_label,
    norm,
    read_date,
    read_file_ref,
    read_mark,
    strip_emphasis,
)
from whylog.model import ActionItem, Diagnostic, FileRef, Record, Source, StorySection

LABELS = {
    "incident id": "id",
    "incident": "id",
    "id": "id",
    "date": "date",
    "incident date": "date",
    "severity": "severity",
    "sev": "severity",
    "priority": "severity",
    "services affected": "services",
    "affected services": "services",
    "services": "services",
    "service": "services",
    "systems affected": "services",
    "title": "title",
    "incident title": "title",
    "symptoms": "symptoms",
    "symptom": "symptoms",
    "root cause": "root_cause",
    "root causes": "root_cause",
    "cause": "root_cause",
    "resolution": "resolution",
    "fix": "resolution",
    "remediation": "resolution",
    "action items": "action_items",
    "action item": "action_items",
    "follow-up actions": "action_items",
    "follow-ups": "action_items",
    "related": "related",
    "references": "related",
    "status": "status",
    "summary": "summary",
    "impact": "impact",
    "detection": "detection",
    "timeline": "timeline",
    "contributing factors": "contributing_factors",
    "lessons learned": "lessons",
    "lessons": "lessons",
    "affected files": "files",
    "files affected": "files",
    "files changed": "files",
}
_PARTS = {"summary", "impact", "detection", "timeline", "contributing_factors", "lessons"}  # read by postmortems
_ID_LABELS = {"incident id": "id", "incident": "id"}
_SCALARS = ("id", "date", "severity", "services", "title", "status")
_SIGNS = {"severity", "services", "symptoms", "root_cause", "resolution", "action_items"}
SEVERITIES = ("Critical", "High", "Medium", "Low")
_SEVERITY = {s.lower(): s for s in SEVERITIES}
_HEADING = re.compile(r"^(?:Incident\s*:?\s*)?(INC-[\w-]*\d)\b\s*(?:[-–—:|]\s*)?(.*)$", re.IGNORECASE)


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    first = read_front_matter(lines, path, reading)
    starts = _find_starts(lines, first)
    records: list[Record] = []
    for index, start in enumerate(starts):
        limit = starts[index + 1] - 1 if index + 1 < len(starts) else len(lines)
        level = lines.headings[start][0] if start in lines.headings else 6
        end = record_end(lines, start, level, limit, LABELS)
        record = _read_incident(lines, path, start, end, reading)
        if record is not None:
            records.append(record)
    _report_blocks_without_id(lines, path, first, records, reading)
    reading.records = assign_ids(records, is_newest_first(records))
    return reading


def _is_id_line(lines: Lines, number: int) -> bool:
    """`**Incident ID:** INC-2024-001` (or `Incident: INC-7`): a label whose value is one word or empty."""
    found = match_label(lines.line(number), _ID_LABELS) if lines.tag(number) == "text" else None
    return found is not None and len(found[1].split()) <= 1


def _find_starts(lines: Lines, first: int) -> list[int]:
    """First lines of incidents: an id heading, or an id label (with its title heading right above it)."""
    starts: set[int] = set()
    for number in range(first, len(lines) + 1):
        heading = lines.headings.get(number) if lines.tag(number) == "heading" else None
        if heading is not None and norm(heading[1]) not in LABELS and _HEADING.match(heading[1]):
            starts.add(number)
        elif _is_id_line(lines, number):
            starts.add(_title_heading(lines, first, number) or number)
    return sorted(starts)


def _title_heading(lines: Lines, first: int, id_line: int) -> int:
    """The heading right above an id line when it is the incident's title: not the file's title (level
    1), not a label, and only when the incident has no **Title:** of its own."""
    above = id_line - 1
    while above >= first and lines.tag(above) == "blank":
        above -= 1
    heading = lines.headings.get(above) if above >= first and lines.tag(above) == "heading" else None
    if heading is None or heading[0] < 2 or norm(heading[1]) in LABELS:
        return 0
    for number in range(id_line + 1, len(lines) + 1):
        if lines.tag(number) in ("rule", "heading") or _is_id_line(lines, number):
            break
        found = match_label(lines.line(number), LABELS) if lines.tag(number) == "text" else None
        if found is not None and LABELS.get(norm(found[0])) == "title":
            return 0
    return above


def _read_incident(lines: Lines, path: str, start: int, end: int, reading: Reading) -> Record | None:
    heading_id, heading_title = "", ""
    body_start = start
    if start in lines.headings and lines.tag(start) == "heading":
        body_start = start + 1
        text = lines.headings[start][1]
        match = _HEADING.match(text)
        heading_id, heading_title = (match.group(1), match.group(2).strip()) if match else ("", text)
    if heading_id and not _SIGNS & {s.key for s in iter_sections(lines, range(body_start, end + 1), LABELS)}:
        return None  # a heading that only mentions an incident
    others: list[StorySection] = []
    by_key = _sections(lines, path, range(body_start, end + 1), reading, others)
    incident_id = strip_emphasis(by_key["id"].inline).strip("`") if "id" in by_key else heading_id
    if not incident_id:
        reading.diagnostics.append(_missing_id(path, start))
        return None
    resolution = read_list(lines, by_key.get("resolution"))
    date = _read_date(by_key.get("date"), path, reading)
    extra = incident_fields(tuple(others), date)  # the parts of other templates: Impact, Timeline, Lessons...
    severity = _read_severity(by_key.get("severity"), path, reading)
    fields = dataclasses.replace(
        extra,
        severity=severity,
        services=_read_services(lines, by_key.get("services")),
        symptoms=read_list(lines, by_key.get("symptoms")) or extra.symptoms,
        root_cause=read_list(lines, by_key.get("root_cause")) or extra.root_cause,
        resolution=resolution or extra.resolution,
        action_items=_read_action_items(lines, path, by_key.get("action_items"), reading) or extra.action_items,
        level=level_of(severity),
        sections=tuple(s for s in others if norm(s.label) not in LABELS),  # the labels of other templates
        status=strip_emphasis(by_key["status"].inline) if "status" in by_key else extra.status,
    )
    incident_id, fields = as_twin(fields, incident_id, path)
    title = strip_emphasis(by_key["title"].inline) if "title" in by_key else heading_title
    related = by_key.get("related")
    return Record(
        id=incident_id,
        kind="incident",
        title=title,
        date=date,
        fields=fields,
        files=_read_files(lines, by_key.get("files"), resolution),
        links=read_links(iter_items(lines, related.body)) if related is not None else (),
        source=Source(path, start, end),
    )


def _read_files(lines: Lines, section: Section | None, resolution: tuple[str, ...]) -> tuple[FileRef, ...]:
    """An `**Affected Files:**` list (not in the seed; whylog writes it when Resolution does not name
    every file), then the paths Resolution mentions that the list does not have."""
    listed = [r for r in (read_file_ref(i.text) for i in iter_items(lines, section.body)) if r] if section else []
    paths = {r.path for r in listed}
    return tuple(listed) + tuple(r for r in read_mentioned_files(resolution) if r.path not in paths)


def _sections(
    lines: Lines, path: str, numbers: range, reading: Reading, others: list[StorySection]
) -> dict[str, Section]:
    """The incident's labelled sections by key; text that belongs to no field is reported. Sections of
    other templates (`### Impact`, `### Timeline`, `### Lessons`) go to `others`, in order, as written."""
    by_key: dict[str, Section] = {}
    for section in iter_sections(lines, numbers, LABELS):
        stray = [n for n in section.body if lines.line(n).strip()]
        if section.key in _PARTS or (section.key and section.key not in LABELS.values()):
            others.append(StorySection(section.label, section.text(lines)))
            if section.key not in _PARTS and field_of(section.label) not in PARTS | {"status"}:
                _stray(path, section.line, f"section {section.label!r} is not an incident field", reading)
        elif section.key in by_key:
            _stray(path, section.line, f"a second {section.label!r} in one incident is not read", reading)
        elif (not section.key or section.key in _SCALARS) and stray:
            _stray(path, stray[0], "text outside the incident's fields is not read", reading)
        if section.key:
            by_key.setdefault(section.key, section)
    return by_key


def _missing_id(path: str, line: int) -> Diagnostic:
    hint = "start the block with **Incident ID:** INC-YYYY-NNN"
    return diagnostic("PRS020", "incident without an id; expected an **Incident ID:** line", path, line, hint)


def _stray(path: str, line: int, message: str, reading: Reading) -> None:
    hint = "expected one of Symptoms, Root Cause, Resolution, Action Items as a bold label"
    reading.diagnostics.append(diagnostic("PRS024", message, path, line, hint, severity="info"))


def _read_date(section: Section | None, path: str, reading: Reading) -> str:
    if section is None:
        return ""
    date = read_date(section.inline)
    if date is None:  # a month (`December 2025`) or another shape the dated-log reader knows
        found = find_date(section.inline)
        date = found.iso if found is not None else None
    if date is None:
        reading.diagnostics.append(
            diagnostic(
                "PRS023",
                f"incident date {section.inline!r} is not a date",
                path,
                section.line,
                "write it as **Date:** YYYY-MM-DD",
            )
        )
        return ""
    return date


def _read_severity(section: Section | None, path: str, reading: Reading) -> str:
    if section is None:
        return ""
    raw = strip_emphasis(section.inline)
    known = _SEVERITY.get(raw.lower())
    if known is None and level_of(raw):  # SEV2, P1, Alta: the team's own words, kept as written
        return raw
    if known is None:
        reading.diagnostics.append(
            diagnostic(
                "PRS022",
                f"severity {raw!r} is not one of {', '.join(SEVERITIES)}",
                path,
                section.line,
                "write it as **Severity:** High",
            )
        )
        return raw
    return known


def _read_services(lines: Lines, section: Section | None) -> tuple[str, ...]:
    if section is None:
        return ()
    texts = [section.inline] + [item_text(i) for i in iter_items(lines, section.body)]
    return tuple(s.strip() for text in texts for s in text.split(",") if s.strip())


def _read_action_items(lines: Lines, path: str, section: Section | None, reading: Reading) -> tuple[ActionItem, ...]:
    if section is None:
        return ()
    found = [(section.line, section.inline)] if section.inline else []
    found += [(i.line, item_text(i)) for i in iter_items(lines, section.body)]
    out = []
    for line, text in found:
        done, mark, rest = read_mark(text)
        if not mark:
            reading.diagnostics.append(
                diagnostic(
                    "PRS021",
                    "action item without a status; read as open",
                    path,
                    line,
                    "start it with [Done] or [Open]",
                    severity="info",
                )
            )
        word = mark.strip("[] ") if mark[:1] == "[" else ""
        state = word if len(word) > 1 and word.lower() not in ("done", "open") else ""  # `[In Progress]`
        out.append(ActionItem(rest, bool(done), state=state))
    return tuple(out)


def _report_blocks_without_id(lines: Lines, path: str, first: int, records: list[Record], reading: Reading) -> None:
    """A block between separators that has an incident's labels but no id is reported, not dropped."""
    covered = {n for r in records if r.source for n in range(r.source.start_line, r.source.end_line + 1)}
    block: list[int] = []
    for number in range(first, len(lines) + 2):
        if number <= len(lines) and lines.tag(number) != "rule" and number not in covered:
            block.append(number)
            continue
        keys = {s.key for s in iter_sections(lines, block, LABELS)}
        if len(keys & _SIGNS) >= 2 and "id" not in keys:
            line = next(n for n in block if lines.line(n).strip())
            reading.diagnostics.append(_missing_id(path, line))
        block = []
