"""Session progress notes (progress/session-NNN.txt), in the shape of session-progress.txt.

A plain-text format, read line by line: `====` banner lines around UPPERCASE section titles, the first
banner being `PROJECT - SESSION N PROGRESS SUMMARY` followed by `Date:`, `Session:`, `Agent Role:` and
`Status:` lines. The same sections written as Markdown headings (`# PROJECT - SESSION N ...`, then
`## Accomplishments`, ...) in a .md note read the same way. One record per file; its span is the file.

A plain-text log of sessions (`=== Session: 2026-02-01 (Session 194) ===` banners, repeated dated
`=== Verification #13 (...) ===` blocks) gives a session per banner. A Markdown log of sessions (`## Session
12 - 2026-03-01`, dated `###` headings in a HANDOFF.md) is left to the general reader, which cuts it at its
dated headings and keeps every section.
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass, field

from whylog.markdown.dates import find_date
from whylog.markdown.document import Reading, assign_ids, diagnostic, is_newest_first
from whylog.markdown.readers.files import read_listed_file
from whylog.markdown.readers.progress import count_in
from whylog.markdown.scan import Lines
from whylog.markdown.values import match_label, norm, read_date, read_mark, slug
from whylog.model import (
    EnvironmentItem,
    FeatureCount,
    FileRef,
    KnownIssue,
    Record,
    SessionFields,
    Source,
    StorySection,
    VerificationCheck,
)

_TITLE = re.compile(r"^(.*?)[\s\-–—:]*\bSESSION\s+(\d{1,6})\b", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_MARKER = re.compile(r"^(?:[-*+•]|\d{1,4}[.)])\s+")
_BAD_MARKS = ("❌", "⚠️", "⚠", "✗")
_TRAILING_MARKS = ("✅", "✔️", "✔", "❌", "⚠️", "⚠", "✗")

SECTIONS = {
    "accomplishments": "accomplishments",
    "verification tests performed": "verification",
    "verification tests": "verification",
    "verification": "verification",
    "next session priorities": "next",
    "next session": "next",
    "next steps": "next",
    "known issues / technical debt": "known_issues",
    "known issues": "known_issues",
    "technical debt": "known_issues",
    "environment status": "environment",
    "environment": "environment",
    "lessons learned": "lessons",
    "lessons": "lessons",
    "commands for next session": "commands",
    "commands": "commands",
    "files created/modified": "files",
    "files created / modified": "files",
    "files modified": "files",
    "files changed": "files",
    "files": "files",
}
HEADER = {"date": "date", "session": "session", "agent role": "role", "role": "role", "status": "status"}
HEADER.update({"next": "next", "next steps": "next", "project": "project"})
_COUNTED = ("success metrics",)  # read for the feature count, which is looked for in the whole note
_SESSION_HEAD = re.compile(r"\bsession\s*(?:[:#]\s*)?\d", re.IGNORECASE)  # `Session 194`, `SESSION: 2026-02-01`
_BANNER = re.compile(r"^\s*([=═-])\1{2,}\s*(\S.*?)\s*\1{3,}\s*$")  # `=== Session: ... ===`, `--- SESSION: ... ---`
_BARS = frozenset("=═━")


@dataclass(slots=True)
class Part:
    """A banner or heading title and the lines under it (blank lines included, banners left out)."""

    title: str
    line: int
    body: list[int] = field(default_factory=list)


@dataclass(slots=True)
class MarginItem:
    """A line that starts at the margin, and the indented lines under it."""

    line: int
    text: str
    children: list[str] = field(default_factory=list)


def session_id(number: int) -> str:
    return f"SES-{number:03d}"


def read(lines: Lines, path: str) -> Reading:
    """One session per file; or, in a log of sessions (`=== Session: 2026-02-01 (Session 194) ===` banners,
    `=== Verification #13 (2026-01-15 12:25) ===` blocks, several `SESSION N PROGRESS SUMMARY` banners),
    one per banner that names a session or a date, running to the next such banner."""
    reading = Reading()
    filled = [n for n in range(1, len(lines) + 1) if lines.tag(n) != "blank"]
    if not filled:
        return reading
    parts = split_parts(lines)
    heads = _session_heads([p.title for p in parts])
    if lines.line(filled[0]).startswith("#") and _is_log(lines, heads):
        return reading  # a Markdown log of sessions: the general reader cuts it at its dated headings
    if not heads:
        reading.records.append(_read_session(lines, path, filled[0], filled[-1], reading, parts))
        return reading
    records = []
    for index, first in enumerate(heads):
        after = heads[index + 1] if index + 1 < len(heads) else len(parts)
        stop = parts[after].line if after < len(parts) else len(lines) + 1
        end = max(n for n in filled if n < stop)
        group = [Part("", 0), *parts[first:after]]
        records.append(_read_session(lines, path, parts[first].line, end, reading, group, logged=True))
    reading.records = assign_ids(records, is_newest_first(records))
    return reading


def _is_log(lines: Lines, heads: list[int]) -> bool:
    """Whether a Markdown note holds several sessions: session heads among its `#`/`##` parts, or among its
    headings at any level (`### ⇢ LIVE PROGRESS (2026-07-21, session 6)`), by `_session_heads`."""
    return len(heads) >= 2 or len(_session_heads([text for _, text in lines.headings.values()])) >= 2


def _session_heads(titles: list[str]) -> list[int]:
    """The indexes of the titles that start sessions: two or more that name a session number (`Session
    194`), else two or more that carry a date; a note's title naming its one session and a dated section
    under it are no log of sessions."""
    skipped = [not t or t.upper().startswith("END OF") for t in titles]
    numbered = [i for i, t in enumerate(titles) if not skipped[i] and _SESSION_HEAD.search(t)]
    if len(numbered) >= 2:
        return numbered
    dated = [i for i, t in enumerate(titles) if not skipped[i] and find_date(t) is not None]
    return dated if len(dated) >= 2 else []


def _read_session(
    lines: Lines, path: str, start: int, end: int, reading: Reading, parts: list[Part], logged: bool = False
) -> Record:
    head = next((p for p in parts if _TITLE.match(p.title) and not p.title.upper().startswith("END OF")), None)
    head = head or next((p for p in parts if p.title), None)
    title = head.title if head is not None else lines.line(start).strip()
    header = _header(lines, parts[0].body + (head.body if head is not None else []))
    match = _TITLE.match(title)
    project = match.group(1).strip(" -–—:(") if match else ""
    if find_date(project) is not None:  # `Session: 2026-02-01 (Session 194)` names no project
        project = ""
    project = project or header.get("project", "")
    number = int(match.group(2)) if match else _leading_number(header.get("session", ""))
    # a banner's or heading's date (the note's own, else its first dated part's), never a line's
    date = read_date(header.get("date", ""))
    if not date:
        titled = next((d for d in (find_date(p.title) for p in ([head] if head else []) + parts[1:]) if d), None)
        date = titled.iso if titled is not None else ""
    if not logged or not (number or date):
        _check_header(number, header.get("date", ""), date, path, head.line if head else start, reading)
    body = {SECTIONS[norm(p.title)]: p.body for p in reversed(parts) if norm(p.title) in SECTIONS}
    done = body.get("accomplishments", [])
    if logged and not done and head is not None:  # a short session: its bullets are what it did
        done = [n for n in head.body if _MARKER.match(lines.line(n))]
    fields = SessionFields(
        project=project,
        number=number,
        role=header.get("role", ""),
        status=header.get("status", ""),
        accomplishments=tuple(_item_text(i, strip=True) for i in margin_items(lines, done)),
        verification=_verification(lines, body.get("verification", [])),
        next=text_of(lines, body.get("next", [])) or header.get("next", ""),
        known_issues=tuple(_issue(i) for i in margin_items(lines, body.get("known_issues", []))),
        environment=_environment(lines, body.get("environment", [])),
        features=_features(lines, start, end),
        lessons=text_of(lines, body.get("lessons", [])),
        commands=_commands(lines, body.get("commands", [])),
        verification_commands=_code_blocks(lines, body.get("verification", [])),
        sections=_other_parts(lines, parts, head),
    )
    ident = session_id(number) if number else f"SES-{date[:10] or slug(os.path.splitext(os.path.basename(path))[0])}"
    files = _files(lines, path, body.get("files", []), reading)
    return Record(ident, "session", title, date, fields, (), files, (), Source(path, start, end))


def _other_parts(lines: Lines, parts: list[Part], head: Part | None) -> tuple[StorySection, ...]:
    """The parts no field reads (`## 現在の状態`, a status table, `## Architecture`), kept in order as
    sections, so that what the note holds beside its fields is not lost."""
    out = []
    for part in parts:
        key = norm(part.title)
        if not part.title or part is head or key in SECTIONS or key in _COUNTED or key.startswith("end of"):
            continue
        out.append(StorySection(part.title, text_of(lines, part.body)))
    return tuple(out)


def _check_header(number: int, written: str, date: str, path: str, line: int, reading: Reading) -> None:
    if not number:
        message = "no session number; expected a title like `PROJECT - SESSION 6 PROGRESS SUMMARY`"
        reading.diagnostics.append(diagnostic("PRS067", message, path, line))
    if not date:
        message = f"session date {written!r} is not a date" if written else "session note has no `Date:` line"
        hint = "write it as `Date: December 22, 2024` or `Date: 2024-12-22`"
        reading.diagnostics.append(diagnostic("PRS068", message, path, line, hint))


def split_parts(lines: Lines) -> list[Part]:
    """The file split at banner titles (a line between two `====` lines) or, when the first line is a
    Markdown heading, at `#` and `##` headings outside code fences. Part 0 is what comes before."""
    first = next((n for n in range(1, len(lines) + 1) if lines.tag(n) != "blank"), 1)
    markdown = lines.line(first).startswith("#") if len(lines) else False
    parts = [Part("", 0)]
    fenced = fenced_lines(lines, range(1, len(lines) + 1)) if markdown else set()
    for number in range(1, len(lines) + 1):
        raw = lines.line(number)
        if markdown:
            heading = _HEADING.match(raw) if number not in fenced else None
            if heading is not None and len(heading.group(1)) <= 2:
                parts.append(Part(heading.group(2), number))
                continue
        elif is_bar(raw):
            continue
        elif (banner := _BANNER.match(raw)) is not None:  # `=== Session: 2026-02-01 (Session 194) ===`
            parts.append(Part(banner.group(2), number))
            continue
        elif 1 < number < len(lines) and is_bar(lines.line(number - 1)) and _closes(lines, number):
            parts.append(Part(raw.strip(), number))
            continue
        parts[-1].body.append(number)
    return parts


def is_bar(line: str) -> bool:
    """A banner rule: `=====`, or box drawing `═════` / `━━━━━`."""
    text = line.strip()
    return len(text) >= 3 and set(text) <= _BARS


def _closes(lines: Lines, number: int) -> bool:
    """Whether a bar closes the banner that line `number` opens: on the next line, or after one more line
    of title (`STARGATE PORTAL - PROGRESS LOG` over a subtitle)."""
    if is_bar(lines.line(number + 1)):
        return True
    return number + 2 <= len(lines) and bool(lines.line(number + 1).strip()) and is_bar(lines.line(number + 2))


def fenced_lines(lines: Lines, numbers: range | list[int]) -> set[int]:
    """Lines inside code fences and the fences themselves."""
    inside: set[int] = set()
    fence = ""
    for number in numbers:
        match = _FENCE.match(lines.line(number))
        if fence or match is not None:
            inside.add(number)
        if match is not None and (not fence or match.group(1).startswith(fence)):
            fence = "" if fence else match.group(1)
    return inside


def _header(lines: Lines, numbers: list[int]) -> dict[str, str]:
    found: dict[str, str] = {}
    for number in numbers:
        label = match_label(lines.line(number), HEADER)
        if label is not None:
            found.setdefault(HEADER[norm(label[0])], label[1].replace("**", "").strip())
    return found


def _leading_number(text: str) -> int:
    digits = text.strip().split(" ")[0]
    return int(digits) if digits.isdigit() else 0


def text_of(lines: Lines, numbers: list[int]) -> str:
    """The lines as written, without blank lines at either end."""
    return "\n".join(lines.line(n) for n in numbers).strip("\n").strip()


def margin_items(lines: Lines, numbers: list[int]) -> list[MarginItem]:
    """Lines at the margin start an item; indented lines belong to the item above."""
    items: list[MarginItem] = []
    for number in numbers:
        raw = lines.line(number)
        if not raw.strip():
            continue
        if raw[:1].isspace() and items:
            items[-1].children.append(raw.strip())
        else:
            items.append(MarginItem(number, raw.strip()))
    return items


def strip_item(text: str) -> tuple[bool | None, str, str]:
    """`(done, mark, text)` for `✅ 1. Text`, `1. ✅ Text`, `- [x] Text`: marks and list markers removed."""
    done, mark, rest = read_mark(text)
    marker = _MARKER.match(rest)
    if marker is not None:
        rest = rest[marker.end() :]
    if done is None:
        done, mark, rest = read_mark(rest)
    return done, mark, rest.strip()


def _item_text(item: MarginItem, strip: bool) -> str:
    first = strip_item(item.text)[2] if strip else item.text
    return "\n".join([first, *item.children]).strip()


def _verification(lines: Lines, numbers: list[int]) -> tuple[VerificationCheck, ...]:
    """The `- ... ✅` lines; a line at the margin with nothing under it is a check of its own. Code
    blocks are the section's commands (`_code_blocks`), not checks."""
    checks: list[VerificationCheck] = []
    fenced = fenced_lines(lines, numbers)
    for item in margin_items(lines, [n for n in numbers if n not in fenced]):
        for text in item.children or [item.text]:
            checks.append(read_check(text))
    return tuple(checks)


def read_check(text: str) -> VerificationCheck:
    _, mark, rest = strip_item(text)
    tail = next((m for m in _TRAILING_MARKS if rest.endswith(m)), "")
    rest = rest[: len(rest) - len(tail)].rstrip() if tail else rest
    return VerificationCheck(rest, mark not in _BAD_MARKS and tail not in _BAD_MARKS)


def _issue(item: MarginItem) -> KnownIssue:
    done, _, rest = strip_item(item.text)
    label = match_label(rest, {"resolved": "resolved", "fixed": "resolved"})
    if label is not None:
        done, rest = True, label[1]
    return KnownIssue("\n".join([rest, *item.children]).strip(), bool(done))


def _environment(lines: Lines, numbers: list[int]) -> tuple[EnvironmentItem, ...]:
    """`✅ PostgreSQL 16.6 - Running on port 5432`; lines without a mark are group labels."""
    out: list[EnvironmentItem] = []
    for number in numbers:
        done, mark, rest = strip_item(lines.line(number).strip())
        if not mark or not rest:
            continue
        name, _, detail = rest.partition(" - ")
        out.append(EnvironmentItem(name.strip(), bool(done), detail.strip()))
    return tuple(out)


def _features(lines: Lines, start: int, end: int) -> FeatureCount | None:
    """`Features passing tests: 14 / 679` (preferred) or `14/679 features now passing`, as the general
    reader's session notes read them (`progress.count_in`)."""
    counted: FeatureCount | None = None
    for number in range(start, end + 1):
        found = count_in(lines.line(number))
        if found is not None and found[1]:
            return found[0]
        counted = counted or (found[0] if found is not None else None)
    return counted


def _code_blocks(lines: Lines, numbers: list[int]) -> tuple[str, ...]:
    """Each code block's lines (fences left out, common indentation removed) as one command text."""
    blocks: list[list[str]] = []
    fence = ""
    for number in numbers:
        raw = lines.line(number)
        match = _FENCE.match(raw)
        if match is not None and (not fence or match.group(1).startswith(fence)):
            fence = "" if fence else match.group(1)
            if fence:
                blocks.append([])
        elif fence:
            blocks[-1].append(raw)
    texts = (textwrap.dedent("\n".join(block)).strip("\n") for block in blocks)
    return tuple(text for text in texts if text.strip())


def _commands(lines: Lines, numbers: list[int]) -> tuple[str, ...]:
    """Indented lines (the command lines under their labels) and the lines inside code fences."""
    fenced = fenced_lines(lines, numbers)
    out: list[str] = []
    for number in numbers:
        raw = lines.line(number)
        if not raw.strip() or _FENCE.match(raw):
            continue
        if number in fenced or raw[:1].isspace():
            out.append(raw.strip())
    return tuple(out)


def _files(lines: Lines, path: str, numbers: list[int], reading: Reading) -> tuple[FileRef, ...]:
    """`- path`, `- path (new)` and bare `path (new)` lines; indented bullets below a file are its notes;
    lines ending in `:` are group labels."""
    refs: list[FileRef] = []
    notes: dict[int, list[str]] = {}
    for number in numbers:
        raw = lines.line(number)
        text = raw.strip()
        if not text:
            continue
        if raw[:1].isspace() and refs:
            notes.setdefault(len(refs) - 1, []).append(_MARKER.sub("", text, count=1))
            continue
        text = _MARKER.sub("", text, count=1)
        if text.endswith(":") or text.lower() in ("none", "n/a"):
            continue
        ref = read_listed_file(text)
        if ref is None:
            reading.diagnostics.append(
                diagnostic(
                    "PRS069", f"file line {text!r} is not a path", path, number, "write it as `- path/to/file (new)`"
                )
            )
            continue
        refs.append(ref)
    unique: dict[str, FileRef] = {}
    for index, ref in enumerate(refs):
        note = "; ".join(([ref.note] if ref.note else []) + notes.get(index, []))
        unique.setdefault(ref.path, FileRef(ref.path, ref.lines, ref.change, note))
    return tuple(unique.values())
