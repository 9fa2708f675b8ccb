"""Change documents (docs/changes/*.md), in the shape of blockers-changelog.md, and change notes in
every other shape (`readers.change_notes`).

One record per file: it starts at the `# Change Log: Title` heading and runs to the end of the file.
The `##` sections give the date, author, summary, testing, next steps and related changes; every
`### Blocker N: <mark> Title` heading (anywhere, also under "Remaining Blockers") is one item, whose
bold labels give its status, its file lists and its other sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whylog.markdown.document import Reading, diagnostic
from whylog.markdown.readers.code import iter_code_blocks
from whylog.markdown.readers.common import read_front_matter, read_links, record_end
from whylog.markdown.readers.files import read_file_list
from whylog.markdown.scan import Lines
from whylog.markdown.values import (
    iter_items,
    match_label,
    norm,
    read_date,
    read_mark,
    read_percent,
    slug,
    strip_emphasis,
)
from whylog.model import (
    BLOCKER_STATUSES,
    BlockerItem,
    Change,
    ChangeFields,
    FileRef,
    Readiness,
    Record,
    Source,
    TestRun,
)

TITLE_PREFIXES = ("change log", "changelog", "change-log")
_BLOCKER = re.compile(r"^Blocker\s+(\d{1,4})\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)

# `**Files Modified**:` and its spellings -> the change of the files listed under it.
FILE_LABELS: dict[str, Change] = {
    "files modified": "modified",
    "modified files": "modified",
    "files changed": "modified",
    "changed files": "modified",
    "files": "modified",
    "files created": "new",
    "created files": "new",
    "new files": "new",
    "files added": "new",
    "files verified": "unchanged",
    "verified files": "unchanged",
    "files deleted": "deleted",
    "deleted files": "deleted",
    "files removed": "deleted",
}
# The document's `## Section` headings and their spellings.
SECTIONS = {
    "date": "date",
    "author": "author",
    "authors": "author",
    "summary": "summary",
    "testing": "testing",
    "tests": "testing",
    "test results": "testing",
    "next steps": "next_steps",
    "next": "next_steps",
    "follow-up": "next_steps",
    "related changes": "related",
    "related": "related",
    "references": "related",
}
_PREAMBLE = {"date": "date", "author": "author"}
_READINESS = {"before": "before", "after": "after"}
_RESULTS = {"results": "results", "result": "results", "output": "results"}


@dataclass(slots=True)
class Part:
    """A labelled part of a blocker item: a `**Label**:` line or a heading, and the lines below it."""

    label: str
    line: int
    inline: str = ""
    body: list[int] = field(default_factory=list)


def change_id(date: str, title: str) -> str:
    """`CHG-2025-12-15-production-blockers-resolved-week-1-2-complete`."""
    return f"CHG-{date[:10]}-{slug(title)}" if date else f"CHG-{slug(title)}"


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    first = read_front_matter(lines, path, reading)
    start = _find_title(lines, first)
    if start is None:
        from whylog.markdown.readers.change_notes import read_note

        note = read_note(lines, path, first, reading)
        if note is not None:
            reading.records.append(note)
            return reading
        reading.diagnostics.append(
            diagnostic(
                "PRS063",
                "no `# Change Log: Title` heading; the file is read as text",
                path,
                first if first <= len(lines) else 1,
                "a change document starts with `# Change Log: <what changed>`",
            )
        )
        return reading
    end = start
    for number in range(start, len(lines) + 1):
        if lines.tag(number) != "blank":
            end = number
    reading.records.append(_read_change(lines, path, start, end, reading))
    return reading


def _find_title(lines: Lines, first: int) -> int | None:
    for number in sorted(lines.headings):
        level, text = lines.headings[number]
        if number >= first and level == 1 and text.lower().startswith(TITLE_PREFIXES) and title_of(text):
            return number  # a bare `# Changelog` titles a changelog of releases, not one change document
    return None


def title_of(heading: str) -> str:
    lower = heading.lower()
    for prefix in TITLE_PREFIXES:
        if lower.startswith(prefix):
            return heading[len(prefix) :].lstrip(" :-–—").strip()
    return heading.strip()


def _read_change(lines: Lines, path: str, start: int, end: int, reading: Reading) -> Record:
    title = title_of(lines.headings[start][1])
    sections = _top_sections(lines, start, end)
    preamble = _preamble(lines, start, end)
    date_text = text_of(lines, sections["date"]) if "date" in sections else preamble.get("date", "")
    date = read_date(date_text) or ""
    if not date:
        reading.diagnostics.append(
            diagnostic(
                "PRS066",
                f"change document has no readable date ({date_text!r})" if date_text else "change document has no date",
                path,
                start,
                "write the day under `## Date` as YYYY-MM-DD",
            )
        )
    author = text_of(lines, sections["author"]) if "author" in sections else preamble.get("author", "")
    items, item_spans = _read_items(lines, path, start, end, reading)
    fields = ChangeFields(
        author=author,
        summary=text_of(lines, sections.get("summary", [])),
        items=items,
        testing=_read_testing(lines, sections.get("testing", [])),
        readiness=_read_readiness(lines, start, end, item_spans),
        next_steps=text_of(lines, sections.get("next_steps", [])),
    )
    links = read_links(iter_items(lines, content(lines, sections["related"]))) if "related" in sections else ()
    return Record(
        id=change_id(date, title),
        kind="change",
        title=title,
        date=date,
        fields=fields,
        files=_unique_files(items),
        links=links,
        source=Source(path, start, end),
    )


def _top_sections(lines: Lines, start: int, end: int) -> dict[str, list[int]]:
    """Known `##` sections: body lines up to the next heading of level 2 or above (first one wins)."""
    out: dict[str, list[int]] = {}
    current: list[int] | None = None
    for number in range(start + 1, end + 1):
        heading = lines.headings.get(number) if lines.tag(number) == "heading" else None
        if heading is not None and heading[0] <= 2:
            key = SECTIONS.get(norm(heading[1]))
            current = None if key is None or key in out else out.setdefault(key, [])
            continue
        if current is not None:
            current.append(number)
    return out


def _preamble(lines: Lines, start: int, end: int) -> dict[str, str]:
    """`**Date**: ...` and `**Author**: ...` lines between the title and the first section."""
    found: dict[str, str] = {}
    for number in range(start + 1, end + 1):
        if lines.tag(number) == "heading":
            break
        label = match_label(lines.line(number), _PREAMBLE) if lines.tag(number) == "text" else None
        if label is not None:
            found.setdefault(_PREAMBLE[norm(label[0])], strip_emphasis(label[1]))
    return found


def text_of(lines: Lines, numbers: list[int]) -> str:
    """Lines as written, without blank lines and separators at either end."""
    kept = list(numbers)
    while kept and lines.tag(kept[0]) in ("blank", "rule"):
        kept.pop(0)
    while kept and lines.tag(kept[-1]) in ("blank", "rule"):
        kept.pop()
    return "\n".join(lines.line(n) for n in kept)


def content(lines: Lines, numbers: list[int]) -> list[int]:
    """The lines that can hold list items: separators are layout, not a list item's last line."""
    return [n for n in numbers if lines.tag(n) != "rule"]


def _unique_files(items: tuple[BlockerItem, ...]) -> tuple[FileRef, ...]:
    seen: dict[str, FileRef] = {}
    for item in items:
        for ref in item.files:
            seen.setdefault(ref.path, ref)
    return tuple(seen.values())


# --- blocker items -------------------------------------------------------------------------------


def _read_items(
    lines: Lines, path: str, start: int, end: int, reading: Reading
) -> tuple[tuple[BlockerItem, ...], list[tuple[int, int]]]:
    items: list[BlockerItem] = []
    spans: list[tuple[int, int]] = []
    for number in sorted(lines.headings):
        if not start < number <= end:
            continue
        level, text = lines.headings[number]
        match = _BLOCKER.match(text)
        if match is None or level < 2:
            continue
        last = record_end(lines, number, level, limit=end)
        spans.append((number, last))
        _, _, title = read_mark(match.group(2))
        items.append(_read_item(lines, path, int(match.group(1)), title, number, last, reading))
    return tuple(items), spans


def _read_item(lines: Lines, path: str, number: int, title: str, start: int, end: int, reading: Reading) -> BlockerItem:
    status, note = "", ""
    files: list[FileRef] = []
    sections: dict[str, str] = {}
    for part in iter_parts(lines, start, end):
        key = norm(part.label)
        if key == "status" and not status:
            status, note = _read_status(part.inline, path, part.line, reading)
        elif key in FILE_LABELS:
            files += _read_files(lines, path, part, FILE_LABELS[key], reading)
        else:
            text = "\n".join(t for t in (part.inline, text_of(lines, part.body)) if t)
            if not text and not part.label:
                continue
            sections[part.label] = f"{sections[part.label]}\n\n{text}" if part.label in sections else text
    return BlockerItem(number, title, status, note, tuple(files), sections)


def iter_parts(lines: Lines, start: int, end: int) -> list[Part]:
    """The item's lines split at `**Label**:` lines (not indented, not in a list) and at headings.
    Lines before the first label form a part with the label ""."""
    parts = [Part("", start)]
    for number in range(start + 1, end + 1):
        tag = lines.tag(number)
        if tag == "heading" and number in lines.headings:
            parts.append(Part(lines.headings[number][1], number))
            continue
        found = bold_label(lines.line(number)) if tag == "text" else None
        if found is not None:
            parts.append(Part(found[0], number, found[1]))
        else:
            parts[-1].body.append(number)
    return parts


def bold_label(line: str) -> tuple[str, str] | None:
    """`(label, rest)` for `**Label**: rest` or `**Label:** rest`, and for `**Label** (note):`."""
    if not line.startswith("**"):
        return None
    found = match_label(line, None)
    if found is not None:
        return found
    stripped = line.rstrip()
    if stripped.endswith(":") and stripped.find("**", 2) > 2:
        return strip_emphasis(stripped[:-1]), ""
    return None


def _read_status(text: str, path: str, line: int, reading: Reading) -> tuple[str, str]:
    """`**RESOLVED** - note` -> ("RESOLVED", "note")."""
    text = text.strip()
    if text.startswith("**") and text.find("**", 2) > 2:
        close = text.find("**", 2)
        status, rest = text[2:close].strip(), text[close + 2 :]
    else:
        status, sep, rest = text.partition(" - ")
        status = status.strip()
    note = rest.strip().lstrip("-–—:").strip()
    if status.upper() in BLOCKER_STATUSES:
        return status.upper(), note
    reading.diagnostics.append(
        diagnostic(
            "PRS064",
            f"blocker status {status!r} is not one of {', '.join(BLOCKER_STATUSES)}",
            path,
            line,
            "write it as `**Status**: **RESOLVED** - note`",
        )
    )
    return status, note


def _read_files(lines: Lines, path: str, part: Part, change: Change, reading: Reading) -> list[FileRef]:
    hint = f"under {part.label!r}, write each file as - `/path/to/file` - what changed"
    refs = read_file_list(lines, content(lines, part.body), path, reading, "PRS065", hint)
    return [
        FileRef(r.path, r.lines, change, r.note) if change != "modified" or r.change == "modified" else r for r in refs
    ]


# --- testing and readiness -----------------------------------------------------------------------


def _read_testing(lines: Lines, numbers: list[int]) -> tuple[TestRun, ...]:
    """One TestRun per heading under `## Testing` (name = the heading as written), with the command
    from its first code block and the results from the code block under `**Results**:`."""
    runs: list[tuple[str, list[int]]] = [("", [])]
    for number in numbers:
        if lines.tag(number) == "heading" and number in lines.headings:
            runs.append((lines.headings[number][1], []))
        else:
            runs[-1][1].append(number)
    out = [_read_run(lines, name, body) for name, body in runs]
    return tuple(run for run in out if run.name or run.command or run.results)


def _read_run(lines: Lines, name: str, body: list[int]) -> TestRun:
    label_line, inline = 0, ""
    for number in body:
        found = match_label(lines.line(number), _RESULTS) if lines.tag(number) == "text" else None
        if found is not None:
            label_line, inline = number, found[1]
            break
    blocks = iter_code_blocks(lines, body)
    results_block = next((b for b in blocks if label_line and b.start > label_line), None)
    command = next((b for b in blocks if b is not results_block and (not label_line or b.start < label_line)), None)
    results = inline or (results_block.text if results_block is not None else "")
    return TestRun(name, command.text if command is not None else "", results)


def _read_readiness(lines: Lines, start: int, end: int, items: list[tuple[int, int]]) -> Readiness | None:
    """`**Before**: 30% ready` and `**After**: 70% ready`, outside the blocker items."""
    inside = {n for first, last in items for n in range(first, last + 1)}
    found: dict[str, int] = {}
    for number in range(start + 1, end + 1):
        if number in inside or lines.tag(number) != "text":
            continue
        label = match_label(lines.line(number), _READINESS)
        percent = read_percent(strip_emphasis(label[1])) if label is not None else None
        if label is not None and percent is not None:
            found.setdefault(_READINESS[norm(label[0])], percent[0])
    if not found:
        return None
    return Readiness(found.get("before"), found.get("after"))
