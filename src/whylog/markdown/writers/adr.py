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
    if fields.drivers:
        out += _section("Decision Drivers", "\n".join(f"- {driver}" for driver in fields.drivers))
    out += _section("Decision", fields.decision)
    out += _section("Consequences", fields.consequences)
    if fields.confirmation:
        out += _section("Confirmation", fields.confirmation)
    if fields.alternatives:
        out += _section("Alternatives Considered", fields.alternatives)
    if record.links:
        out += _section("Related", "\n".join(f"- {link.text}" for link in record.links))
    return out


WRITERS: dict[str, Callable[[Record], list[str]]] = {"decision": render_decision}
SUFFIX = {"decision": ""}


def render_nygard(record: Record) -> list[str]:
    """A decision in the Nygard / adr-tools template: `# 7. Title`, a `Date:` line, then Status (with the
    record's links on their own lines, as adr-tools writes `Supersedes ...`), Context, Decision and
    Consequences."""
    fields = record.fields
    assert isinstance(fields, DecisionFields)
    out = [f"# {fields.number}. {record.title}".rstrip()]
    if record.date:
        out += ["", f"Date: {format_stamp(record.date)}"]
    if fields.deciders:
        out += ["", f"Deciders: {fields.deciders}"] if not record.date else [f"Deciders: {fields.deciders}"]
    if fields.summary:
        out += ["", *fields.summary.split("\n")]
    links = [line for link in record.links for line in ("", link.text)]
    out += _section("Status", "\n".join([fields.status, *links]) if fields.status else "")
    out += _section("Context", fields.context)
    if fields.drivers:
        out += _section("Decision Drivers", "\n".join(f"- {driver}" for driver in fields.drivers))
    out += _section("Decision", fields.decision)
    out += _section("Consequences", fields.consequences)
    if fields.confirmation:
        out += _section("Confirmation", fields.confirmation)
    if fields.alternatives:
        out += _section("Alternatives Considered", fields.alternatives)
    if record.links and not fields.status:
        out += _section("Related", "\n".join(f"- {link.text}" for link in record.links))
    return out


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_madr(record: Record) -> list[str]:
    """A decision in the MADR 4 template: front matter (status, date, decision-makers), `# Title`, then
    Context and Problem Statement, Decision Drivers, Considered Options, Decision Outcome with its
    Consequences and Confirmation, and Links. The number is the file name's."""
    fields = record.fields
    assert isinstance(fields, DecisionFields)
    front = [f"status: {_yaml_text(fields.status)}"] if fields.status else []
    if record.date:
        front.append(f"date: {_yaml_text(record.date)}")
    if fields.deciders:
        front.append(f"decision-makers: {_yaml_text(fields.deciders)}")
    out = ["---", *front, "---", "", f"# {record.title}".rstrip()] if front else [f"# {record.title}".rstrip()]
    if fields.summary:
        out += ["", *fields.summary.split("\n")]
    out += _section("Context and Problem Statement", fields.context)
    if fields.drivers:
        out += _section("Decision Drivers", "\n".join(f"* {driver}" for driver in fields.drivers))
    if fields.alternatives:
        out += _section("Considered Options", fields.alternatives)
    out += _section("Decision Outcome", fields.decision)
    if fields.consequences:
        out += ["", "### Consequences", "", *fields.consequences.split("\n")]
    if fields.confirmation:
        out += ["", "### Confirmation", "", *fields.confirmation.split("\n")]
    if record.links:
        out += _section("Links", "\n".join(f"* {link.text}" for link in record.links))
    return out


TEMPLATES: dict[str, Callable[[Record], list[str]]] = {
    "whylog": render_decision,
    "nygard": render_nygard,
    "madr": render_madr,
}
