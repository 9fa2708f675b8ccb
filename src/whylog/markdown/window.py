"""Reading back a record inserted into a long file by reading only the lines around it.

`whylog add` checks that the file it writes reads as the old records plus exactly the new one. Reading the
whole file again costs as much as the first read; this reads the window from the record before the
insertion to the second record after it, as it was and as it will be, when its edges are places where a
CommonMark parser starts afresh: a line starting with `#` that the first read found a heading is a
top-level heading whatever came before it (fences and HTML blocks aside, which the first read would have
tagged), and everything after such a line parses the same whatever came before it. So when the window's
old lines read as the first read found them, and its new lines read as those records plus one, with the
record after the window still starting where it should, the whole new file reads that way too. Anything
else (a window that does not read alike, a record sharing the new one's id, a family whose records are not
in file order) gives None, and the caller reads the whole file.
"""

from __future__ import annotations

import dataclasses

from whylog.markdown.document import Document, is_newest_first
from whylog.markdown.readers import read_text
from whylog.markdown.scan import Lines
from whylog.model import Record, Source

# Families whose records come out of the reader in file order and carry their id in their own text.
WINDOWED_FAMILIES = ("syslog", "incidents")
READ_FIELDS = tuple(f.name for f in dataclasses.fields(Record) if f.name != "source")  # how a record reads
_COMPARED = tuple(name for name in READ_FIELDS if name != "id")  # a window can split records sharing an id


def read_inserted(document: Document, index: int, block: str, record: Record) -> Record | None:
    """The record `block` holds, inserted before 0-based line `index`, as the whole new file would read it
    (its source in the new file's numbering), when reading the window shows that every other record reads
    as before; None when the window cannot tell (the caller then reads the whole new file)."""
    lines = document.lines
    records = sorted((r for r in document.records if r.source is not None), key=_start)
    if document.family not in WINDOWED_FAMILIES or _shares_id(document.records, record.id):
        return None
    before = [r for r in records if _end(r) <= index]
    after = [r for r in records if _start(r) > index]
    if len(before) + len(after) != len(records) or _turns(records, before, after, record):
        return None
    start = _start(before[-1]) if before else 1
    end = _start(after[1]) if len(after) > 1 else len(lines) + 1  # the first line after the window
    if not all(_fresh_start(document.lines, r) for r in (*before[-1:], *after[:1])):
        return None
    old_text = "".join(lines.lines[start - 1 : end - 1])
    new_text = "".join(lines.lines[start - 1 : index]) + block + "".join(lines.lines[index : end - 1])
    old = read_text(old_text, document.path, document.family).records
    new_document = read_text(new_text, document.path, document.family)
    new = new_document.records
    inside = [r for r in records if start <= _start(r) < end]
    if len(old) != len(inside) or not all(_alike(a, b, start - 1) for a, b in zip(old, inside, strict=True)):
        return None
    at = inserted_at(old, new, _COMPARED)
    if at is None:
        return None
    if after and not _fresh_start(new_document.lines, new[-1]):  # the record after the block starts afresh
        return None
    return _moved(new[at], start - 1, document.path)


def _start(record: Record) -> int:
    assert record.source is not None
    return record.source.start_line


def _end(record: Record) -> int:
    assert record.source is not None
    return record.source.end_line


def _shares_id(records: list[Record], new_id: str) -> bool:
    """Whether another record has the new one's id, or that id with a suffix (then ids may shift)."""
    return any(r.id == new_id or r.id.startswith(new_id + "-") for r in records)


def _turns(records: list[Record], before: list[Record], after: list[Record], record: Record) -> bool:
    """Whether the new record changes which way the file runs (which decides the suffixes of shared ids)."""
    with_new = [*before, dataclasses.replace(record, source=None), *after]
    return is_newest_first(records) != is_newest_first(with_new)


def _fresh_start(lines: Lines, record: Record) -> bool:
    """Whether the record starts on a heading at the left margin, where the parser starts afresh."""
    number = _start(record)
    return lines.tag(number) == "heading" and lines.lines[number - 1].startswith("#")


def _alike(window: Record, whole: Record, offset: int) -> bool:
    """Whether a record of the window reads as the first read found it, ids aside (a window can split a
    group of records sharing an id), at the same lines."""
    same_lines = _start(window) + offset == _start(whole) and _end(window) + offset == _end(whole)
    return same_lines and _same(window, whole, _COMPARED)


def inserted_at(old: list[Record], new: list[Record], fields: tuple[str, ...] = READ_FIELDS) -> int | None:
    """Where `new` holds one record more than `old`, the others reading alike (in `fields`) in the same
    order; None when it does not. One pass in order, no lookups."""
    if len(new) != len(old) + 1:
        return None
    at = next((n for n, (a, b) in enumerate(zip(old, new, strict=False)) if not _same(a, b, fields)), len(old))
    return at if all(_same(a, b, fields) for a, b in zip(old[at:], new[at + 1 :], strict=True)) else None


def _same(a: Record, b: Record, fields: tuple[str, ...]) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in fields)


def _moved(record: Record, offset: int, path: str) -> Record:
    assert record.source is not None
    source = Source(path, record.source.start_line + offset, record.source.end_line + offset)
    return dataclasses.replace(record, source=source)
