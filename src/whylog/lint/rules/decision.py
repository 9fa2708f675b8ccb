"""ADR rules: a decision record's status, date and supersession links.

The status and date rules look at decisions kept one per file (an ADR); a decision log (DECISIONS.md, a
memory bank's decisionLog) and a dev log's ADR index list decisions whose status lives elsewhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from whylog.lint.rules.context import Context, finding, iter_span
from whylog.markdown.names import is_log_file
from whylog.model import DecisionFields, Diagnostic, Record

# English status words a misspelling is matched against (`Accpeted` -> Accepted).
_KNOWN = ("Proposed", "Accepted", "Rejected", "Deprecated", "Superseded", "Draft")


def _fields(record: Record) -> DecisionFields:
    assert isinstance(record.fields, DecisionFields)
    return record.fields


def _one_per_file(record: Record, context: Context) -> bool:
    document = context.document
    one = sum(r.kind == "decision" for r in document.records) == 1
    return document.family == "adr" and one and not is_log_file(document.path)


def missing_status(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a decision record (an ADR file) with no status: no `## Status` section, no
    `Status:` line, no `status:` in its front matter.

    Why it matters: a decision without a status cannot be told apart from a proposal nobody agreed to,
    and `search status:accepted` never finds it.

    Example:
        # 4. Use Redis for sessions

        Date: 2026-05-01

        ## Context
        ...

    Use instead:
        ## Status

        Accepted

    Fix: write the status (Proposed, Accepted, Rejected, Deprecated or Superseded by ...).
    """
    assert record.source is not None
    if _one_per_file(record, context) and not _fields(record).status.strip():
        yield finding(
            "ADR002",
            "decision has no status",
            record.source.path,
            record.source.start_line,
            "write `## Status` with Proposed, Accepted, Rejected, Deprecated or Superseded by ...",
        )


def missing_date(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a decision record (an ADR file) with no date: no `Date:` line, no `date:` in
    its front matter, no date in its file name.

    Why it matters: when a decision was taken says what was known then; reviews and `context` order
    decisions by it, and an undated one sorts as the oldest.

    Example:
        # 4. Use Redis for sessions

        ## Status

        Accepted

    Use instead:
        # 4. Use Redis for sessions

        Date: 2026-05-01

    Fix: write the day the decision was taken, as YYYY-MM-DD.
    """
    assert record.source is not None
    if _one_per_file(record, context) and not record.date:
        yield finding(
            "ADR003",
            "decision has no date",
            record.source.path,
            record.source.start_line,
            "write `Date: YYYY-MM-DD` below the title (or `date:` in the front matter)",
        )


def unknown_status(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a decision whose status is none of proposed, accepted, rejected, deprecated or
    superseded in any language whylog knows (`Akzeptiert`, `Aceito` and `已采纳` are known).

    Why it matters: `search status:accepted`, reviews and the superseded checks read the status in one
    vocabulary; a word outside it (a typo, a team's private word) is invisible to all of them.

    Example:
        ## Status

        Accpeted

    Use instead:
        ## Status

        Accepted

    Fix: `whylog lint --fix` corrects a misspelling of an English status word; otherwise write one of the
    five statuses.
    """
    assert record.source is not None
    fields = _fields(record)
    if not fields.status.strip() or fields.state:
        return
    word = _word(fields.status)
    close = difflib.get_close_matches(word.capitalize(), _KNOWN, n=1, cutoff=0.75)
    hint = f"did you mean {close[0]}?" if close else "write Proposed, Accepted, Rejected, Deprecated or Superseded"
    line = _line_of(context, record, word)
    yield finding("ADR004", f"unknown decision status {fields.status!r}", record.source.path, line, hint)


def superseded_without_successor(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a decision marked superseded that does not say what superseded it.

    Why it matters: a reader who lands on a superseded decision needs the one in force now; without the
    link they search for it, or follow the old one.

    Example:
        ## Status

        Superseded

    Use instead:
        ## Status

        Superseded by [9. Keep sessions in the database](0009-keep-sessions-in-the-database.md)

    Fix: link the decision that replaced it (`Superseded by ADR-009`).
    """
    assert record.source is not None
    fields = _fields(record)
    if fields.state == "superseded" and not fields.superseded_by:
        line = _line_of(context, record, _word(fields.status))
        yield finding(
            "ADR005",
            "decision is superseded but names no decision that superseded it",
            record.source.path,
            line,
            "write `Superseded by ADR-NNN` (or a link to its file)",
        )


def dangling_supersession(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a `Supersedes` or `Superseded by` link to a decision no record file holds.

    Why it matters: the chain of decisions is how a reader finds the one in force; a link to a number
    that does not exist (a typo, a renumbered or deleted file) breaks it silently.

    Example:
        Superseded by ADR-019     (and no decision 19 anywhere)

    Use instead:
        Superseded by ADR-009

    Fix: correct the number or the file name in the link.
    """
    assert record.source is not None
    fields = _fields(record)
    for verb, target in [("supersedes", t) for t in fields.supersedes] + [
        ("is superseded by", t) for t in fields.superseded_by
    ]:
        if target not in context.ids:
            line = _line_of(context, record, target.removeprefix("ADR-").lstrip("0") or "0")
            yield finding(
                "ADR006",
                f"decision {verb} {target}, which no record holds",
                record.source.path,
                line,
                "link a decision that exists (`whylog list --kind decision`)",
            )


def _word(status: str) -> str:
    found = re.search(r"[^\W\d_][\w-]*", status.replace("**", ""))
    return found.group(0) if found else status.strip()


def _line_of(context: Context, record: Record, text: str) -> int:
    """The first line of the record after its title that holds `text`; its title line otherwise."""
    assert record.source is not None
    for number, line in iter_span(context, record):
        if number > record.source.start_line and text and text in line:
            return number
    return record.source.start_line


def fix_status(lines: list[str], item: Diagnostic) -> None:
    """`Accpeted` -> `Accepted` on the line the finding names, when one English status word is close."""
    found = re.search(r"unknown decision status '(.*)'", item.message)
    close = re.search(r"did you mean (\w+)\?", item.hint)
    if found is None or close is None:
        return
    index = item.source.start_line - 1
    word = _word(found.group(1))
    lines[index] = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", close.group(1), lines[index], count=1)
