"""One reader per seed format family, kind detection, and the entry points `read_text` / `read_path`.

A reader is a function `(lines, path) -> Reading`. Families and the kinds they hold:

| family    | kinds                     | seed                          |
|-----------|---------------------------|-------------------------------|
| syslog    | entry                     | system-log-template.md        |
| incidents | incident                  | incidents.md                  |
| devlog    | context, decision, story  | devlog.md                     |
| adr       | decision                  | docs/adr/NNN-*.md             |
| changes   | change                    | blockers-changelog.md         |
| changelog | release                   | Keep a Changelog CHANGELOG.md |
| session   | session                   | session-progress.txt          |
| features  | feature                   | feature_list.json             |
| memory    | context, session, entry, story | memory-bank/*.md (Cline, Roo) |
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import re
from collections.abc import Callable

from whylog.markdown.dates import find_date
from whylog.markdown.document import Document, Reading, build_document
from whylog.markdown.names import family_by_name, is_index_name
from whylog.markdown.readers.general import FILE_LINK, is_example, read_records
from whylog.markdown.scan import Lines, load_parser, scan
from whylog.model import Kind, Record
from whylog.model.errors import ParseError

Reader = Callable[[Lines, str], Reading]

FAMILIES: dict[str, tuple[str, ...]] = {
    "syslog": ("entry",),
    "incidents": ("incident",),
    "devlog": ("context", "decision", "story"),
    "adr": ("decision",),
    "changes": ("change",),
    "changelog": ("release",),
    "session": ("session",),
    "features": ("feature",),
    "memory": ("context", "session", "entry", "story"),
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
    "release": "changelog",
}
MARKDOWN_FAMILIES = {"syslog", "incidents", "devlog", "adr", "changes", "changelog", "memory"}
# The kind the general reader gives a family's records when the family's own reader finds few or none.
GENERAL_KIND: dict[str, Kind] = {
    "syslog": "entry",
    "incidents": "incident",
    "devlog": "story",
    "adr": "decision",
    "changes": "change",
    "session": "session",
}

_SNIFFS: list[tuple[str, re.Pattern[str]]] = [
    ("incidents", re.compile(r"^\s*\*\*Incident ID:?\*\*", re.MULTILINE)),
    ("changes", re.compile(r"^#{1,3} (?:Change ?Log\b|Blocker \d+)", re.MULTILINE | re.IGNORECASE)),
    (
        "changelog",
        re.compile(
            r"^#{1,3} \[?(?:v?\d+\.\d+(?:\.\d+)*\b|Unreleased\])|^# (?:release notes|releases|history)\s*$",
            re.MULTILINE | re.IGNORECASE,
        ),
    ),
    ("adr", re.compile(r"^# (?:ADR|Architecture Decision)[- ]?\d+", re.MULTILINE | re.IGNORECASE)),
    ("devlog", re.compile(r"^#{2,3} (?:Current Context|Daily Log|\d{4}-\d{2}-\d{2}: )", re.MULTILINE)),
    ("session", re.compile(r"SESSION \d+ PROGRESS|^Session: \d+", re.MULTILINE | re.IGNORECASE)),
    ("syslog", re.compile(r"^(?:-{3})?#{1,4} \[?\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", re.MULTILINE)),
    ("syslog", re.compile(r"^\*\*Type:\*\*", re.MULTILINE)),
]


def detect_family(text: str, path: str = "") -> str | None:
    """The format family of a file: from its name and folder when they say (`markdown.names`), else from
    the first 64 KB of its text; None if neither tells."""
    by_name = family_by_name(path)
    if by_name is not None:
        return by_content(by_name, text)
    name = os.path.basename(path).lower()
    if name.endswith(".json"):
        return "features"
    head = text[:65536]
    if name.endswith(".txt") and ("=====" in head or "Session:" in head):
        return "session"
    for family, pattern in _SNIFFS:
        if pattern.search(head):
            return by_content(family, head)
    return None


def by_content(family: str, text: str) -> str:
    """A change-document file that holds a changelog of releases (`docs/changes/CHANGELOG.md`, a
    CHANGES.md with version headings) reads as a changelog, and a changelog-named file that is one
    `# Change Log: Title` document reads as a change document."""
    from whylog.markdown.readers.changelog import looks_like_changelog

    if family == "changes" and looks_like_changelog(text):
        return "changelog"
    if family == "changelog" and not looks_like_changelog(text) and _CHANGE_DOCUMENT.search(text[:65536]):
        return "changes"
    return family


_CHANGE_DOCUMENT = re.compile(r"^# Change ?-?Log\s*[:\-–—]\s*\S", re.MULTILINE | re.IGNORECASE)


def reader_for(family: str) -> Reader:
    module = importlib.import_module(f"whylog.markdown.readers.{family}")
    reader: Reader = module.read
    return reader


def load_readers() -> None:
    """Import every family's reader and the Markdown parser now: a process about to fork parsing workers
    calls this, so that each worker starts reading at once instead of importing them all again."""
    load_parser()
    for family in FAMILIES:
        reader_for(family)


def read_text(text: str, path: str = "<text>", kind: str | None = None) -> Document:
    """Read `text` as records. `kind` (a kind or a family name) skips detection."""
    family = None
    if kind is not None:
        family = kind if kind in FAMILIES else FAMILY_OF_KIND.get(kind)
        if family is None:
            raise ParseError(f"unknown kind {kind!r}; expected one of {', '.join(FAMILY_OF_KIND)}", path)
        if kind in FAMILIES:  # a family from the config's sources: the content may say it is the other one
            family = by_content(family, text)
    else:
        family = detect_family(text, path)
        if family is None:
            family = "syslog"
    markdown = family in MARKDOWN_FAMILIES or path.lower().endswith((".md", ".markdown"))
    lines = scan(text, path, markdown=markdown, repair=family != "features")
    if family != "memory" and _MEMORY_BANK.search(path.replace("\\", "/").lower()):
        template = _memory_template(lines, path)  # a decision log copied from the template and left empty
        if template is not None:
            return build_document(path, lines, family, template)
    if _is_index_page(family, path, text):
        return build_document(path, lines, family, Reading())
    reading = reader_for(family)(lines, path)
    undated = bool(reading.records) and not any(r.date for r in reading.records)
    if family in GENERAL_KIND and (undated or _open_lines(reading, lines)) and not _is_adr_index(family, path, reading):
        general_lines = lines if markdown or reading.records else scan(text, path, markdown=True)
        general = Reading()
        outside = _spans(reading) if reading.records and not undated else None
        read_records(general_lines, path, GENERAL_KIND[family], general, outside=outside)
        if undated and sum(1 for r in general.records if r.date) >= 2:
            lines, reading = general_lines, general  # a dated log its family's reader did not understand
        else:
            lines, reading = general_lines, _fill_gaps(reading, general, general_lines)
    reading.records = [_dated_by_first_line(r, lines) for r in reading.records]
    return build_document(path, lines, family, reading)


_MEMORY_BANK = re.compile(r"(?:^|/)memory[_-]?bank/")


def _memory_template(lines: Lines, path: str) -> Reading | None:
    from whylog.markdown.readers.common import read_front_matter
    from whylog.markdown.readers.memory import read_template

    reading = Reading()
    return reading if read_template(lines, path, read_front_matter(lines, path, reading), reading) else None


def _is_index_page(family: str, path: str, text: str) -> bool:
    """A README or index page in a folder of postmortems or change notes that links to two or more Markdown
    files (`general.FILE_LINK`): it lists the records, it is none of its own (its text is reported as
    unstructured, so search still finds it). A decision folder's index page is the ADR reader's
    (`_is_adr_index`)."""
    if family not in ("incidents", "changes") or not is_index_name(path):
        return False
    return len(FILE_LINK.findall(text, 0, 200_000)) >= 2


def _is_adr_index(family: str, path: str, reading: Reading) -> bool:
    """A README or index page in a decision folder that holds no decision: it lists the decisions (its
    links are to them), it is not a record of its own."""
    return family == "adr" and not reading.records and is_index_name(path)


def _dated_by_first_line(record: Record, lines: Lines) -> Record:
    """A record no reader dated whose first line (its heading or title line) shows a date takes it."""
    if record.date or record.source is None or record.source.start_line > len(lines):
        return record
    found = find_date(lines.line(record.source.start_line))
    return dataclasses.replace(record, date=found.iso) if found is not None else record


def _spans(reading: Reading) -> list[tuple[int, int]]:
    spans = [(r.source.start_line, r.source.end_line) for r in reading.records if r.source is not None]
    return sorted(spans + reading.claimed)


def _open_lines(reading: Reading, lines: Lines) -> bool:
    """Whether lines no record holds could start records: a heading below the title, or a dated line."""
    covered = [False] * (len(lines) + 1)
    for start, end in _spans(reading):
        for number in range(start, end + 1):
            covered[number] = True
    seen_title = False
    for number in range(1, len(lines) + 1):
        tag = lines.tags[number - 1]
        if covered[number] or tag in ("blank", "rule"):
            continue
        if tag == "heading" and not seen_title and lines.headings.get(number, (0, ""))[0] == 1:
            seen_title = True
            continue
        return True
    return False


def _fill_gaps(specific: Reading, general: Reading, lines: Lines) -> Reading:
    """The specific reader's records, plus the general reader's records that lie wholly outside them. A
    block the specific reader looked at and reported as text (a dated heading without the template's
    sections) is the general reader's record all the same, unless it is an example: under a line or a
    heading such as `Example:` or `## Template`. A file in which the specific reader found no record at
    all is not in its format: the general reader reads it."""
    if not specific.records:
        return general if general.records else specific
    taken = _spans(specific)
    declined = {d.source.start_line for d in specific.diagnostics if is_example(lines, d.source.start_line)}

    def free(start: int, end: int) -> bool:
        return all(end < first or start > last for first, last in taken)

    for record in general.records:
        source = record.source
        if source is not None and source.start_line not in declined and free(source.start_line, source.end_line):
            specific.records.append(record)
    specific.diagnostics += [d for d in general.diagnostics if free(d.source.start_line, d.source.start_line)]
    specific.claimed += [c for c in general.claimed if free(*c)]
    specific.records.sort(key=lambda r: r.source.start_line if r.source else 0)
    return specific


def read_bytes(data: bytes, path: str, kind: str | None = None) -> Document:
    """Read a file's bytes as records, whatever they hold: bytes that are not UTF-8, NUL bytes and lines
    too long are replaced (encoding.decode_damaged), and the document's diagnostics say where, so that
    `Document.damaged` holds and writers refuse it."""
    from whylog.markdown.encoding import decode_damaged

    decoded = decode_damaged(data, path)
    document = read_text(decoded.text, path, kind)
    if decoded.damage:
        document.diagnostics = sorted([*decoded.damage, *document.diagnostics], key=lambda d: d.source.start_line)
    return document


def read_path(path: str, kind: str | None = None, display: str | None = None) -> Document:
    """Read a file (through `read_bytes`: damage is replaced and reported, not raised); ParseError (with the
    path) for a missing file or a directory."""
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
    return read_bytes(data, shown, kind)
