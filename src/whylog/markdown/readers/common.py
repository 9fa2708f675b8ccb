"""Pieces several readers share: front matter, record boundaries, links, checklists."""

from __future__ import annotations

import re
from collections.abc import Mapping

from whylog.markdown.document import Reading, diagnostic
from whylog.markdown.scan import Lines
from whylog.markdown.values import Item, item_text, iter_items, norm, read_mark
from whylog.model import CheckItem, Link

_ID = re.compile(r"\b(INC-\d{4}-\d{3,}|ADR-\d+|CHG-[\w-]+|SES-\d+|FEAT-\d+)\b")
_STAMP = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*(?:UTC|Z)\b")


def read_front_matter(lines: Lines, path: str, reading: Reading) -> int:
    """Front matter at the top: a YAML block, or a two-column table as in the system-log template.
    Fills `reading.front_matter`, claims its lines, and returns the first line after it."""
    first = 1
    while first <= len(lines) and lines.tag(first) == "blank":
        first += 1
    if first > len(lines):
        return first
    if lines.tag(first) == "meta":
        last = first
        while last + 1 <= len(lines) and lines.tag(last + 1) == "meta":
            last += 1
        _yaml_front_matter(lines, path, first, last, reading)
        reading.claimed.append((first, last))
        return last + 1
    if lines.tag(first) != "table":
        return first
    last = first
    for number in range(first, len(lines) + 1):
        if lines.tag(number) != "table":
            break
        cells = [c.strip() for c in lines.line(number).strip().strip("|").split("|")]
        if number == first + 1 and set("".join(cells)) <= set("-: "):
            last = number
            continue
        if len(cells) != 2 or not cells[1] or " " in cells[0]:
            break
        reading.front_matter[cells[0]] = cells[1]
        last = number
    reading.claimed.append((first, last))
    return last + 1


def _yaml_front_matter(lines: Lines, path: str, first: int, last: int, reading: Reading) -> None:
    import yaml

    body = "".join((lines.shown or lines.lines)[first : last - 1])
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first + 1 + (mark.line if mark is not None else 0)
        reading.diagnostics.append(
            diagnostic("PRS002", f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}", path, line)
        )
        return
    if not isinstance(data, dict):
        reading.diagnostics.append(
            diagnostic("PRS002", "front matter is not a YAML mapping of keys to values", path, first)
        )
        return
    reading.front_matter.update({str(k): "" if v is None else str(v) for k, v in data.items()})


def record_end(
    lines: Lines,
    start: int,
    level: int,
    limit: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> int:
    """The last line of a record that starts with a heading of `level` at `start`: before the next
    heading at that level or above (unless it is one of the record's own `labels`), a separator, or a
    separator glued to the next line."""
    stop = len(lines) if limit is None else limit
    end = start
    for number in range(start + 1, stop + 1):
        tag = lines.tag(number)
        if tag == "rule" or number in lines.glued:
            break
        if tag == "heading" and number in lines.headings and lines.headings[number][0] <= level:
            if labels is None or norm(lines.headings[number][1]) not in labels:
                break
        if tag != "blank":
            end = number
    return end


def find_link_target(text: str) -> str | None:
    """The id a reference names, when it names one explicitly (INC-2024-001, ADR-3, an entry stamp)."""
    match = _ID.search(text)
    if match is not None:
        found = match.group(1)
        if found.startswith("ADR-"):
            return f"ADR-{int(found[4:]):03d}"
        return found
    stamp = _STAMP.search(text)
    if stamp is not None:
        year, month, day, hour, minute, second = stamp.groups()
        return f"LOG-{year}-{month}-{day}-{hour}{minute}{second if second and second != '00' else ''}"
    return None


def read_links(items: list[Item]) -> tuple[Link, ...]:
    return tuple(Link(text, find_link_target(text)) for text in (item_text(i) for i in items) if text)


def read_checklist(items: list[Item]) -> tuple[CheckItem, ...]:
    out = []
    for item in items:
        done, _, rest = read_mark(item_text(item))
        out.append(CheckItem(rest, bool(done)))
    return tuple(out)


def body_items(lines: Lines, numbers: list[int]) -> list[Item]:
    return iter_items(lines, numbers)
