"""Mechanical fixes: each edits only the line its diagnostic names, keeping that line's ending."""

from __future__ import annotations

import re

from whylog.model import Diagnostic

_STAMP = re.compile(
    r"^(?P<head>(?:-{3,})?#{1,6}\s+)\[?(?P<stamp>\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?:\s*(?:UTC|GMT|Z|[+-]\d{2}:?\d{2}))?)\]?\s*(?:[-–—:|]\s*)?"
)


def _split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


def fix_timestamp(lines: list[str], item: Diagnostic) -> None:
    """`## 2026-03-19T14:32Z Title` -> `## 2026-03-19 14:32 UTC - Title` (only stamps with a time)."""
    from whylog.markdown.values import format_stamp, read_date

    index = item.source.start_line - 1
    body, ending = _split_ending(lines[index])
    match = _STAMP.match(body)
    date = read_date(match.group("stamp")) if match else None
    if match is None or date is None or "T" not in date:
        return
    head = match.group("head").rstrip() + " "
    lines[index] = f"{head}{format_stamp(date)} - {body[match.end() :]}{ending}"


def fix_type(lines: list[str], item: Diagnostic) -> None:
    """`**Type:** bugfix (SECURITY)` -> `**Type:** Bug Fix (SECURITY)`."""
    from whylog.lint.rules.entry import raw_type
    from whylog.markdown.readers.syslog import _TYPES
    from whylog.markdown.values import strip_emphasis

    index = item.source.start_line - 1
    body, ending = _split_ending(lines[index])
    where = raw_type(body)
    if where is None:
        return
    written = strip_emphasis(body[where[0] : where[1]])
    known = _TYPES.get(written.lower().replace(" ", "").replace("-", "").replace("_", ""))
    if known is not None:
        lines[index] = body[: where[0]] + known + body[where[1] :] + ending


def fix_glued_separator(lines: list[str], item: Diagnostic) -> None:
    """`---## Heading` -> `---`, a blank line, `## Heading`."""
    index = item.source.start_line - 1
    body, ending = _split_ending(lines[index])
    match = re.match(r"^(-{3,}|\*{3,}|_{3,})(?=\S)", body)
    if match is not None:
        newline = ending or "\n"
        lines[index] = f"{match.group(1)}{newline}{newline}{body[match.end() :]}{ending}"


def move_blocks(lines: list[str], spans: list[tuple[int, int]], order: list[int]) -> list[str]:
    """`lines` with the records at `spans` (1-based, in file order) put into the slots in `order` (slot i
    gets record order[i]), each record's lines moved unchanged; the lines between records (separators,
    blank lines, an Unreleased section) stay where they are."""
    blocks = [lines[start - 1 : end] for start, end in spans]
    out = lines[: spans[0][0] - 1]
    for slot, (_, end) in enumerate(spans):
        out += blocks[order[slot]]
        following = spans[slot + 1][0] - 1 if slot + 1 < len(spans) else len(lines)
        out += lines[end:following]
    return out
