"""ENT rules across entries: the order of a file's entries and ids that two records share."""

from __future__ import annotations

import re
from collections.abc import Iterator

from whylog.model import Diagnostic, Record
from whylog.rules.context import Context, finding

_SUFFIX = re.compile(r"^(.*)-(\d+)$")


def _newest_first(records: list[Record]) -> bool:
    dated = [r.date for r in records if r.date]
    down = sum(1 for a, b in zip(dated, dated[1:], strict=False) if a > b)
    up = sum(1 for a, b in zip(dated, dated[1:], strict=False) if a < b)
    return down >= up


def out_of_order(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds an entry whose stamp breaks the file's order (newest first or oldest first,
    whichever most of the file follows).

    Why it matters: readers and `whylog archive` take the top (or bottom) of the log as the latest;
    an entry out of place hides a recent change among old ones.

    Example:
        ## 2026-03-19 ...
        ## 2026-03-15 ...
        ## 2026-03-17 ...   (out of order)

    Use instead:
        the entries sorted by their stamps.

    Fix: `whylog lint --fix` moves the entries into order, each with its own lines unchanged.
    """
    entries = [r for r in context.document.records if r.kind == "entry" and r.date]
    index = next((i for i, r in enumerate(entries) if r is record), 0)
    if index == 0:
        return
    before, here = entries[index - 1].date, record.date
    if (here > before) if _newest_first(entries) else (here < before):
        assert record.source is not None
        message = f"entry {record.date[:16]} is out of the file's order (after {before[:16]})"
        yield finding("ENT007", message, record.source.path, record.source.start_line)


def natural_id(record: Record, ids: set[str]) -> str:
    """The id before the -2, -3 suffix a reader gives records that share one."""
    if record.kind == "entry" and record.date:
        from whylog.markdown.readers.syslog import entry_id

        return entry_id(record.date)
    match = _SUFFIX.match(record.id)
    return match.group(1) if match and match.group(1) in ids else record.id


def duplicate_id(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a record whose id (an entry's stamp, an incident's INC number, ...) another
    record in the repo already has, in this file or another.

    Why it matters: `whylog show ID` and Related links must name one record; with two, one of them is
    unreachable and links to it are ambiguous.

    Example:
        ## 2026-03-18 09:15 UTC - Fixed connection pool exhaustion
        ...
        ## 2026-03-18 09:15 UTC - Raised the pool size

    Use instead:
        distinct stamps (to the minute) or ids.

    Fix: correct the stamp or the id of the later one.
    """
    first = context.first_of.get(natural_id(record, context.ids))
    if first is not None and first.source != record.source and record.source is not None:
        where = f"{first.source.path}:{first.source.start_line}" if first.source else "another record"
        message = f"id {natural_id(record, context.ids)} is already used at {where}"
        yield finding("ENT008", message, record.source.path, record.source.start_line)
