"""The INCIDENTS.md incident, exactly the shape of incidents.md: bold labels, `* ` bullets, action items
marked `[Done]` or `[Open]`, a blank line between sections, and `---` between incidents."""

from __future__ import annotations

from collections.abc import Callable

from whylog.markdown.readers.lists import read_mentioned_files
from whylog.markdown.values import format_file_ref, format_stamp
from whylog.model import IncidentFields, Record


def _list(label: str, items: tuple[str, ...]) -> list[str]:
    return ["", f"**{label}:**", *[f"* {item}" for item in items]]


def render_incident(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, IncidentFields)
    out = [
        f"**Incident ID:** {record.id}",
        f"**Date:** {format_stamp(record.date)}".rstrip(),
        f"**Severity:** {fields.severity}".rstrip(),
        f"**Services Affected:** {', '.join(fields.services)}".rstrip(),
        f"**Title:** {record.title}".rstrip(),
    ]
    out += _list("Symptoms", fields.symptoms)
    out += _list("Root Cause", fields.root_cause)
    out += _list("Resolution", fields.resolution)
    if record.files != read_mentioned_files(fields.resolution):
        out += _list("Affected Files", tuple(format_file_ref(f) for f in record.files))
    out += ["", "**Action Items:**"]
    out += [f"* [{item.state or ('Done' if item.done else 'Open')}] {item.text}" for item in fields.action_items]
    if record.links:
        out += _list("Related", tuple(link.text for link in record.links))
    return out


WRITERS: dict[str, Callable[[Record], list[str]]] = {"incident": render_incident}
SUFFIX = {"incident": "\n---\n\n"}
