"""The SYSTEM_LOG.md entry, exactly the template at the top of system-log-template.md."""

from __future__ import annotations

from collections.abc import Callable

from whylog.markdown.values import format_file_ref, format_stamp
from whylog.model import EntryFields, Record


def _bullets(items: list[str] | tuple[str, ...], marker: str = "-") -> list[str]:
    return [f"{marker} {item}" for item in items]


def render_entry(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, EntryFields)
    entry_type = fields.type
    if record.tags:
        entry_type += f" ({', '.join(record.tags)})"
    out = [f"## {format_stamp(record.date)} - {record.title}", f"**Type:** {entry_type}"]
    out.append("**Affected Files:**")
    out += _bullets([format_file_ref(f) for f in record.files]) or ["- None"]
    out.append("**Chain of Reasoning:**")
    out.append(f"- **Observation:** {fields.observation}".rstrip())
    out.append(f"- **Hypothesis:** {fields.hypothesis}".rstrip())
    if len(fields.actions) == 1:
        out.append(f"- **Action:** {fields.actions[0]}")
    else:
        out.append("- **Action:**")
        out += [f"1. {action}" for action in fields.actions]
    out.append("**Result:**")
    if fields.result:
        out += fields.result.split("\n")
    if fields.confidence is not None:
        value = fields.confidence.value
        text = f"{value}%" if value is not None else ""
        if fields.confidence.reason:
            text = f"{text} - {fields.confidence.reason}" if text else fields.confidence.reason
        out.append(f"**Confidence:** {text}")
    if fields.timeline:
        out.append("**Timeline:**")
        out += [f"- {e.time}: {e.event}" if e.time else f"- {e.event}" for e in fields.timeline]
    if fields.impact:
        out.append("**Impact:**")
        out += fields.impact.split("\n")
    if fields.prevention:
        out.append("**Prevention:**")
        out += [f"- [{'x' if c.done else ' '}] {c.text}" for c in fields.prevention]
    if record.links:
        out.append("**Related:**")
        out += _bullets([link.text for link in record.links])
    return out


WRITERS: dict[str, Callable[[Record], list[str]]] = {"entry": render_entry}
SUFFIX = {"entry": "---\n\n"}
