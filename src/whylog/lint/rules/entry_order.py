"""ENT rules across entries: the order of a file's entries and ids that two records share."""

from __future__ import annotations

from collections.abc import Container, Iterator

from whylog.lint.rules.context import Context, finding
from whylog.lint.rules.fixes import move_blocks
from whylog.markdown.values import base_id
from whylog.model import Diagnostic, Record


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
    assert record.source is not None
    key = ("ENT007", context.document.path)
    if key not in context.cache:
        context.cache[key] = _out_of_order(context.document.records)
    before = context.cache[key].get(record.source.start_line)
    if before is not None:
        message = f"entry {record.date[:16]} is out of the file's order (after {before[:16]})"
        yield finding("ENT007", message, record.source.path, record.source.start_line)


def _out_of_order(records: list[Record]) -> dict[int, str]:
    """Start line of each entry out of order -> the stamp of the entry before it."""
    entries = [r for r in records if r.kind == "entry" and r.date and r.source]
    newest_first = _newest_first(entries)
    out = {}
    for previous, here in zip(entries, entries[1:], strict=False):
        if (here.date > previous.date) if newest_first else (here.date < previous.date):
            assert here.source is not None
            out[here.source.start_line] = previous.date
    return out


def natural_id(record: Record, ids: Container[str]) -> str:
    """The id before the -2, -3 suffix a reader gives records that share one."""
    if record.kind == "entry" and record.date:
        from whylog.markdown.readers.syslog import entry_id

        return entry_id(record.date)
    base = base_id(record.id)
    return base if base in ids else record.id


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
        distinct stamps: `## 2026-03-18 09:15:30 UTC - Raised the pool size` (id LOG-2026-03-18-091530).
        `whylog add` writes the seconds itself when the minute is taken.

    Fix: run `whylog renumber`: it gives one of the entries the first free second of the minute in its
    heading and rewrites the citations of it (after a merge, those its branch wrote).
    """
    first = context.first_of.get(natural_id(record, context.ids))
    if first is not None and first.source != record.source and record.source is not None:
        where = f"{first.source.path}:{first.source.start_line}" if first.source else "another record"
        message = f"id {natural_id(record, context.ids)} is already used at {where}"
        hint = "run `whylog renumber` to give one of them a stamp with seconds"
        yield finding("ENT008", message, record.source.path, record.source.start_line, hint)


def duplicate_number(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds an incident, decision or session whose number another record of the repo
    already has, as happens when two branches each took the next number and were merged.

    Why it matters: citations such as `Related: INC-2026-004` and `whylog show` must name one record;
    with two, one of them is unreachable and the citations written for it point at the other.

    Example:
        **Incident ID:** INC-2026-004
        **Title:** Cache stampede
        ...
        **Incident ID:** INC-2026-004
        **Title:** Disk full

    Use instead:
        distinct numbers: INC-2026-004 and INC-2026-005.

    Fix: run `whylog renumber`: after a merge it gives the merged branch's record the next free number
    and rewrites the citations that branch wrote.
    """
    natural = natural_id(record, context.ids)
    first = context.first_of.get(natural)
    if first is None or first.source == record.source or record.source is None or first.source is None:
        return
    if context.document.family == "devlog" and first.source.path != record.source.path:
        return  # a dev log's ADR index line for a decision that has its own file
    where = f"{first.source.path}:{first.source.start_line}"
    message = f"id {natural} is already used at {where}"
    hint = "run `whylog renumber` to give one of them the next free number"
    yield finding(NUMBER_RULES[record.kind], message, record.source.path, record.source.start_line, hint)


NUMBER_RULES = {"incident": "INC002", "decision": "ADR001", "session": "SES002"}


def reorder(text: str, path: str) -> str:
    """ENT007's fix: the log at `path` (its text given) with its entries sorted by stamp in the file's
    direction; each entry's lines move unchanged."""
    from whylog.markdown.readers import read_text
    from whylog.markdown.scan import split_lines

    entries = [r for r in read_text(text.removeprefix("\ufeff"), path, "syslog").records if r.kind == "entry"]
    spans = [(r.source.start_line, r.source.end_line) for r in entries if r.source is not None]
    order = sorted(range(len(spans)), key=lambda i: entries[i].date, reverse=_newest_first(entries))
    if order == list(range(len(spans))):
        return text
    return "".join(move_blocks(split_lines(text), spans, order))
