"""The session progress note, in the banner layout of session-progress.txt."""

from __future__ import annotations

from collections.abc import Callable

from whylog.markdown.values import format_long_date, format_stamp
from whylog.model import FileRef, Record, SessionFields

BAR = "=" * 80


def _banner(title: str) -> list[str]:
    return [BAR, title, BAR, ""]


def render_session(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, SessionFields)
    out = _banner(record.title)
    if record.date:
        out.append(f"Date: {format_stamp(record.date) if 'T' in record.date else format_long_date(record.date)}")
    out += [f"Session: {fields.number}"] if fields.number else []
    out += [f"Agent Role: {fields.role}"] if fields.role else []
    out += [f"Status: {fields.status}", ""] if fields.status else [""]
    if fields.accomplishments:
        out += _banner("ACCOMPLISHMENTS")
        for number, text in enumerate(fields.accomplishments, 1):
            out += _numbered(f"✅ {number}. ", text) + [""]
    if record.files:
        out += _banner("FILES CREATED/MODIFIED") + [line for ref in record.files for line in _file(ref)] + [""]
    if fields.verification or fields.verification_commands:
        out += _banner("VERIFICATION TESTS PERFORMED")
        out += [f"- {check.text} {'✅' if check.passed else '❌'}" for check in fields.verification]
        out += [""] if fields.verification else []
        for command in fields.verification_commands:
            runs = (len(line.lstrip()) - len(line.lstrip().lstrip("`")) for line in command.split("\n"))
            fence = "`" * max(3, *(run + 1 for run in runs))  # longer than any fence inside the command
            out += [f"{fence}bash", *command.split("\n"), fence, ""]
    if fields.next:
        out += _banner("NEXT SESSION PRIORITIES") + fields.next.split("\n") + [""]
    if fields.known_issues:
        out += _banner("KNOWN ISSUES / TECHNICAL DEBT")
        for number, issue in enumerate(fields.known_issues, 1):
            out += _numbered(f"{number}. ✅ RESOLVED: " if issue.resolved else f"{number}. ", issue.text) + [""]
    if fields.environment:
        out += _banner("ENVIRONMENT STATUS")
        for item in fields.environment:
            mark = "✅ " if item.ok else "⚠️  "
            out.append(f"{mark}{item.name} - {item.detail}" if item.detail else f"{mark}{item.name}")
        out.append("")
    if fields.features is not None:
        out += _banner("SUCCESS METRICS")
        out += [f"Features passing tests: {fields.features.passing} / {fields.features.total}", ""]
    if fields.lessons:
        out += _banner("LESSONS LEARNED") + fields.lessons.split("\n") + [""]
    if fields.commands:
        out += _banner("COMMANDS FOR NEXT SESSION") + [f"  {command}" for command in fields.commands] + [""]
    return out + [BAR, f"END OF SESSION {fields.number} SUMMARY" if fields.number else "END OF SUMMARY", BAR]


def _numbered(prefix: str, text: str) -> list[str]:
    first, *rest = text.split("\n")
    return [prefix + first, *[f"   {line}" for line in rest]]


def _file(ref: FileRef) -> list[str]:
    """`- path (lines 3-9, new)` and the note's parts as indented bullets below it."""
    parts: list[str] = []
    if ref.lines:
        parts.append("lines " + ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in ref.lines))
    if ref.change in ("new", "deleted"):
        parts.append(ref.change)
    line = f"- {ref.path}" + (f" ({', '.join(parts)})" if parts else "")
    return [line, *[f"  * {note}" for note in ref.note.split("; ") if note]]


WRITERS: dict[str, Callable[[Record], list[str]]] = {"session": render_session}
SUFFIX = {"session": ""}
