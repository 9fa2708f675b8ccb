"""Change notes: a change document in any shape but the blockers template, one record per file.

Per-change proposals, designs and task lists (openspec `changes/<name>/proposal.md`, `design.md`,
`tasks.md`), dated notes (`docs/changes/2026-08-12-feat-004-x.md`, `unreleased/20260720-1050-x.md`)
and notes kept in per-month folders (`changelog/2026-07/x.md`). The general reader gives the title,
date, author, summary and the sections in order (`general.read_document`); this module adds what a
note says about itself:

- its id from the file name (`CHG-2026-08-12-feat-004-x`), or for a name every change folder repeats
  (proposal, design, tasks) from its folder too (`CHG-add-forms-proposal`);
- its status as written: front matter `status:`, a `Status:` line, or a `状态:✅ 完成` pair in a header
  line split by `｜`, `|` or `·` (which also give the date and author when nothing else did);
- its tasks: every checklist item (`- [x] ...`) in order, open or done;
- its links: the items of a Related / References section.

A file that dated headings or dated lines cut into records is a log, not one note: None, and the
general reader reads it.
"""

from __future__ import annotations

import dataclasses
import os
import re

from whylog.markdown.dates import find_date
from whylog.markdown.document import Reading
from whylog.markdown.labels import field_of
from whylog.markdown.readers.common import find_link_target
from whylog.markdown.readers.general import read_document
from whylog.markdown.scan import Lines
from whylog.markdown.values import strip_emphasis
from whylog.model import ChangeFields, CheckItem, Link, Record, Source

# File names every change folder repeats: the folder names the change.
GENERIC_NAMES = frozenset(
    "proposal design tasks spec specs requirements acceptance readme index plan notes summary".split()
)
_CHANGE_FOLDERS = frozenset(("changes", "changelog", "changelogs"))
_TASK = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\[([ xX])\]\s+(.*\S)\s*$")
_PAIR_SPLIT = re.compile(r"\s*[｜|·]\s*")
_PAIR = re.compile(r"^[>\s]*(?:[-*+]\s+)?\**([^:：*]{1,30}?)\**\s*[:：]\s*(.+)$")
_MONTH = re.compile(r"^(\d{4})[-_.]?(\d{2})$")


def read_note(lines: Lines, path: str, first: int, reading: Reading) -> Record | None:
    """The file as one change note, or None when it is a log of dated records or holds only a title."""
    record = read_document(lines, path, "change", reading, first)
    if record is None or record.source is None:
        return None
    fields = record.fields
    assert isinstance(fields, ChangeFields)
    header = _header_pairs(lines, first)
    front = {k.lower(): v for k, v in reading.front_matter.items()}
    status = _clean(front.get("status", "")) or _labelled(fields, "status") or header.get("status", "")
    date = record.date or _header_date(header) or _folder_date(path)
    author = _labelled(fields, "author") or header.get("author", "")
    start = 1 if reading.front_matter and first > 1 else record.source.start_line
    while start < record.source.start_line and lines.tag(start) == "blank":
        start += 1
    fields = dataclasses.replace(
        fields, author=author, status=status, tasks=_tasks(lines, start, record.source.end_line)
    )
    return dataclasses.replace(
        record,
        id=note_id(path, front.get("change_id", "")),
        date=date,
        fields=fields,
        links=_related(fields),
        source=Source(path, start, record.source.end_line),
    )


def note_id(path: str, given: str = "") -> str:
    """`CHG-` and the note's file name (or the `change_id` its front matter gives); a generic name
    (proposal.md, specs/auth/spec.md) takes the folders below the changes folder too
    (`CHG-add-forms-proposal`, `CHG-add-forms-specs-auth-spec`), else its own folder's; a note in a
    per-month folder takes the month (`CHG-2026-07-fix`)."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    stem = os.path.splitext(parts[-1])[0] if parts else ""
    name = given or stem
    if not given and stem.lower() in GENERIC_NAMES:
        tops = [i for i, part in enumerate(parts[:-1]) if part.lower() in _CHANGE_FOLDERS]
        below = (parts[tops[-1] + 1 : -1] if tops else []) or parts[-2:-1]
        name = "-".join([*below, stem])
    elif not given and _folder_date(path) and not find_date(stem):  # `2026-07/fix.md` beside `2026-08/fix.md`
        name = f"{parts[-2]}-{stem}"
    words = re.sub(r"[^\w]+", "-", name.lower()).strip("-_")
    return f"CHG-{words or 'note'}"


def _clean(text: str) -> str:
    """The first line of a labelled value without its emphasis or the backticks around it (`in_progress`
    and `jane_doe` keep their underscores)."""
    first = strip_emphasis(text.strip().split("\n")[0]).strip("`")
    return " ".join(first.split())


def _labelled(fields: ChangeFields, name: str) -> str:
    for section in fields.sections:
        if section.label and field_of(section.label) == name and section.text.strip():
            return _clean(section.text)
    return ""


def _header_pairs(lines: Lines, first: int) -> dict[str, str]:
    """`label: value` pairs in the lines above the first section heading, also several on one line
    (`> 阶段:**P0** ｜ 状态:✅ 完成 ｜ 日期:2026-06-20`), by the field their label means."""
    found: dict[str, str] = {}
    seen_title = False
    for number in range(first, len(lines) + 1):
        if lines.tag(number) == "heading":
            if seen_title:
                break
            seen_title = True
            continue
        if lines.tag(number) not in ("text", "quote"):
            continue
        for piece in _PAIR_SPLIT.split(lines.line(number).strip()):
            pair = _PAIR.match(piece)
            name = field_of(pair.group(1)) if pair is not None else None
            if pair is not None and name is not None:
                found.setdefault(name, _clean(pair.group(2)))
    return found


def _header_date(header: dict[str, str]) -> str:
    found = find_date(header.get("date", "")) if header.get("date") else None
    return found.iso if found is not None else ""


def _folder_date(path: str) -> str:
    """A note in a per-month (`2026-07/`) or per-day folder takes the folder's date."""
    folder = os.path.basename(os.path.dirname(path))
    month = _MONTH.match(folder)
    if month is not None and 1 <= int(month.group(2)) <= 12:
        return f"{month.group(1)}-{month.group(2)}"
    found = find_date(folder) if folder else None
    return found.iso if found is not None and found.start == 0 else ""


def _tasks(lines: Lines, start: int, end: int) -> tuple[CheckItem, ...]:
    out = []
    for number in range(start, end + 1):
        if lines.tag(number) != "text":
            continue
        found = _TASK.match(lines.line(number))
        if found is not None:
            out.append(CheckItem(found.group(2).strip(), found.group(1) != " "))
    return tuple(out)


def _related(fields: ChangeFields) -> tuple[Link, ...]:
    links: list[Link] = []
    for section in fields.sections:
        if not section.label or field_of(section.label) != "related":
            continue
        for raw in section.text.split("\n"):
            text = raw.strip().lstrip("-*+").strip()
            if text:
                links.append(Link(text, find_link_target(text)))
    return tuple(links)
