"""The change document, in the shape of blockers-changelog.md."""

from __future__ import annotations

from collections.abc import Callable

from whylog.model import BlockerItem, ChangeFields, FileRef, Readiness, Record, TestRun

FILE_HEADINGS = {"modified": "Files Modified", "new": "Files Created", "unchanged": "Files Verified"}
FILE_HEADINGS["deleted"] = "Files Deleted"


def render_change(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, ChangeFields)
    out = [f"# Change Log: {record.title}", "", "## Date", record.date, ""]
    for heading, text in (("Author", fields.author), ("Summary", fields.summary)):
        if text:
            out += [f"## {heading}", *text.split("\n"), ""]
    if fields.items:
        done = sum(item.resolved for item in fields.items)
        total = len(fields.items)
        out += ["## Overview", "", f"**Blockers Resolved**: {done}/{total} ({done * 100 // total}%)", ""]
        out += ["## Changes", ""]
        for item in fields.items:
            out += _item(item) + ["", "---", ""]
    if fields.testing:
        out += ["## Testing", ""]
        for run in fields.testing:
            out += _run(run)
        out += ["---", ""]
    if fields.readiness is not None:
        out += _readiness(fields.readiness) + ["---", ""]
    if fields.next_steps:
        out += ["## Next Steps", "", *fields.next_steps.split("\n"), "", "---", ""]
    if record.links:
        out += ["## Related Changes", "", *[f"- {link.text}" for link in record.links], ""]
    while out and out[-1] in ("", "---"):
        out.pop()
    return out


def _item(item: BlockerItem) -> list[str]:
    mark = "✅" if item.resolved else "⏳"
    out = [f"### Blocker {item.number}: {mark} {item.title}"]
    if item.sections.get(""):
        out += ["", *item.sections[""].split("\n")]
    if item.status:
        status = f"**{item.status}**" + (f" - {item.note}" if item.note else "")
        out += ["", f"**Status**: {status}"]
    previous = ""
    for ref in item.files:
        if ref.change != previous:
            out += ["", f"**{FILE_HEADINGS[ref.change]}**:"]
            previous = ref.change
        out.append(f"- {format_change_file(ref)}")
    for label, text in item.sections.items():
        if label:
            out += ["", *_labelled(label, text)]
    return out


def format_change_file(ref: FileRef) -> str:
    """`` `/path/x.py` (lines 3-9) - note ``: the path in backticks, then the note after a dash."""
    text = f"`{ref.path}`"
    if ref.lines:
        spans = [f"{a}-{b}" if a != b else f"{a}" for a, b in ref.lines]
        text += f" ({'line' if len(spans) == 1 and '-' not in spans[0] else 'lines'} {', '.join(spans)})"
    return f"{text} - {ref.note}" if ref.note else text


def _labelled(label: str, text: str) -> list[str]:
    """`**Label**: text` for one line of prose; the label on its own line above anything longer."""
    if "\n" not in text and not text.startswith(("- ", "* ", "```")):
        return [f"**{label}**: {text}".rstrip()]
    return [f"**{label}**:", *text.split("\n")]


def _run(run: TestRun) -> list[str]:
    out = [f"### {run.name}", ""] if run.name else []
    if run.command:
        out += ["```bash", *run.command.split("\n"), "```", ""]
    if run.results:
        out += ["**Results**:", "```", *run.results.split("\n"), "```", ""]
    return out


def _readiness(readiness: Readiness) -> list[str]:
    out = ["## Impact", "", "### Production Readiness", ""]
    if readiness.before is not None:
        out.append(f"**Before**: {readiness.before}% ready")
    if readiness.after is not None:
        out.append(f"**After**: {readiness.after}% ready")
    return out + [""]


WRITERS: dict[str, Callable[[Record], list[str]]] = {"change": render_change}
SUFFIX = {"change": ""}
