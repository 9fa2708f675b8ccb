"""Reading back an inserted record through a window gives what reading the whole new file gives."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies.syslog import entries
from whylog.markdown.readers import read_text
from whylog.markdown.window import read_inserted
from whylog.markdown.writers import render_block
from whylog.model import EntryFields, Record
from whylog.writing.placement import splice

FENCE = "```text\n## 2026-01-01 10:00 UTC - not an entry, inside a fence\n"


def _log(records: list[Record], between: str = "") -> str:
    ordered = sorted(records, key=lambda r: r.date, reverse=True)
    return "# SYSTEM_LOG\n\n" + between.join(render_block(r) for r in ordered)


def _inserted_by_whole_read(text: str, record: Record) -> tuple[Record | None, list[Record]]:
    """The new record and the other records, as a read of the whole new file finds them."""
    document = read_text(text, "SYSTEM_LOG.md", "syslog")
    new_text = splice(document, record)
    after = read_text(new_text, "SYSTEM_LOG.md", "syslog").records
    mine = [r for r in after if r.title == record.title and r.date == record.date]
    return (mine[0] if len(mine) == 1 else None), [r for r in after if r not in mine]


def _window(text: str, record: Record) -> Record | None:
    from whylog.writing.placement import _spliced

    document = read_text(text, "SYSTEM_LOG.md", "syslog")
    _, index, block = _spliced(document, record)
    return None if index is None else read_inserted(document, index, block, record)


@settings(max_examples=60, deadline=None)
@given(st.lists(entries(), min_size=1, max_size=8), entries(), st.sampled_from(["", "```\n", FENCE]))
def test_the_window_agrees_with_reading_the_whole_file(old: list[Record], new: Record, between: str) -> None:
    # `between` puts text between records, among it fences that stay open until the next one
    text = _log(old, between)
    record = dataclasses.replace(new, title=new.title + " (the new one)")
    found = _window(text, record)
    whole, others = _inserted_by_whole_read(text, record)
    if found is not None:
        assert found == whole
        before = read_text(text, "SYSTEM_LOG.md", "syslog").records
        assert [r.without_source() for r in others] == [r.without_source() for r in before]


def test_a_window_whose_edges_are_not_headings_at_the_margin_leaves_it_to_the_whole_read() -> None:
    old = [
        Record("", "entry", f"Entry number {n} of the log", f"2026-01-0{n}T10:00:00Z", EntryFields("Bug Fix"))
        for n in range(1, 5)
    ]
    glued = _log(old).replace("---\n\n## ", "---## ")  # separators glued to headings, as in scraped logs
    record = Record("", "entry", "The new one", "2026-01-03T12:00:00Z", EntryFields("Bug Fix"))
    assert _window(_log(old), record) is not None
    assert _window(glued, record) is None
