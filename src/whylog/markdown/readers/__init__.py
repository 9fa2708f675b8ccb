"""One reader per seed format family, kind detection, and the entry points `read_text` / `read_path`.

A reader is a function `(lines, path) -> Reading`. Families and the kinds they hold:

| family    | kinds                     | seed                          |
|-----------|---------------------------|-------------------------------|
| syslog    | entry                     | system-log-template.md        |
| incidents | incident                  | incidents.md                  |
| devlog    | context, decision, story  | devlog.md                     |
| adr       | decision                  | docs/adr/NNN-*.md             |
| changes   | change                    | blockers-changelog.md         |
| session   | session                   | session-progress.txt          |
| features  | feature                   | feature_list.json             |
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable

from whylog.errors import ParseError
from whylog.markdown.document import Document, Reading, build_document
from whylog.markdown.scan import Lines, decode, scan

Reader = Callable[[Lines, str], Reading]

FAMILIES: dict[str, tuple[str, ...]] = {
    "syslog": ("entry",),
    "incidents": ("incident",),
    "devlog": ("context", "decision", "story"),
    "adr": ("decision",),
    "changes": ("change",),
    "session": ("session",),
    "features": ("feature",),
}
FAMILY_OF_KIND = {
    "entry": "syslog",
    "incident": "incidents",
    "context": "devlog",
    "story": "devlog",
    "decision": "adr",
    "change": "changes",
    "session": "session",
    "feature": "features",
}
MARKDOWN_FAMILIES = {"syslog", "incidents", "devlog", "adr", "changes"}

_SNIFFS: list[tuple[str, re.Pattern[str]]] = [
    ("incidents", re.compile(r"^\s*\*\*Incident ID:?\*\*", re.MULTILINE)),
    ("changes", re.compile(r"^#{1,3} (?:Change ?Log\b|Blocker \d+)", re.MULTILINE | re.IGNORECASE)),
    ("adr", re.compile(r"^# (?:ADR|Architecture Decision)[- ]?\d+", re.MULTILINE | re.IGNORECASE)),
    ("devlog", re.compile(r"^#{2,3} (?:Current Context|Daily Log|\d{4}-\d{2}-\d{2}: )", re.MULTILINE)),
    ("session", re.compile(r"SESSION \d+ PROGRESS|^Session: \d+", re.MULTILINE | re.IGNORECASE)),
    ("syslog", re.compile(r"^(?:-{3})?#{1,4} \[?\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", re.MULTILINE)),
    ("syslog", re.compile(r"^\*\*Type:\*\*", re.MULTILINE)),
]


def detect_family(text: str, path: str = "") -> str | None:
    """The format family of a file, from its name and the first 64 KB of its text; None if unknown."""
    name = os.path.basename(path).lower()
    if name.endswith(".json"):
        return "features"
    head = text[:65536]
    if name.endswith(".txt") and ("=====" in head or "Session:" in head):
        return "session"
    for family, pattern in _SNIFFS:
        if pattern.search(head):
            return family
    if name.startswith("system_log"):
        return "syslog"
    if name.startswith("incident"):
        return "incidents"
    if name.startswith("devlog"):
        return "devlog"
    return None


def reader_for(family: str) -> Reader:
    module = importlib.import_module(f"whylog.markdown.readers.{family}")
    reader: Reader = module.read
    return reader


def read_text(text: str, path: str = "<text>", kind: str | None = None) -> Document:
    """Read `text` as records. `kind` (a kind or a family name) skips detection."""
    family = None
    if kind is not None:
        family = kind if kind in FAMILIES else FAMILY_OF_KIND.get(kind)
        if family is None:
            raise ParseError(f"unknown kind {kind!r}; expected one of {', '.join(FAMILY_OF_KIND)}", path)
    else:
        family = detect_family(text, path)
        if family is None:
            family = "syslog"
    lines = scan(text, path, markdown=family in MARKDOWN_FAMILIES)
    reading = reader_for(family)(lines, path)
    return build_document(path, lines, family, reading)


def read_path(path: str, kind: str | None = None, display: str | None = None) -> Document:
    """Read a file; ParseError (with the path) for a missing file, a directory, or binary bytes."""
    shown = display or path
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ParseError("no such file", shown) from None
    except IsADirectoryError:
        raise ParseError("is a directory; expected a record file", shown) from None
    except PermissionError:
        raise ParseError("permission denied", shown) from None
    return read_text(decode(data, shown), shown, kind)
