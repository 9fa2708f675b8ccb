"""INC rules: an incident write-up's required parts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from whylog.lint.rules.context import Context, finding, iter_span
from whylog.markdown.values import read_mark
from whylog.model import Diagnostic, IncidentFields, Record

_ID_LINE = re.compile(r"^\s*\*\*Incident ID:?\*\*")
STALE_DAYS = 90


def own_template(context: Context, record: Record) -> bool:
    """Whether the incident is in whylog's INCIDENTS.md template (it has an `**Incident ID:**` line);
    postmortems and ledgers in other templates are checked by INC003 and INC004 instead of INC001."""
    return any(_ID_LINE.match(text) for _number, text in iter_span(context, record))


_REQUIRED = (
    ("severity", "Severity"),
    ("root_cause", "Root Cause"),
    ("resolution", "Resolution"),
    ("action_items", "Action Items"),
)


def missing_section(record: Record, context: object) -> Iterator[Diagnostic]:
    """What it does: checks that an incident has a Severity, a Root Cause, a Resolution and Action Items.

    Why it matters: an incident without its root cause or action items will happen again; those two
    parts are what the write-up is for.

    Example:
        **Incident ID:** INC-2024-003
        **Severity:** High
        **Symptoms:** ...
        **Resolution:** restarted the pool

    Use instead:
        ... the same, plus **Root Cause:** and **Action Items:** (`- [ ] ...`).

    Fix: write the missing part.
    """
    assert isinstance(record.fields, IncidentFields) and record.source is not None
    if not isinstance(context, Context) or not own_template(context, record):
        return
    for name, label in _REQUIRED:
        if not getattr(record.fields, name):
            message = f"incident {record.id} has no {label}"
            yield finding("INC001", message, record.source.path, record.source.start_line, f"add **{label}:**")


def missing_root_cause(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: checks that a postmortem (an incident in a template other than whylog's INCIDENTS.md
    one: one per file, or a ledger's entry) says what caused it, in a section such as `## Root Cause`,
    `**Root cause:**`, `## Causa raiz` or `### 根因`.

    Why it matters: the root cause is what the write-up is for; without it the same incident comes back.

    Example:
        # Postmortem: Queue stalled after failover
        ## Summary
        ...
        ## Action Items
        - [ ] Alert on queue age

    Use instead:
        ... the same, plus `## Root Cause` saying why it happened.

    Fix: write the root cause (or contributing factors, when there is no single one).
    """
    assert isinstance(record.fields, IncidentFields) and record.source is not None
    fields = record.fields
    if own_template(context, record) or fields.root_cause or fields.contributing_factors:
        return
    message = f"postmortem {record.id} has no root cause"
    yield finding("INC003", message, record.source.path, record.source.start_line, "add a `## Root Cause` section")


def missing_action_items(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: checks that a postmortem (an incident in a template other than whylog's INCIDENTS.md
    one) lists what will be done so it does not happen again: `## Action Items` with checkboxes or a
    table, `**Превентивные меры:**`, `## Ações corretivas`.

    Why it matters: a postmortem without action items records a failure without preventing the next one.

    Example:
        # Postmortem: Queue stalled after failover
        ## Root Cause
        The leader lease was not renewed.

    Use instead:
        ... the same, plus `## Action Items` and `- [ ] Alert on queue age`.

    Fix: add the follow-ups as a checklist (`- [ ] text`) or a table with Owner and Status columns.
    """
    assert isinstance(record.fields, IncidentFields) and record.source is not None
    if own_template(context, record) or record.fields.action_items:
        return
    message = f"postmortem {record.id} has no action items"
    yield finding("INC004", message, record.source.path, record.source.start_line, "add an `## Action Items` list")


def stale_action_item(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds an incident's action item still open more than 90 days after its due date,
    or, when it has none, after the incident's date.

    Why it matters: an open follow-up that nobody closed in a quarter is usually forgotten, and the
    incident it was meant to prevent can happen again.

    Example:
        **Date:** 2025-01-10
        ...
        - [ ] Add an alert on queue age

    Use instead:
        - [x] Add an alert on queue age   (done), or the item dropped with a note saying why.

    Fix: close the item, or give it a due date it will meet.
    """
    assert isinstance(record.fields, IncidentFields) and record.source is not None
    today = context.now.date()
    for item in record.fields.action_items:
        since = _day(item.due) or _day(record.date)
        if item.done or since is None or today - since <= timedelta(days=STALE_DAYS):
            continue
        line = _line_of(context, record, item.text)
        if not item.state and not _marked_open(context.document.lines.line(line)):
            continue  # a plain bullet says nothing about its state
        message = f"action item of {record.id} open for {(today - since).days} days: {item.text[:60]}"
        yield finding("INC005", message, record.source.path, line, "close it, or give it a new due date")


def _marked_open(line: str) -> bool:
    done, mark, _rest = read_mark(_BULLET.sub("", line))
    return bool(mark) and done is False


_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def _line_of(context: Context, record: Record, text: str) -> int:
    """The line of the action item whose text starts `text`: a list item or a table row holding it (a
    sentence elsewhere in the record that mentions the same words is not the item)."""
    head = text[:40]
    for number, line in iter_span(context, record):
        if head and head in line and (_BULLET.match(line) or line.lstrip().startswith("|")):
            return number
    assert record.source is not None
    return record.source.start_line
