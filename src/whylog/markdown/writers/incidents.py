"""The INCIDENTS.md incident, exactly the shape of incidents.md: bold labels, `* ` bullets, action items
marked `[Done]` or `[Open]`, a blank line between sections, and `---` between incidents."""

from __future__ import annotations

from collections.abc import Callable

from whylog.markdown.readers.lists import read_mentioned_files
from whylog.markdown.values import format_file_ref, format_stamp
from whylog.model import IncidentFields, Record


def _list(label: str, items: tuple[str, ...]) -> list[str]:
    return ["", f"**{label}:**", *[f"* {item}" for item in items]]


def stamp(time: str) -> str:
    """A timeline time as the templates write it: a date or time in UTC form, anything else as given."""
    return format_stamp(time) if len(time) >= 10 and time[:4].isdigit() else time


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
    if fields.status:
        out.append(f"**Status:** {fields.status}")
    for label, text in (("Summary", fields.summary), ("Impact", fields.impact), ("Detection", fields.detection)):
        out += ["", f"**{label}:**", *text.split("\n")] if text else []
    out += _list("Symptoms", fields.symptoms)
    if fields.timeline:
        out += _list(
            "Timeline", tuple(f"**{stamp(e.time)}** — {e.event}" if e.time else e.event for e in fields.timeline)
        )
    out += _list("Root Cause", fields.root_cause)
    if fields.contributing_factors:
        out += _list("Contributing Factors", fields.contributing_factors)
    out += _list("Resolution", fields.resolution)
    if record.files != read_mentioned_files(fields.resolution):
        out += _list("Affected Files", tuple(format_file_ref(f) for f in record.files))
    out += ["", "**Action Items:**"]
    out += [f"* [{item.state or ('Done' if item.done else 'Open')}] {item.text}" for item in fields.action_items]
    if fields.lessons:
        out += _list("Lessons Learned", fields.lessons)
    if record.links:
        out += _list("Related", tuple(link.text for link in record.links))
    return out


WRITERS: dict[str, Callable[[Record], list[str]]] = {"incident": render_incident}
SUFFIX = {"incident": "\n---\n\n"}
