"""File lists inside a record (`**Files Modified**:`, FILES CREATED/MODIFIED): items that name a path.

In a list that is known to hold files, a bare name such as `Dockerfile`, `Makefile` or `.gitattributes` is a
path too,
although `values.read_file_ref` would not take it for one in prose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from whylog.markdown.document import Reading, diagnostic
from whylog.markdown.scan import Lines
from whylog.markdown.values import iter_items, read_file_ref
from whylog.model import FileRef

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def read_listed_file(text: str) -> FileRef | None:
    """A FileRef from one item of a file list, or None when the item does not start with a path."""
    ref = read_file_ref(text)
    if ref is not None:
        return ref
    text = text.strip()
    quoted = text.startswith("`") and "`" in text[1:]
    name = text[1 : text.index("`", 1)] if quoted else text.split(" ")[0]
    rest = text[len(name) + (2 if quoted else 0) :].strip()
    dotfile = name[:1] == "." and name[1:2].isalnum()  # .gitattributes, .env.example
    if not (name[:1].isalnum() or dotfile) or not set(name) <= _NAME_CHARS:
        return None
    if rest and not rest.startswith(("(", "- ", "– ", "— ")):
        return None
    ref = read_file_ref(f"./{name} {rest}")
    return dataclasses.replace(ref, path=name) if ref is not None else None


def read_file_list(
    lines: Lines, numbers: Iterable[int], path: str, reading: Reading, code: str, hint: str
) -> list[FileRef]:
    """The files of a list such as **Affected Files:**; `- None (...)` means none, and an item that is
    not a path is reported with `code` and left out."""
    refs: list[FileRef] = []
    for item in iter_items(lines, numbers):
        if lines.tag(item.line) != "text" or item.text.lower().startswith(("none", "n/a")):
            continue
        ref = read_listed_file(item.text)
        if ref is None:
            message = f"file list item {item.text!r} is not a path"
            reading.diagnostics.append(diagnostic(code, message, path, item.line, hint))
            continue
        refs.append(ref)
    return refs
