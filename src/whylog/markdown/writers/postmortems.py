"""A postmortem file in the template of the folder it goes into: the headings of the folder's newest
postmortem, in its order and words, its metadata lines (`- **Severity:** ...`, `**Date:** ...`,
`- 日期：...`) in their own style, and the title prefix it uses (`Postmortem: `, `RCA 007: `).

Parts of the template that name no incident field (`## Verification`) are left out, since the record has
nothing for them; fields the template has no heading for get one in English at the end, so nothing given
is dropped. Every heading of the template that names a field is written, empty when the record has
nothing for it, so the new file reads as a postmortem as the folder's others do.
"""

from __future__ import annotations

import re

from whylog.markdown.labels import field_of
from whylog.markdown.postmortems import PARTS, TITLE_PREFIX
from whylog.markdown.writers.incidents import stamp
from whylog.model import IncidentFields, Record

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_META = re.compile(r"^(\s*(?:[-*+]\s+)?)(\*\*)?([^*:：]{1,40}?)(\*\*)?\s*([:：])(\*\*)?\s*(.*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ENGLISH = {
    "summary": "Summary",
    "impact": "Impact",
    "detection": "Detection",
    "symptoms": "Symptoms",
    "timeline": "Timeline",
    "root_cause": "Root Cause",
    "contributing_factors": "Contributing Factors",
    "resolution": "Resolution",
    "action_items": "Action Items",
    "lessons": "Lessons Learned",
}
_ORDER = tuple(_ENGLISH)
_META_FIELDS = ("date", "severity", "status")


def template_parts(text: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """(title line, metadata [(field, label as written)], sections [(field, heading line)]) of a
    postmortem's text; fenced code is skipped."""
    title = ""
    meta: list[tuple[str, str]] = []
    sections: list[tuple[str, str]] = []
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = _HEADING.match(line)
        if heading is not None:
            if len(heading.group(1)) == 1 and not title and not sections:
                title = line
            elif len(heading.group(1)) == 2 or (sections and len(heading.group(1)) <= 2):
                name = field_of(heading.group(2))
                if name in PARTS and name not in [n for n, _ in sections]:
                    sections.append((name, line.rstrip()))
            continue
        if sections:
            continue
        found = _META.match(line)
        name = field_of(found.group(3)) if found is not None else None
        if found is not None and name in _META_FIELDS and name not in [n for n, _ in meta]:
            lead, bold, label, close, colon, late = found.groups()[:6]
            meta.append((name, f"{lead}{bold or ''}{label}{close or ''}{colon}{late or ''}"))
    return title, meta, sections


def render_postmortem(record: Record, template: str, number: int | None = None) -> list[str]:
    """The record as a postmortem file in `template`'s shape (the text of a postmortem of its folder)."""
    fields = record.fields
    assert isinstance(fields, IncidentFields)
    title_line, meta, sections = template_parts(template)
    out = [_title(title_line, record.title, number), ""]
    values = {"date": record.date[:10], "severity": fields.severity, "status": fields.status}
    first = _META.match(meta[0][1]) if meta else None
    lead = first.group(1) if first is not None else ""  # new lines as bullets when the template's are
    known = {name for name, _ in meta}
    meta += [(name, f"{lead}**{name.title()}:**") for name in _META_FIELDS if name not in known and values[name]]
    for name, label in meta:
        if values[name]:
            sep = "" if label.endswith("：") else " "
            out.append(f"{label}{sep}{values[name]}")
    if out[-1]:
        out.append("")
    written = {name for name, _ in sections}
    order = [(name, line) for name, line in sections]
    order += [(name, f"## {_ENGLISH[name]}") for name in _ORDER if name not in written and _value(fields, name)]
    for name, heading in order:
        out += [heading, ""]
        body = _body(fields, name)
        out += [*body, ""] if body else []
    while out and not out[-1]:
        out.pop()
    return out


def _title(template: str, title: str, number: int | None) -> str:
    heading = _HEADING.match(template)
    prefix = ""
    if heading is not None:
        found = TITLE_PREFIX.match(heading.group(2))
        if found is not None:
            prefix = found.group(1)
            if found.group(2) and number is not None:
                width = len(found.group(2))
                prefix = prefix.replace(found.group(2), f"{number:0{width}d}", 1)
    return f"# {prefix}{title}"


def _value(fields: IncidentFields, name: str) -> object:
    return getattr(fields, name)


def _body(fields: IncidentFields, name: str) -> list[str]:
    if name in ("summary", "impact", "detection"):
        text: str = getattr(fields, name)
        return text.split("\n") if text else []
    if name == "timeline":
        return [f"- **{stamp(e.time)}** — {e.event}" if e.time else f"- {e.event}" for e in fields.timeline]
    if name == "action_items":
        return [f"- [{'x' if item.done else ' '}] {item.text}" for item in fields.action_items]
    items: tuple[str, ...] = getattr(fields, name)
    return [f"- {item}" for item in items]


# The template for a postmortem folder that holds none yet (`[write] incident = "docs/postmortems/"`).
DEFAULT_TEMPLATE = """# Postmortem: Title

**Date:** YYYY-MM-DD
**Severity:** High
**Status:** Resolved

## Summary

## Impact

## Detection

## Timeline

## Root Cause

## Contributing Factors

## Resolution

## Action Items

## Lessons Learned
"""
