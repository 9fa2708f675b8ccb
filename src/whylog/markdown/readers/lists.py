"""Lists inside a record, shared by the incidents, devlog and ADR readers: bullets or prose, labelled
bullets (`- **Label:** value`), backticked paths, and the line span of each list item.

Everything here works on a record's own lines or on one item's text, never on a whole file.
"""

from __future__ import annotations

import re

from whylog.markdown.scan import Lines
from whylog.markdown.values import (
    Item,
    Section,
    item_text,
    iter_items,
    looks_like_path,
    match_label,
    read_file_ref,
)
from whylog.model import FileRef

_MARKER = re.compile(r"^\s{0,3}(?:[-*+•]|\d{1,4}[.)])(?:\s|$)")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_NOT_PATH = re.compile(r"[()=<>,;:'\"\s]|^-|^v?[\d.]+$")


def is_list_item(line: str) -> bool:
    """True when `line` starts with a bullet or an ordered-list marker."""
    return _MARKER.match(line) is not None


def read_list(lines: Lines, section: Section | None) -> tuple[str, ...]:
    """A section's bullets as a tuple of texts; prose instead of bullets is one element. Text written
    on the label's own line comes first."""
    if section is None:
        return ()
    body = [n for n in section.body if lines.line(n).strip()]
    if body and lines.tag(body[0]) == "text" and is_list_item(lines.line(body[0])):
        items = [item_text(i) for i in iter_items(lines, section.body)]
        return tuple(([section.inline] if section.inline else []) + [t for t in items if t])
    text = section.text(lines)
    return (text,) if text else ()


def read_labelled(text: str) -> tuple[str, str] | None:
    """`(label, value)` from an item's text `**Label:** value`; None when it has no bold label."""
    found = match_label(text, None)
    if found is None or not found[0]:
        return None
    return found


def item_spans(lines: Lines, items: list[Item], last: int) -> list[tuple[int, int]]:
    """The first and last non-blank line of each item; an item runs until the next one, or `last`."""
    spans = []
    for index, item in enumerate(items):
        stop = items[index + 1].line - 1 if index + 1 < len(items) else last
        end = item.line
        for number in range(item.line, stop + 1):
            if lines.line(number).strip():
                end = number
        spans.append((item.line, end))
    return spans


def is_mentioned_path(text: str) -> bool:
    """A backticked word that names a file: `backend/app/database.py`, not `pool_size` or `f(x)`."""
    if not looks_like_path(text) or _NOT_PATH.search(text) is not None:
        return False
    # Without a folder, `name.ext` needs a short extension: `pyproject.toml`, not `Document.insert`.
    extension = text.rsplit(".", 1)[-1]
    return "/" in text or (extension.isalnum() and len(extension) <= 5)


def read_mentioned_files(texts: tuple[str, ...]) -> tuple[FileRef, ...]:
    """Files named in backticks in running text, with a `(lines X-Y)` right after them; each path once."""
    seen: dict[str, FileRef] = {}
    for text in texts:
        for match in _CODE_SPAN.finditer(text):
            path = match.group(1).strip()
            if path in seen or not is_mentioned_path(path):
                continue
            ref = read_file_ref(text[match.start() :])
            lines = ref.lines if ref is not None and ref.path == path else ()
            seen[path] = FileRef(path, lines)
    return tuple(seen.values())


def read_file_list(text: str) -> tuple[FileRef, ...]:
    """`` `a.py` (lines 3-5), `Dockerfile`, `src/auth/*.py` `` as file references, in order. Without
    backticks the text is read as a comma-separated list of paths."""
    spans = list(_CODE_SPAN.finditer(text))
    refs: list[FileRef] = []
    if not spans:
        for part in text.split(","):
            ref = read_file_ref(part)
            if ref is not None:
                refs.append(ref)
        return tuple(refs)
    for index, match in enumerate(spans):
        stop = spans[index + 1].start() if index + 1 < len(spans) else len(text)
        path = match.group(1).strip()
        after = text[match.end() : stop].strip(" ,;")
        ref = read_file_ref(f"`{path}` {after}") if looks_like_path(path) else None
        refs.append(ref if ref is not None else FileRef(path, note=after.strip("()")))
    return tuple(refs)
