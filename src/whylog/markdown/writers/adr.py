"""A decision as a full ADR file, docs/adr/NNN-title.md: `# ADR-001: Title`, the Status, Date and Deciders
lines, then Context, Decision, Consequences, Alternatives Considered and Related sections."""

from __future__ import annotations

from collections.abc import Callable

from whylog.markdown.values import format_stamp
from whylog.model import DecisionFields, Record


def _section(heading: str, text: str) -> list[str]:
    return ["", f"## {heading}", "", *text.split("\n")] if text else ["", f"## {heading}"]


def render_decision(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, DecisionFields)
    out = [f"# ADR-{fields.number:03d}: {record.title}".rstrip(), "", f"**Status:** {fields.status}".rstrip()]
    if record.date:
        out.append(f"**Date:** {format_stamp(record.date)}")
    if fields.deciders:
        out.append(f"**Deciders:** {fields.deciders}")
    if fields.summary:
        out += ["", *fields.summary.split("\n")]
    out += _section("Context", fields.context)
    out += _section("Decision", fields.decision)
    out += _section("Consequences", fields.consequences)
    if fields.alternatives:
        out += _section("Alternatives Considered", fields.alternatives)
    if record.links:
        out += _section("Related", "\n".join(f"- {link.text}" for link in record.links))
    return out


WRITERS: dict[str, Callable[[Record], list[str]]] = {"decision": render_decision}
SUFFIX = {"decision": ""}
