"""Items added to a changelog's `## [Unreleased]` section, in Keep a Changelog style.

Each new item goes after the last item of its change type's sub-heading (`### Added`), matched in any
letter case; a type the section does not have yet gets a sub-heading of its own at the section's end, at
the level its other sub-headings use (one below the section's heading otherwise). Items take the list
marker the section (else the file) already uses. Only new lines are inserted: no existing line changes. The caller
checks that the file then reads as before but for the section, which holds its old items and the new.
"""

from __future__ import annotations

import re

from whylog.markdown.document import Document
from whylog.markdown.readers import read_text
from whylog.markdown.readers.changelog import BOLD_TYPE, issues_of, type_name
from whylog.markdown.scan import Lines
from whylog.markdown.window import READ_FIELDS
from whylog.markdown.writers.changelog import KEEP_A_CHANGELOG
from whylog.model import Record, ReleaseFields
from whylog.model.errors import WriteError

_MARKER = re.compile(r"^\s{0,3}([-*+])\s+\S")


def merged(old: dict[str, tuple[str, ...]], new: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The section's changes once the new items are in: each under the type written as the section
    writes it (`fixed` joins `### Fixed`), new types last."""
    out = dict(old)
    names = {name.lower(): name for name in old}
    for given, items in new.items():
        name = KEEP_A_CHANGELOG.get(given.lower(), given)
        key = names.get(name.lower(), name)
        out[key] = out.get(key, ()) + tuple(items)
    return out


def add_to_unreleased(document: Document, record: Record) -> tuple[str, Record]:
    """The document's text with `record`'s items added to its Unreleased section, and that section as
    it reads back; WriteError when anything else would read differently."""
    fields = record.fields
    assert isinstance(fields, ReleaseFields)
    section = next(r for r in document.records if r.id == "REL-unreleased" and r.source is not None)
    assert section.source is not None and isinstance(section.fields, ReleaseFields)
    lines = document.lines
    start, end = section.source.start_line, section.source.end_line
    parts = _parts(lines, start, end)
    ordered = [*range(start, len(lines) + 1), *range(1, start)]  # the section's own marker first, else the file's
    marker = next((m.group(1) for n in ordered if lines.tag(n) == "text" and (m := _MARKER.match(lines.line(n)))), "-")
    level = lines.headings[start][0] if start in lines.headings else 2
    sub_level = min((lines.headings[n][0] for n, _, _ in parts[1:] if n in lines.headings), default=level + 1)
    inserts: dict[int, list[str]] = {}  # after this line: these lines
    new_types: list[str] = []  # after the section's last line, once the items of its last type
    for given, items in fields.changes.items():
        name = KEEP_A_CHANGELOG.get(given.lower(), given)
        block = [
            f"{marker} {line}" if i == 0 else f"  {line}" for item in items for i, line in enumerate(item.split("\n"))
        ]
        found = next((last for _n, part, last in parts if part.lower() == name.lower()), None)
        if found is not None:
            inserts.setdefault(found, []).extend(block)
        else:
            new_types += ["", f"{'#' * sub_level} {name}", "", *block]
    if new_types:
        inserts.setdefault(end, []).extend(new_types)
    text = _spliced(document, inserts)
    expected = ReleaseFields(
        section.fields.version,
        section.fields.yanked,
        merged(section.fields.changes, fields.changes),
        section.fields.compare,
    )
    return text, _read_back(document, text, section, expected)


def _parts(lines: Lines, start: int, end: int) -> list[tuple[int, str, int]]:
    """(line, change type as written, the type's last non-blank line) for each sub-heading or bold
    type line of the section; the part before any of them is named ""."""
    out: list[tuple[int, str, int]] = [(start, "", start)]
    for number in range(start + 1, end + 1):
        tag = lines.tag(number)
        bold = BOLD_TYPE.match(lines.line(number)) if tag == "text" else None
        if tag == "heading" and number in lines.headings:
            out.append((number, type_name(lines.headings[number][1]), number))
        elif bold is not None:
            out.append((number, type_name(bold.group(1) or bold.group(2)), number))
        elif tag not in ("blank", "rule"):
            out[-1] = (out[-1][0], out[-1][1], number)
    return out


def _spliced(document: Document, inserts: dict[int, list[str]]) -> str:
    newline = document.newline
    out: list[str] = []
    for number, line in enumerate(document.lines.lines, start=1):
        out.append(line)
        if number in inserts:
            if not line.endswith(("\n", "\r")):
                out[-1] = line + newline
            out += [text + newline for text in inserts[number]]
    return "".join(out)


def _read_back(document: Document, text: str, section: Record, expected: ReleaseFields) -> Record:
    after = read_text(text, document.path, document.family).records
    before = document.records
    same = len(after) == len(before) and all(
        all(getattr(a, name) == getattr(b, name) for name in READ_FIELDS)
        for a, b in zip(before, after, strict=True)
        if a.id != "REL-unreleased"
    )
    written = next((r for r in after if r.id == "REL-unreleased"), None)
    if not same or written is None or written.fields != _with_issues(expected):
        raise WriteError(
            "the items would not read back under [Unreleased] as given; nothing was written",
            document.path,
            hint="check the Unreleased section with `whylog parse`",
        )
    return written


def _with_issues(expected: ReleaseFields) -> ReleaseFields:
    items = [item for values in expected.changes.values() for item in values]
    return ReleaseFields(expected.version, expected.yanked, expected.changes, expected.compare, issues_of(items))
