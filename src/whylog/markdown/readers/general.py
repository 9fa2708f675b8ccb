"""The general reader: records from any log or record file, by the file's own structure.

Used for every file no specific reader claims, and by the specific readers when they find nothing. How a
file is cut into records comes from the file, never from a fixed heading level:

1. **Dated headings.** The heading level that carries the most dates starts a record at each dated heading
   of that level; the record runs to the next heading at that level or above. A heading that is only a
   date (`## 2026-08-08`) with headings below it is a day: the headings one level down are the records,
   each with the day's date unless it has its own.
2. **Dated lines.** With no dated heading, lines that start with a date (`- 2026-06-19: text`,
   `[2026-06-15] text`, `**2025-01-17**: text`, `2025-05-03 16:47:47 - text`) each start a record that
   runs to the next one (or the next heading); a table whose rows hold dates gives a record per row.
3. **Repeated headings.** With no dates at all, a heading level that repeats (three or more headings that
   are not section labels) gives a record per heading.
4. **One document.** Otherwise the file is one record (an ADR, a postmortem, a change note): its title
   from front matter or the first heading, its date from front matter, a `Date:` label or the file name.

Inside a record, sub-headings and label lines (`**Label:**`, `**Label**:`, `- **Label:**`, run-in
`**Intent.**`, `Label:`, `Label：`, ALL CAPS `ISSUE:`, a bold line alone) split it into sections, kept in
order as (label, text); labels with a known meaning (`labels.field_of`) also fill the kind's fields.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass

from whylog.markdown.dates import find_date, find_placeholder, prefers_day_first
from whylog.markdown.decisions import chosen_status, good_and_bad, option_names, state_of, supersession
from whylog.markdown.document import Reading, assign_ids, diagnostic, is_newest_first
from whylog.markdown.labels import field_of, label_key
from whylog.markdown.names import is_log_file
from whylog.markdown.postmortems import as_twin, incident_fields, incident_title, is_postmortem
from whylog.markdown.readers.common import read_front_matter
from whylog.markdown.readers.files import read_listed_file
from whylog.markdown.readers.groups import iter_groups
from whylog.markdown.readers.progress import feature_count, opening_bullets, session_number
from whylog.markdown.scan import Lines
from whylog.markdown.values import slug
from whylog.model import (
    ChangeFields,
    DecisionFields,
    EntryFields,
    Fields,
    FileRef,
    IncidentFields,
    Kind,
    Record,
    SessionFields,
    Source,
    StoryFields,
    StorySection,
)

PREFIX = {"entry": "LOG", "incident": "INC", "decision": "ADR", "change": "CHG", "session": "SES", "story": "STORY"}
_DATE_LEAD = re.compile(
    r"^\s{0,3}(?:[-*+]\s+|\d{1,4}[.)]\s+|[=~#-]{3,}\s*)?(?:\[\s*|\*\*\s*|`)?"
    r"(?=\d{4}[-/.年]|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{8}\b)"
)
_TITLE_TRIM = " \t-–—:|·•,;~=/\\[](){}*_`#.。：，、（）"
_DATE_JOINERS = " \t-–—:|·•,;~=/*_`"  # not brackets: `(Sunday 2026-04-05)` keeps a pair to empty
_EMPTY_BRACKETS = re.compile(r"\[\s*\]|\(\s*\)|（\s*）")
_BOLD_LINE = re.compile(r"^\s{0,3}(?:[-*+]\s+|\d{1,3}[.)]\s+)?\*\*([^*]{1,80}?)\*\*\s*([:：.]?)\s*(.*)$")
# `Label: text`, or `标签：text` (a full-width colon needs no space after it)
_PLAIN_LABEL = re.compile(r"^\s{0,3}(?:[-*+]\s+)?([^\s:：|`*][^:：|`*]{0,40}?)\s*(?::(?:\s+(.*)|\s*)|：\s*(.*))$")
_CAPS_LABEL = re.compile(r"^\s{0,3}(?:\d{1,3}[.)]\s+|[-*+]\s+)?([A-Z][A-Z /&-]{2,30}):\s*(.*)$")
# Headings of the parts of a log that are no entries (folded as labels.label_key folds them).
NOT_ENTRIES = frozenset(
    "index|table of contents|contents|toc|archive|archives|related documents|related|how to use|usage|template|"
    "entry template|format|legend|rules|roadmap|example|examples|overview|daily log|log|entries|history|changelog|"
    "unreleased|目录|索引|归档|模板|目次|目錄|목차|содержание|архив|inhalt|sommaire|índice|indice|例|示例|例子|範例|"
    "예시|пример|примеры|beispiel|beispiele|exemple|exemples|ejemplo|ejemplos|exemplo|exemplos|vorlage|шаблон|"
    "формат|формат записи|格式|书写格式|フォーマット|書式|형식|formato|entry format|log format".split("|")
)
_PLACEHOLDER_MARKS = ("XX", "xx", "DD", "dd", "??", "YYYY", "[", "Unknown Date")  # in every placeholder shape
_TAG_LABEL = re.compile(r"^\s{0,3}(?:[-*+]\s+)?\[([A-Z][A-Z0-9 _-]{1,20})\]\s+(\S.*)$")
_PAIRS = re.compile(r"^\s*[\w-]{1,30}\s*=\s*[^;=]+(?:;\s*[\w-]{1,30}\s*=\s*[^;=]+)+;?\s*$")
_NUMBER = re.compile(r"^\s*(?:ADR|RFC|INC|DEC)?[-_ ]?0*(\d{1,5})\b[.:)]?\s+", re.IGNORECASE)
_FILE_NUMBER = re.compile(r"^(?:[a-z]{0,4}[.-]*)?0*(\d{1,5})[-_.]", re.IGNORECASE)
FILE_LINK = re.compile(r"\]\((?!https?:)[^)\s]+\.(?:md|markdown)(?:#[^)]*)?\)")
_INC_ID = re.compile(r"\bINC-\d{4}-\d{3,}\b")
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*$", re.IGNORECASE)  # before a date
_TOP_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+\S")
_TITLE_COLUMNS = frozenset("title|incident|name|titel|título|titre|标题|標題|件名|제목|название|заголовок".split("|"))
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")


@dataclass(slots=True)
class Block:
    start: int
    end: int
    title: str
    date: str
    head: bool = True  # whether the first line is the record's heading (else its text is content too)
    label: bool = False  # whether the first line opens with a label (a section of its own)
    top: int = 0  # where the record's lines start when before `start` (a document's front matter)
    whole: bool = False  # a postmortem: the file is the record, and its name gives the id


def read_records(
    lines: Lines,
    path: str,
    kind: Kind,
    reading: Reading,
    first: int | None = None,
    outside: list[tuple[int, int]] | None = None,
) -> None:
    """Add the records of `lines` (from line `first`, after any front matter) to `reading`. With `outside`
    (the spans a specific reader took) only the gaps are read, and only for dated headings: undated
    sections and dated list lines beside a family's own records are its preamble, index, related documents
    or archive notes."""
    if first is None:
        first = read_front_matter(lines, path, reading)
    taken = [False] * (len(lines) + 2)
    for start, end in outside or ():
        taken[start : end + 1] = [True] * (end - start + 1)
    texts = [lines.headings[n][1] for n in lines.headings if not taken[n]] + [
        lines.line(n) for n in range(first, len(lines) + 1) if lines.tag(n) in ("text", "table") and not taken[n]
    ]
    day_first = prefers_day_first(texts)
    if outside is not None:
        blocks = _dated_heading_blocks(lines, first, day_first, reading, taken)
        blocks = [b for b in blocks if not any(taken[b.start : b.end + 1])]
    else:
        blocks = _blocks(lines, path, first, day_first, reading, kind)
    _report_placeholders(lines, path, first, taken, reading)
    records = [_record(lines, path, kind, block, reading) for block in blocks]
    reading.records += assign_ids(records, is_newest_first(records))


def is_example(lines: Lines, number: int) -> bool:
    """Whether line `number` shows an example rather than a record: the line above it (past blank lines)
    is a label such as `Example:` or `Format:`, or the nearest heading above at a higher level is one
    of the parts every log has that hold no entries (`## Template`, `## Examples`, `## How to use`)."""
    above = number - 1
    while above >= 1 and lines.tag(above) == "blank":
        above -= 1
    if above >= 1 and lines.tag(above) == "text":
        text = lines.line(above).strip().rstrip(":：").strip("*_ ")
        if text and label_key(text) in NOT_ENTRIES:
            return True
    level = lines.headings.get(number, (7, ""))[0]
    for heading in range(number - 1, 0, -1):
        if heading in lines.headings and lines.headings[heading][0] < level:
            return label_key(lines.headings[heading][1]) in NOT_ENTRIES
    return False


# --- cutting a file into blocks ------------------------------------------------------------------


def _blocks(
    lines: Lines, path: str, first: int, day_first: bool | None, reading: Reading, kind: Kind = "story"
) -> list[Block]:
    """The first cut that holds at least half of the file's content lines; else the whole file as one
    record (a document with a few dated rows or headings inside is one record, not those rows), unless
    the file is an index of other files or its name says it is a log (an empty log is no record). A
    postmortem (its top sections are an incident's: Summary, Timeline, Root Cause...) is one record."""
    content = _content_lines(lines, first)
    if not content:
        return []
    claimed = list(reading.claimed)
    log = is_log_file(path)
    if kind == "incident" and not log and is_postmortem(lines, first):
        every = [n for n in range(first, len(lines) + 1) if lines.tag(n) not in ("blank", "rule")]
        return [
            dataclasses.replace(b, whole=True) for b in _document_block(lines, path, first, every, day_first, reading)
        ]
    # A file named for its day (`devlog/2025-11-17.md`) is that day's entry: its headings are its sections.
    day_file = len(_iso(find_date(os.path.splitext(os.path.basename(path))[0], day_first))) >= 10
    for index in range(2 if day_file else 5):
        if index == 0:
            blocks = _dated_heading_blocks(lines, first, day_first, reading)
            if blocks and _share(blocks, content) >= 0.5:  # the dated entries are the log's structure
                return sorted(blocks + _undated_entries(lines, first, blocks), key=lambda b: b.start)
        elif index == 1:
            blocks = _dated_line_blocks(lines, first, day_first)
        elif index == 2:
            blocks = (log and _group_blocks(lines, first)) or _repeated_heading_blocks(lines, first, 2 if log else 3)
        elif index == 3:
            blocks = _table_row_blocks(lines, first) if log else []
        else:
            blocks = _labelled_item_blocks(lines, first) if log else []
        if blocks and _share(blocks, content) >= 0.5:
            return blocks
        reading.claimed[:] = claimed  # a day heading claimed by a cut not taken is not structure
    if _is_index(lines, content) or (log and not day_file):
        return []
    content = [n for n in range(first, len(lines) + 1) if lines.tag(n) not in ("blank", "rule")]
    return _document_block(lines, path, first, content, day_first, reading)


def _content_lines(lines: Lines, first: int) -> list[int]:
    """The lines a cut should hold: not blank lines, separators, the file's title or a table's header."""
    out = []
    for number in range(first, len(lines) + 1):
        tag = lines.tag(number)
        if tag in ("blank", "rule") or (tag == "heading" and lines.headings.get(number, (0, ""))[0] == 1):
            continue
        if tag == "table" and (
            _is_delimiter(lines.line(number)) or (number < len(lines) and _is_delimiter(lines.line(number + 1)))
        ):
            continue
        out.append(number)
    return out


def _is_delimiter(raw: str) -> bool:
    return "-" in raw and set(raw.strip()) <= set("|-: ")


def _share(blocks: list[Block], content: list[int]) -> float:
    inside: set[int] = set()
    for block in blocks:
        inside.update(range(block.start, block.end + 1))
    return sum(n in inside for n in content) / len(content)


def _dated_heading_blocks(
    lines: Lines, first: int, day_first: bool | None, reading: Reading, taken: list[bool] | None = None
) -> list[Block]:
    dated: dict[int, str] = {}
    for number, (_level, text) in lines.headings.items():
        if number >= first and not (taken and taken[number]):
            found = find_date(text, day_first)
            if found is not None:
                dated[number] = found.iso
    if not dated:
        return []
    counts = Counter(lines.headings[n][0] for n in dated)
    level = min(counts, key=lambda lv: (-counts[lv], lv))
    blocks: list[Block] = []
    for number in sorted(dated):
        if lines.headings[number][0] != level:
            continue
        title = clean_title(lines.headings[number][1], dated[number], day_first)
        end = _heading_end(lines, number, level)
        children = [n for n in range(number + 1, end + 1) if n in lines.headings and lines.headings[n][0] > level]
        if not title and children:
            child_level = min(lines.headings[n][0] for n in children)
            reading.claimed.append((number, number))
            for child in (n for n in children if lines.headings[n][0] == child_level):
                text = lines.headings[child][1]
                found = find_date(text, day_first)
                date = found.iso if found is not None else dated[number]
                blocks.append(
                    Block(child, _heading_end(lines, child, child_level, end), clean_title(text, "", None), date)
                )
            continue
        blocks.append(Block(number, end, title, dated[number]))
    return blocks


def _undated_entries(lines: Lines, first: int, dated: list[Block]) -> list[Block]:
    """Undated sections at the level of a log's dated entries that are entries all the same: outside every
    dated entry, not a part every log has (an index, the rules), and either between two dated entries (a
    note in the log's sequence) or holding at least two labelled parts the synonym table knows
    (`**Status:**`, `### Decision`, `**Rationale:**`: an entry someone did not date)."""
    levels = {lines.headings[b.start][0] for b in dated if b.head and b.start in lines.headings}
    if len(levels) != 1:
        return []
    level = levels.pop()
    inside = [False] * (len(lines) + 2)
    for block in dated:
        inside[block.start : block.end + 1] = [True] * (block.end - block.start + 1)
    out = []
    for number, (heading_level, text) in sorted(lines.headings.items()):
        if number < first or heading_level != level or inside[number] or field_of(text) is not None:
            continue
        if label_key(text) in NOT_ENTRIES:
            continue
        end = _heading_end(lines, number, level)
        known = 0
        for inner in range(number + 1, end + 1):
            if inner in lines.headings:
                known += field_of(lines.headings[inner][1]) is not None
            elif lines.tag(inner) == "text":
                found = _label(lines, inner)
                known += found is not None and field_of(found[0]) is not None
        between = min(b.start for b in dated) < number < max(b.start for b in dated)
        if (known >= 2 or between) and not any(inside[number : end + 1]):
            out.append(Block(number, end, clean_title(text, "", None), ""))
    return out


def _heading_end(lines: Lines, start: int, level: int, limit: int | None = None) -> int:
    """The last non-blank line before the next heading at `level` or above (or `limit`)."""
    stop = len(lines) if limit is None else limit
    end = start
    for number in range(start + 1, stop + 1):
        if number in lines.headings and lines.headings[number][0] <= level:
            break
        if number in lines.glued:
            break
        if lines.tag(number) not in ("blank", "rule"):
            end = number
    return end


def _dated_line_blocks(lines: Lines, first: int, day_first: bool | None) -> list[Block]:
    starts: list[tuple[int, str, str, bool]] = []  # line, date, title, is a table row
    examples = False  # under a heading such as `## Examples`: dated lines there show the format
    for number in range(first, len(lines) + 1):
        tag = lines.tag(number)
        if number in lines.headings:
            examples = label_key(lines.headings[number][1]) in NOT_ENTRIES
        if examples:
            continue
        raw = lines.line(number)
        lead = _DATE_LEAD.match(raw) if tag == "text" else None
        if lead is not None:
            found = find_date(raw, day_first)
            if found is not None and found.start <= len(lead.group(0)) + 1 and len(found.iso) >= 10:
                starts.append((number, found.iso, clean_title(raw[found.end :], "", None), False))
        elif tag == "table" and not set(raw.strip()) <= set("|-: "):
            found = find_date(raw, day_first)
            if found is not None:
                cells = [c.strip() for c in raw.strip().strip("|").split("|")]
                title = max((clean_title(c, "", day_first) for c in cells), key=len, default="")
                starts.append((number, found.iso, title, True))
    if len(starts) < 2:
        return []
    blocks = []
    for index, (number, date, title, row) in enumerate(starts):
        limit = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(lines)
        end = number if row else _line_block_end(lines, number, limit)
        blocks.append(Block(number, end, title, date, head=False))
    return blocks


def _line_block_end(lines: Lines, start: int, limit: int) -> int:
    end = start
    for number in range(start + 1, limit + 1):
        tag = lines.tag(number)
        if tag in ("heading", "rule", "table") or number in lines.glued:
            break
        if tag != "blank":
            end = number
    return end


def _repeated_heading_blocks(lines: Lines, first: int, least: int) -> list[Block]:
    """A record per heading of the shallowest level that repeats `least` times, leaving out headings that
    are section labels or the parts every log has that are no entries (an index, an archive note)."""
    by_level: dict[int, list[int]] = {}
    for number, (level, text) in lines.headings.items():
        if number >= first and field_of(text) is None and label_key(text) not in NOT_ENTRIES:
            by_level.setdefault(level, []).append(number)
    levels = [lv for lv, found in sorted(by_level.items()) if len(found) >= max(least, 3 if lv == 1 else 0)]
    if not levels:
        return []
    level = levels[0]
    return [
        Block(n, _heading_end(lines, n, level), clean_title(lines.headings[n][1], "", None), "")
        for n in sorted(by_level[level])
    ]


def _group_blocks(lines: Lines, first: int) -> list[Block]:
    """A log's entries that are groups of label headings (`groups.iter_groups`); a group with no heading
    of its own starts at its first label, which stays one of its sections."""
    blocks = []
    for start, end, title in iter_groups(lines, first):
        heading = clean_title(lines.headings[start][1], "", None)
        blocks.append(Block(start, end, title or heading, "", head=not title))
    return blocks


def _table_row_blocks(lines: Lines, first: int) -> list[Block]:
    """A log kept as one table: a record per body row, titled by its longest cell."""
    blocks = []
    for number in range(first, len(lines) + 1):
        if lines.tag(number) != "table" or _is_delimiter(lines.line(number)):
            continue
        if number < len(lines) and _is_delimiter(lines.line(number + 1)):
            continue  # the header row
        cells = [c.strip() for c in lines.line(number).strip().strip("|").split("|")]
        title = max((clean_title(c, "", None) for c in cells), key=len, default="")
        if title:
            blocks.append(Block(number, number, _first_words(title), "", head=False))
    return blocks if len(blocks) >= 2 else []


def _labelled_item_blocks(lines: Lines, first: int) -> list[Block]:
    """A log kept as a list of labelled items (`1. **Issue:** ...` with `- **Cause:**`, `- **Fix:**`
    under it): a record per top-level item that opens with a label and holds a labelled line the synonym
    table knows; it runs to the next such item, heading or top-level line."""
    blocks: list[Block] = []
    number = first
    while number <= len(lines):
        raw = lines.line(number)
        found = _label(lines, number) if lines.tag(number) == "text" and _TOP_ITEM.match(raw) else None
        if found is None:
            number += 1
            continue
        end, known = number, field_of(found[0]) is not None
        for next_number in range(number + 1, len(lines) + 1):
            tag, text = lines.tag(next_number), lines.line(next_number)
            if tag == "heading" or next_number in lines.glued or (tag != "blank" and not text[:1].isspace()):
                break
            if tag != "blank":
                end = next_number
                sub = _label(lines, next_number) if tag == "text" else None
                known = known or (sub is not None and field_of(sub[0]) is not None)
        if known and end > number:
            blocks.append(Block(number, end, clean_title(found[1], "", None) or found[0], "", head=False, label=True))
        number = end + 1
    return blocks if len(blocks) >= 2 else []


def _document_block(
    lines: Lines, path: str, first: int, content: list[int], day_first: bool | None, reading: Reading
) -> list[Block]:
    front = reading.front_matter
    heading = next((n for n in sorted(lines.headings) if n >= first), None)
    title = front.get("title", "") or (lines.headings[heading][1] if heading is not None else "")
    stem = os.path.splitext(os.path.basename(path))[0]
    date = ""
    for candidate in (front.get("date", ""), front.get("created", ""), front.get("created_at", "")):
        found = find_date(candidate, day_first) if candidate else None
        if found is not None:
            date = found.iso
            break
    if not date:
        date = (
            _labelled_date(lines, content[:40], day_first)
            or _iso(find_date(stem, day_first))
            or _iso(find_date(title, day_first))
        )
    title = clean_title(title, "", day_first) or clean_title(stem.replace("-", " ").replace("_", " "), "", None)
    top = next((start for start, end in reading.claimed if end == first - 1), 0) if reading.front_matter else 0
    return [Block(content[0], content[-1], title, date, head=heading == content[0], top=top)]


def _is_index(lines: Lines, content: list[int]) -> bool:
    """An index page (a README listing the records of its folder): most of its lines link to files."""
    links = sum(1 for n in content if FILE_LINK.search(lines.line(n)))
    return links >= 3 and links * 2 >= len([n for n in content if lines.tag(n) != "heading"])


def _labelled_date(lines: Lines, numbers: list[int], day_first: bool | None) -> str:
    for number in numbers:
        found = _label(lines, number)
        if found is not None and field_of(found[0]) == "date":
            date = find_date(found[1], day_first)
            if date is not None:
                return date.iso
    return ""


def _iso(found: object) -> str:
    return getattr(found, "iso", "") if found is not None else ""


def _report_placeholders(lines: Lines, path: str, first: int, taken: list[bool], reading: Reading) -> None:
    for number in range(first, len(lines) + 1):
        if lines.tag(number) in ("heading", "text", "table") and not taken[number]:
            raw = lines.line(number)
            if not any(mark in raw for mark in _PLACEHOLDER_MARKS):
                continue
            found = find_placeholder(raw)
            if found is not None:
                message = f"{found!r} is a placeholder, not a date"
                reading.diagnostics.append(diagnostic("PRS040", message, path, number, severity="info"))


def clean_title(text: str, date: str, day_first: bool | None) -> str:
    """A heading or line without its date and the punctuation around it."""
    found = find_date(text, day_first)
    if found is not None:  # the punctuation joining the date to the words on each side goes with it
        before = _WEEKDAY.sub("", text[: found.start]).rstrip(_DATE_JOINERS)
        text = before + ("" if before.endswith(("(", "[", "（")) else " ") + text[found.end :].lstrip(_DATE_JOINERS)
    text = " ".join(_EMPTY_BRACKETS.sub(" ", text.replace("**", "")).split())
    title = text.strip(_TITLE_TRIM).strip()
    at = text.find(title) if title else 0
    lead, rest = text[:at], text[at + len(title) :]
    for opening, closing in (("(", ")"), ("[", "]"), ("（", "）")):  # keep the other half of a bracket pair
        if rest.startswith(closing) and title.count(opening) > title.count(closing):
            title = title + closing
        elif lead.endswith(opening) and title.count(closing) > title.count(opening):
            title = opening + title
    return title


def _first_words(text: str, limit: int = 80) -> str:
    text = " ".join(text.replace("**", "").split()).strip(_TITLE_TRIM)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- one record ------------------------------------------------------------------------------------


def _label(lines: Lines, number: int, run_in: bool = False) -> tuple[str, str] | None:
    """`(label, rest)` when line `number` starts a labelled section."""
    raw = lines.line(number)
    bold = _BOLD_LINE.match(raw)
    if bold is not None:
        label, mark, rest = bold.groups()
        label = label.strip()
        if label.endswith((":", "：")) or mark in (":", "：") or (mark == "." and len(label) < 40):
            return label.rstrip(":：").strip(), rest.strip()
        if label.endswith(".") and len(label) < 40 and rest:  # run-in `**Intent.** text`
            return label[:-1].strip(), rest.strip()
        if not rest and not mark and len(label) < 60:
            return label, ""
        if rest.startswith((":", "：")):
            return label, rest[1:].strip()
        if run_in and len(label) < 30 and field_of(label) is not None:  # `- **증상** text` in an incident
            return label, rest.strip()
        return None
    tag = _TAG_LABEL.match(raw)
    if tag is not None:
        return tag.group(1), tag.group(2).strip()
    caps = _CAPS_LABEL.match(raw)
    if caps is not None:
        return caps.group(1).strip(), caps.group(2).strip()
    plain = _PLAIN_LABEL.match(raw)
    if plain is not None and field_of(plain.group(1)) is not None:  # `影响：text` needs no space
        return plain.group(1).strip(), (plain.group(2) or plain.group(3) or "").strip()
    return None


def _sections(lines: Lines, block: Block, nested: bool = False) -> list[tuple[str, str]]:
    """The block's sections in order, as (label, text); text before the first label has label "". With
    `nested` (an incident), a labelled list item under a heading that names a field is that field's
    content (`- **14:02 UTC:** alert` under Timeline, `1. **Cause**: ...` under Root Cause)."""
    out: list[tuple[str, list[str]]] = [("", [])]
    opening = _label(lines, block.start) if block.label else None
    if opening is not None:  # a labelled item: its label opens the first section
        out.append((opening[0], [opening[1]] if opening[1] else []))
    elif not block.head and block.start in lines.headings:  # a group's first label heading
        out.append((lines.headings[block.start][1].strip(), []))
    elif not block.head:  # a dated line is its own record's first text
        out[0][1].append(lines.line(block.start))
    under_field = False
    for number in range(block.start + 1, block.end + 1):
        tag = lines.tag(number)
        if tag == "heading" and number in lines.headings:
            out.append((lines.headings[number][1].strip(), []))
            under_field = nested and field_of(out[-1][0]) is not None
            continue
        if under_field and _LIST_ITEM.match(lines.line(number)):
            out[-1][1].append(lines.line(number))
            continue
        pairs = _PAIRS.match(lines.line(number)) if tag == "text" else None
        if pairs is not None:  # `status=done; owner=ops`: a section per pair
            for pair in lines.line(number).strip().split(";"):
                key, _, value = pair.partition("=")
                out.append((key.strip(), [value.strip()]))
            continue
        found = _label(lines, number, nested) if tag == "text" else None
        if found is not None:
            out.append((found[0], [found[1]] if found[1] else []))
            continue
        out[-1][1].append(lines.line(number))
    sections = []
    for label, body in out:
        text = "\n".join(body).strip("\n")
        if label or text.strip():
            sections.append((label, text))
    return sections


def _record(lines: Lines, path: str, kind: Kind, block: Block, reading: Reading) -> Record:
    rows = kind in ("decision", "incident") and _row_sections(lines, block)
    sections = rows or _sections(lines, block, kind == "incident")
    by_field: dict[str, list[str]] = {}
    for label, text in sections:
        name = field_of(label) if label else None
        if name is not None and text.strip():
            by_field.setdefault(name, []).append(text.strip())
    files = _files(by_field.get("files", []))
    if not block.date and by_field.get("date"):  # `Date: 2026-01-05`, `#### Data da Decisão` under an undated heading
        block = dataclasses.replace(block, date=_iso(find_date(by_field["date"][0].split("\n")[0])))
    story = tuple(StorySection(label, text) for label, text in sections)
    named = next((text for label, text in rows or () if label_key(label) in _TITLE_COLUMNS), "")
    title = (
        _first_words(named)
        or block.title
        or _untitled_title(sections)
        or _first_words(lines.line(block.start))
        or "(untitled)"
    )
    fields = _fields(kind, by_field, story, title)
    ident = _record_id(kind, block, title, path)
    if isinstance(fields, IncidentFields):
        title = incident_title(title)
        fields = incident_fields(story, block.date)
        ident, fields = as_twin(fields, ident, path)
    source = Source(path, block.top or block.start, block.end)
    return Record(ident, kind, title, block.date, fields, files=files, source=source)


def _untitled_title(sections: list[tuple[str, str]]) -> str:
    """A title for a block whose heading gave none (`## 2026-07-15` alone): its first text, or a bold line
    standing alone as its first section (`**1. New folder layout**`)."""
    for label, text in sections[:2]:
        if label and not text.strip():
            return _first_words(label)
        for line in text.split("\n"):
            title = clean_title(line, "", None)  # a line that is only a date or a banner says nothing
            if title:
                return _first_words(title)
    return ""


def _row_sections(lines: Lines, block: Block) -> list[tuple[str, str]]:
    """A decision kept as one row of a table (`| # | Decision | Status |`): each cell a section labelled
    by its column's header, so the columns fill the decision's fields."""
    if block.start != block.end or lines.tag(block.start) != "table":
        return []
    number = block.start
    while number > 1 and lines.tag(number - 1) == "table" and not _is_delimiter(lines.line(number)):
        number -= 1
    if not _is_delimiter(lines.line(number)) or number < 2 or lines.tag(number - 1) != "table":
        return []
    header = [c.strip() for c in lines.line(number - 1).strip().strip("|").split("|")]
    cells = [c.strip() for c in lines.line(block.start).strip().strip("|").split("|")]
    if len(header) != len(cells):
        return []
    return [(label, text) for label, text in zip(header, cells, strict=True) if label and text]


def _files(texts: list[str]) -> tuple[FileRef, ...]:
    refs: list[FileRef] = []
    for text in texts:
        for raw in text.split("\n"):
            item = raw.strip().lstrip("-*+").strip()
            if not item or not re.match(r"^`?[\w./~-]+\.\w+", item):
                continue
            ref = read_listed_file(item)
            if ref is not None:
                refs.append(ref)
    return tuple(refs)


def _joined(by_field: dict[str, list[str]], name: str) -> str:
    return "\n\n".join(by_field.get(name, []))


def _listed(by_field: dict[str, list[str]], name: str) -> tuple[str, ...]:
    text = _joined(by_field, name)
    if not text:
        return ()
    items = [line.strip().lstrip("-*+").strip() for line in text.split("\n") if line.strip()]
    return tuple(items)


def _fields(kind: Kind, by_field: dict[str, list[str]], story: tuple[StorySection, ...], title: str) -> Fields:
    def joined(name: str) -> str:
        return _joined(by_field, name)

    if kind == "entry":
        return EntryFields(
            type="",
            observation=joined("observation") or joined("symptoms") or joined("context"),
            hypothesis=joined("hypothesis") or joined("root_cause"),
            actions=_listed(by_field, "actions") or _listed(by_field, "resolution"),
            result=joined("result"),
            impact=joined("impact"),
            sections=story,
        )
    if kind == "incident":
        return IncidentFields(sections=story)  # filled by postmortems.incident_fields
    if kind == "decision":
        return _decision_fields(by_field, story, title)
    if kind == "change":
        return ChangeFields(
            author=_first_words(joined("author"), 80),
            summary=joined("summary") or joined("context"),
            next_steps=joined("next_steps"),
            sections=story,
        )
    if kind == "session":
        return SessionFields(
            number=session_number(title),
            status=_first_words(joined("status").strip().split("\n")[0], 60),
            accomplishments=_listed(by_field, "actions") or opening_bullets(story),
            features=feature_count(story),
            next=joined("next_steps"),
            lessons=joined("lessons"),
            sections=story,
        )
    return StoryFields(story)


def _decision_fields(by_field: dict[str, list[str]], story: tuple[StorySection, ...], title: str) -> DecisionFields:
    """A decision in a log of many (DECISIONS.md, decisionLog.md), read as the ADR reader reads one."""
    number = _NUMBER.match(title)
    status = _first_words(chosen_status(_joined(by_field, "status").split("\n")[0]), 60)
    # In a decision, a "cause" (`原因`, `Причина`) is why it was taken, and its "impact" (`影响`, `Impacto`) its
    # consequences: the label table gives those words the incident meanings.
    consequences = _joined(by_field, "consequences") or _joined(by_field, "impact")
    good, bad = good_and_bad(consequences)
    alternatives = _joined(by_field, "alternatives")
    _supersedes, superseded_by = supersession([_joined(by_field, "status")])
    decision = _joined(by_field, "decision")
    return DecisionFields(
        number=int(number.group(1)) if number else 0,
        status=status,
        summary=_joined(by_field, "summary"),
        deciders=_joined(by_field, "deciders"),
        context=_joined(by_field, "context"),
        decision=decision,
        consequences=consequences,
        alternatives=alternatives,
        sections=story,
        state=state_of(status),
        options=option_names(alternatives),
        good=good,
        bad=bad,
        supersedes=_supersedes,
        superseded_by=superseded_by,
        rationale=_joined(by_field, "rationale") or _joined(by_field, "root_cause"),
    )


def _record_id(kind: Kind, block: Block, title: str, path: str) -> str:
    prefix = PREFIX.get(kind, "REC")
    if kind == "incident":
        found = _INC_ID.search(title)
        if found is not None:
            return found.group(0)
        if block.whole:  # one postmortem per file: `006-x.md` is INC-006, `2026-07-01-x.md` INC-2026-07-01-x
            stem = os.path.splitext(os.path.basename(path))[0]
            number = _FILE_NUMBER.match(os.path.basename(path))
            dated = re.match(r"^\d{4}-\d{2}-\d{2}", stem)
            return f"INC-{int(number.group(1)):03d}" if number and not dated else f"INC-{slug(stem, 12)}"
    if kind == "decision":
        number = _NUMBER.match(title) or _FILE_NUMBER.match(os.path.basename(path))
        if number is not None:
            return f"ADR-{int(number.group(1)):03d}"
    if kind == "entry" and len(block.date) > 10:
        return f"LOG-{block.date[:10]}-{block.date[11:13]}{block.date[14:16]}"
    if block.date:
        return f"{prefix}-{block.date[:10]}"
    words = slug(title, 6)
    if words == "record":
        words = hashlib.blake2b(title.encode("utf-8"), digest_size=3).hexdigest()
    return f"{prefix}-{words}"


def read_document(lines: Lines, path: str, kind: Kind, reading: Reading, first: int) -> Record | None:
    """The file (from line `first`) as one record of `kind`, as a change note or a proposal is; None when
    it holds nothing but its title, when it is an index of other files, or when dated headings or dated
    lines cut it into records (a log)."""
    content = _content_lines(lines, first)
    if not content or _is_index(lines, content):
        return None
    texts = [lines.headings[n][1] for n in lines.headings] + [
        lines.line(n) for n in content if lines.tag(n) in ("text", "table")
    ]
    day_first = prefers_day_first(texts)
    claimed = list(reading.claimed)
    cuts = (_dated_heading_blocks(lines, first, day_first, reading), _dated_line_blocks(lines, first, day_first))
    for blocks in cuts:
        reading.claimed[:] = claimed
        if len(blocks) >= 2 and _share(blocks, content) >= 0.5:
            return None
    content = [n for n in range(first, len(lines) + 1) if lines.tag(n) not in ("blank", "rule")]
    (block,) = _document_block(lines, path, first, content, day_first, reading)
    return _record(lines, path, kind, block, reading)
