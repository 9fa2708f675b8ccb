"""CHG rules: a change document's claims against its own blocker items."""

from __future__ import annotations

from collections.abc import Iterator

from whylog.lint.rules.context import Context, finding
from whylog.markdown.claims import blocker_claim
from whylog.model import ChangeFields, Diagnostic, Record


def blocker_count_mismatch(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: compares a change document's "Blockers Resolved: N/M" claim with the statuses of
    its own `### Blocker N:` items (RESOLVED and ALREADY RESOLVED count as resolved).

    Why it matters: the summary line is what people quote; when it disagrees with the items below it,
    one of them is wrong and readiness is misreported.

    Example:
        **Blockers Resolved**: 7/10 (70%)     (with six items marked RESOLVED)

    Use instead:
        **Blockers Resolved**: 6/10 (60%)

    Fix: correct the claim or the item statuses.
    """
    assert isinstance(record.fields, ChangeFields) and record.source is not None
    items = record.fields.items
    if not items:
        return
    done = sum(item.resolved for item in items)
    stated = blocker_claim(context.document.lines, record)
    if stated is not None and stated[1:] != (done, len(items)):
        message = f"claims {stated[1]}/{stated[2]} blockers resolved; the items say {done}/{len(items)}"
        yield finding("CHG001", message, record.source.path, stated[0])
