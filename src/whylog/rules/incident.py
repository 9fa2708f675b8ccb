"""INC rules: an incident write-up's required parts."""

from __future__ import annotations

from collections.abc import Iterator

from whylog.model import Diagnostic, IncidentFields, Record
from whylog.rules.context import finding

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
    for name, label in _REQUIRED:
        if not getattr(record.fields, name):
            message = f"incident {record.id} has no {label}"
            yield finding("INC001", message, record.source.path, record.source.start_line, f"add **{label}:**")
