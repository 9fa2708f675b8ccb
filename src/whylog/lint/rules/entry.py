"""ENT rules: the structure of a system-log entry (sections, type, files, timestamp, confidence)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from whylog.lint.rules.context import Context, finding, iter_span, label_line
from whylog.markdown.values import strip_emphasis
from whylog.model import ENTRY_TYPES, Diagnostic, EntryFields, Record

_REQUIRED = (
    ("Affected Files", ("Affected Files", "Files")),
    ("Chain of Reasoning", ("Chain of Reasoning", "Observation")),
)
_INCIDENT = ("Timeline", "Impact", "Prevention")
_STAMP_OK = re.compile(r"^(?:-{3,})?#{1,6} \d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})? UTC - \S")


def _fields(record: Record) -> EntryFields:
    assert isinstance(record.fields, EntryFields)
    return record.fields


def _has_label(context: Context, record: Record, labels: tuple[str, ...]) -> bool:
    assert record.source is not None
    return any(label_line(context, record, label) != record.source.start_line for label in labels)


def missing_section(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: checks that an entry has every section its template asks for: Affected Files,
    Chain of Reasoning and Result, and for an Incident entry also Timeline, Impact and Prevention.

    Why it matters: an entry without its reasoning or its result tells the next reader what changed but
    not why, nor whether it worked: the two things the log exists to keep.

    Example:
        ## 2026-03-16 11:20 UTC - Raised the Nginx worker count to four
        **Type:** Configuration
        **Affected Files:**
        - `nginx/nginx.conf` (line 5)
        **Confidence:** 90% - load tested

    Use instead:
        ... the same, plus **Chain of Reasoning:** (Observation, Hypothesis, Action) and **Result:**

    Fix: write the missing section; `whylog add entry` writes the full template.
    """
    assert record.source is not None
    head = record.source.start_line
    missing = [name for name, labels in _REQUIRED if not _has_label(context, record, labels)]
    if not _fields(record).result:
        missing.append("Result")
    if _fields(record).type == "Incident":
        missing += [name for name in _INCIDENT if not _has_label(context, record, (name,))]
    for name in missing:
        yield finding("ENT001", f"entry has no {name} section", record.source.path, head, f"add **{name}:**")


def unknown_type(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: checks that the entry's Type is one of the six template types.

    Why it matters: the type is how a month's entries are grouped and reviewed; a seventh spelling is a
    group of one that no search for the real type finds.

    Example:
        **Type:** Refactoring

    Use instead:
        **Type:** Architecture Change

    Fix: pick one of Implementation, Bug Fix, Architecture Change, Configuration, Documentation, Incident.
    """
    entry_type = _fields(record).type
    if entry_type not in ENTRY_TYPES:
        assert record.source is not None
        line = label_line(context, record, "Type")
        yield finding(
            "ENT002", f"Type {entry_type!r} is not one of the six types", record.source.path, line,
            "use one of " + ", ".join(ENTRY_TYPES),
        )  # fmt: skip


def raw_type(text: str) -> tuple[int, int] | None:
    """Where the type's own words sit on a `**Type:** value (TAGS)` line, as (start, end) offsets."""
    match = re.match(r"^\s*(?:\*\*)?Type:?(?:\*\*)?:?\s*(?:\*\*)?", text, re.IGNORECASE)
    if match is None:
        return None
    end = text.find("(", match.end())
    end = len(text.rstrip()) if end < 0 else end
    value = text[match.end() : end].rstrip().rstrip("*").rstrip()
    return match.end(), match.end() + len(value)


def misspelled_type(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a Type written in another spelling of a known type (`bugfix`, `Config`).

    Why it matters: searches and reviews match the exact type name; `type:"bug fix"` misses `bugfix`.

    Example:
        **Type:** bugfix

    Use instead:
        **Type:** Bug Fix

    Fix: `whylog lint --fix` rewrites the type in its template spelling.
    """
    entry_type = _fields(record).type
    if entry_type not in ENTRY_TYPES:
        return
    assert record.source is not None
    line = label_line(context, record, "Type")
    text = context.document.lines.line(line)
    where = raw_type(text)
    if where is not None and strip_emphasis(text[where[0] : where[1]]) != entry_type:
        written = text[where[0] : where[1]]
        yield finding("ENT003", f"Type {written!r} is spelled {entry_type!r} in the template", record.source.path, line)


def file_without_lines(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a modified file listed without the line numbers that changed.

    Why it matters: `whylog why path:line` follows recorded line ranges; a file without them explains
    every line of the file equally, which is to say none.

    Example:
        - `backend/config.py` (timeout raised)

    Use instead:
        - `backend/config.py` (lines 45-47, timeout raised)

    Fix: add `(lines X-Y)`; `whylog add entry --from-git` fills them from the diff.
    """
    assert record.source is not None
    for ref in record.files:
        if ref.change != "modified" or ref.lines or ref.path.endswith("/"):
            continue
        line = next((n for n, text in iter_span(context, record) if f"`{ref.path}`" in text), None)
        line = line or label_line(context, record, "Affected Files")
        yield finding(
            "ENT004", f"modified file {ref.path} has no line numbers", record.source.path, line,
            "write it as `path` (lines X-Y)",
        )  # fmt: skip


def bad_timestamp(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: checks that the entry heading reads `## YYYY-MM-DD HH:MM UTC - Title` (or
    `HH:MM:SS UTC`, which whylog writes when another entry already has the minute).

    Why it matters: one stamp format keeps the log sortable by eye and by `grep`, and makes the time zone
    explicit: a local time read as UTC puts an entry hours away from the commit it explains.

    Example:
        ## 2026-03-19T14:32Z Implemented JWT authentication for the API

    Use instead:
        ## 2026-03-19 14:32 UTC - Implemented JWT authentication for the API

    Fix: `whylog lint --fix` rewrites the stamp (entries with a time only; a day alone needs a person).
    """
    assert record.source is not None
    text = context.document.lines.line(record.source.start_line)
    if not _STAMP_OK.match(text):
        yield finding(
            "ENT005", "entry timestamp is not `YYYY-MM-DD HH:MM UTC - Title`", record.source.path,
            record.source.start_line, "write the heading as `## 2026-03-19 14:32 UTC - Title`",
        )  # fmt: skip


def future_timestamp(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds an entry dated after now (UTC).

    Why it matters: a future stamp is almost always a local time written as UTC or a typo in the year;
    it sorts the entry above everything written after it.

    Example:
        ## 2036-03-19 14:32 UTC - Implemented JWT authentication for the API

    Use instead:
        ## 2026-03-19 14:32 UTC - Implemented JWT authentication for the API

    Fix: correct the date; there is no automatic fix.
    """
    assert record.source is not None
    now = context.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    if record.date[: len(now)] > now[: len(record.date)]:
        yield finding(
            "ENT006", f"entry is dated {record.date}, after now", record.source.path, record.source.start_line
        )
