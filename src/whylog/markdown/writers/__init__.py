"""Canonical writers: each kind rendered in the shape of its seed template, one module per family
(mirroring `readers/`).

`render(record)` returns the record's own lines (ending in a newline). `render_block(record)` adds the
separator the family puts between records, so `add` can splice it into a log as is. Each family module
has `WRITERS` (kind -> function returning the record's lines) and `SUFFIX` (kind -> separator text).
For every record the test generators make, reading `render(record)` back gives the same record.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from whylog.markdown.readers import FAMILY_OF_KIND
from whylog.model import Record


def _module(kind: str):  # type: ignore[no-untyped-def]
    family = FAMILY_OF_KIND.get(kind)
    if family is None:
        raise ValueError(f"no writer for kind {kind!r}")
    return importlib.import_module(f"whylog.markdown.writers.{family}")


def render(record: Record) -> str:
    writer: Callable[[Record], list[str]] = _module(record.kind).WRITERS[record.kind]
    return "".join(line + "\n" for line in writer(record))


def render_block(record: Record) -> str:
    """The record with the separator that follows it in a log."""
    suffix: str = _module(record.kind).SUFFIX.get(record.kind, "")
    return render(record) + suffix
