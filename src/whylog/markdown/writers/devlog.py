"""DEVLOG.md records, exactly the shapes of devlog.md: the Current Context block and a daily story.

A decision from the dev log's ADR index is written as a full ADR file (writers/adr.py)."""

from __future__ import annotations

from collections.abc import Callable

from whylog.markdown.readers.lists import is_list_item
from whylog.markdown.values import format_file_ref
from whylog.model import ContextFields, Record, StoryFields

_SUBSECTIONS = (
    ("state", "Project State"),
    ("stack", "Stack & Tools"),
    ("standards", "Standards & Conventions"),
    ("decisions", "Key Architectural Decisions"),
    ("constraints", "Constraints & Requirements"),
    ("objectives", "Current Objectives"),
    ("risks", "Known Risks & Blockers"),
    ("entry_points", "Entry Points (For Code Navigation)"),
)


def _subsection(record: Record, key: str) -> list[str]:
    fields = record.fields
    assert isinstance(fields, ContextFields)
    if key == "decisions":
        return [f"- {link.text}" for link in record.links]
    if key == "objectives":
        return [f"- [{'x' if item.done else ' '}] {item.text}" for item in fields.objectives]
    if key == "risks":
        return [f"- **{risk.kind}:** {risk.text}" for risk in fields.risks]
    pairs: dict[str, str] = getattr(fields, key)
    return [f"- **{label}:** {value}".rstrip() for label, value in pairs.items()]


def render_context(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, ContextFields)
    out = ["## Current Context (Source of Truth)", "", f"**Last Updated:** {fields.updated}".rstrip()]
    for key, heading in _SUBSECTIONS:
        out += ["", f"### {heading}", *_subsection(record, key)]
    return out


def render_story(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, StoryFields)
    out = [f"### {record.date[:10]}: {record.title}"]
    for section in fields.sections:
        text = section.text.split("\n")
        if not section.label:
            out += ["", *text]
        elif len(text) > 1 or is_list_item(text[0]):
            out += ["", f"**{section.label}:**", *text]
        else:
            out += ["", f"**{section.label}:** {section.text}".rstrip()]
    if record.files:
        out += ["", "**Files Changed:** " + ", ".join(format_file_ref(ref) for ref in record.files)]
    if fields.shipped:
        out += ["", f"**Shipped:** {fields.shipped}"]
    return out


WRITERS: dict[str, Callable[[Record], list[str]]] = {"context": render_context, "story": render_story}
SUFFIX = {"context": "\n---\n\n", "story": "\n---\n\n"}
