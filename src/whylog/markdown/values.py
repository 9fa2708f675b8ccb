"""Values inside a record: labels, dates, status marks, percentages, file references, list items.

These work on single lines or on a record's own lines, never on a whole file: the CommonMark pass in
`scan.py` has already said which lines are code, headings, tables and separators.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from whylog.markdown.scan import Lines
from whylog.model import Change, FileRef
from whylog.model.bounds import year_in_bounds

_BOLD_LABEL = re.compile(r"^\s{0,3}(?:[-*+]\s+|\d{1,3}[.)]\s+)?\*\*([^*]+?)\*\*(:?)\s*(.*)$")
_PLAIN_LABEL = re.compile(r"^\s{0,3}(?:[-*+]\s+)?([A-Za-z][A-Za-z0-9 /&()'#.-]{0,48}?)\s*:(?:\s+(.*))?$")
_ITEM = re.compile(r"^(\s*)([-*+•]|\d{1,4}[.)])(?:\s+(.*))?$")


@functools.lru_cache(maxsize=8192)
def norm(label: str) -> str:
    """A label as a lookup key: lower case, single spaces, no trailing colon or emphasis."""
    return " ".join(label.replace("*", "").strip().rstrip(":").strip().lower().split())


def strip_emphasis(text: str) -> str:
    return text.replace("**", "").replace("__", "").strip()


def match_label(line: str, known: Mapping[str, str] | None) -> tuple[str, str] | None:
    """`(label, rest)` when `line` starts with a label: `**Label:** rest`, `**Label**: rest`, or a
    plain `Label: rest` whose label is in `known` (plain labels are too common in prose to trust)."""
    if ":" not in line:
        return None
    bold = _BOLD_LABEL.match(line)
    if bold is not None:
        label, colon, rest = bold.groups()
        if label.endswith(":") or colon or rest.startswith(":") or (not rest and known is None):
            label = label.rstrip().rstrip(":").strip()
            rest = rest[1:].strip() if rest.startswith(":") else rest
            if known is None or norm(label) in known:
                return label, rest.strip()
        return None
    if known is None:
        return None
    plain = _PLAIN_LABEL.match(line)
    if plain is not None and norm(plain.group(1)) in known:
        return plain.group(1).strip(), (plain.group(2) or "").strip()
    return None


@dataclass(slots=True)
class Section:
    """A labelled part of a record: the label's line, the text after the label, and the lines below."""

    key: str  # the canonical name from `known`, or the normalized label
    label: str
    line: int
    level: int  # heading level, or 0 for a `**Label:**` line
    inline: str
    body: list[int] = field(default_factory=list)

    def text(self, lines: Lines) -> str:
        """Inline text and body lines, as written, with blank lines at the ends removed."""
        parts = [self.inline] if self.inline else []
        parts += [lines.line(n) for n in self.body]
        return "\n".join(parts).strip("\n").strip()


def iter_sections(
    lines: Lines,
    numbers: Iterable[int],
    known: Mapping[str, str] | None = None,
    headings: bool = True,
) -> list[Section]:
    """Split the given lines at labels. Lines before the first label form a section with key ""."""
    sections: list[Section] = [Section("", "", 0, 0, "")]
    for number in numbers:
        tag = lines.tags[number - 1]
        if tag == "heading" and headings and number in lines.headings:
            level, text = lines.headings[number]
            key = norm(text)
            sections.append(Section(known.get(key, key) if known else key, text, number, level, ""))
            continue
        if tag == "text":
            found = match_label(lines.line(number), known)
            if found is not None:
                key = norm(found[0])
                key = known.get(key, key) if known else key
                sections.append(Section(key, found[0], number, 0, found[1]))
                continue
        sections[-1].body.append(number)
    return sections


@dataclass(slots=True)
class Item:
    """One list item: its first line, its text (continuation lines joined) and nested lines."""

    line: int
    text: str
    children: list[str] = field(default_factory=list)


def iter_items(lines: Lines, numbers: Iterable[int]) -> list[Item]:
    """Top-level list items among the given lines; deeper lines and lazy lines join the item above."""
    items: list[Item] = []
    indent = -1
    for number in numbers:
        raw = lines.line(number)
        if not raw.strip():
            continue
        match = _ITEM.match(raw) if lines.tags[number - 1] == "text" else None
        if match is not None and (indent < 0 or len(match.group(1)) <= indent):
            indent = len(match.group(1))
            items.append(Item(number, (match.group(3) or "").strip()))
        elif items:
            items[-1].children.append(raw.strip())
        elif raw.strip():
            items.append(Item(number, raw.strip()))
    return items


def item_text(item: Item) -> str:
    return "\n".join([item.text, *item.children]).strip()


# --- marks ---------------------------------------------------------------------------------------

_MARKS: dict[str, bool | None] = {
    "[x]": True,
    "[X]": True,
    "[done]": True,
    "[resolved]": True,
    "✅": True,
    "✔": True,
    "✔️": True,
    "☑": True,
    "[ ]": False,
    "[]": False,
    "[open]": False,
    "[todo]": False,
    "[in progress]": False,
    "[wip]": False,
    "[pending]": False,
    "⏳": False,
    "❌": False,
    "✗": False,
    "⚠️": False,
    "⚠": False,
    "☐": False,
}
_MARK = re.compile(
    r"^\s*(\[[ xX]?\]|\[(?:done|resolved|open|todo|in progress|wip|pending)\]|✅|✔️|✔|☑|⏳|❌|✗|⚠️|⚠|☐)\s*",
    re.IGNORECASE,
)


def read_mark(text: str) -> tuple[bool | None, str, str]:
    """`(done, mark, rest)` for text starting with a status mark; done is None when there is none."""
    match = _MARK.match(text)
    if match is None:
        return None, "", text.strip()
    mark = match.group(1)
    return _MARKS.get(mark.lower(), _MARKS.get(mark)), mark, text[match.end() :].strip()


# --- dates ---------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?)?")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_WORDY = re.compile(r"\b([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\b|\b(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})\b")


def read_date(text: str) -> str | None:
    """An ISO 8601 UTC date found at the start of `text` or anywhere in it, or None.

    `2026-03-19 14:32 UTC` -> `2026-03-19T14:32:00Z`; `2025-10-28` -> `2025-10-28`;
    `December 22, 2024` -> `2024-12-22`. Times with an offset are converted to UTC.
    """
    iso = _ISO.search(text)
    if iso is not None:
        year, month, day, hour, minute, second, zone = iso.groups()
        try:
            moment = datetime(int(year), int(month), int(day))
        except ValueError:
            return None
        if hour is None:
            return _iso(moment, "%Y-%m-%d")
        if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
            return None
        moment = moment.replace(hour=int(hour), minute=int(minute), second=int(second or 0))
        if zone and zone[0] in "+-":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            try:
                moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            except OverflowError:  # past 9999-12-31 or before 0001-01-01 in UTC
                return None
        return _iso(moment, "%Y-%m-%dT%H:%M:%SZ")
    wordy = _WORDY.search(text)
    if wordy is not None:
        if wordy.group(1):
            month_name, day, year = wordy.group(1), wordy.group(2), wordy.group(3)
        else:
            day, month_name, year = wordy.group(4), wordy.group(5), wordy.group(6)
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        try:
            return _iso(datetime(int(year), month, int(day)), "%Y-%m-%d")
        except ValueError:
            return None
    return None


def _iso(moment: datetime, form: str) -> str | None:
    """The date in `form`, or None when its year is outside the bounds (see whylog.model.bounds)."""
    return moment.strftime(form) if year_in_bounds(moment.year) else None


def format_stamp(date: str) -> str:
    """The log's own timestamp form: `2026-03-19 14:32 UTC` (`14:32:07 UTC` when the seconds are not
    zero: an entry written in a minute another entry already has), or the bare day when there is no time."""
    if "T" not in date:
        return date
    seconds = date[16:19] if date[16:19] not in ("", ":00") else ""
    return f"{date[:10]} {date[11:16]}{seconds} UTC"


def format_long_date(date: str) -> str:
    moment = datetime.strptime(date[:10], "%Y-%m-%d")
    return f"{moment.strftime('%B')} {moment.day}, {moment.year}"


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:00Z")


# --- percentages and counts ------------------------------------------------------------------------

_PERCENT = re.compile(r"^\s*\[?(\d{1,3}(?:\.\d+)?)\s*%\]?\s*(?:[-–—:,]\s*)?(.*)$", re.DOTALL)
_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")


def read_percent(text: str) -> tuple[int, str] | None:
    """`(value, reason)` from `95% - reason`; None when the text does not start with a percentage."""
    match = _PERCENT.match(text)
    if match is None:
        return None
    return round(float(match.group(1))), match.group(2).strip()


def read_fraction(text: str) -> tuple[int, int] | None:
    match = _FRACTION.search(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


# --- file references ---------------------------------------------------------------------------------

_CODE_PATH = re.compile(r"^`([^`]+)`\s*(.*)$")
_BARE_PATH = re.compile(r"^([\w./~@+-][^\s()]*)\s*(.*)$")
_PAREN = re.compile(r"^\((.*)\)\s*(.*)$")
_RANGE = re.compile(r"\b[Ll](?:ines?)?\s*(\d+)(?:\s*(?:-|–|to)\s*[Ll]?(\d+))?")
_RANGE_LIST = re.compile(r"^(?:lines?\s+)?\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|and)\s*\d+(?:\s*[-–]\s*\d+)?)*$")
_NUMBERS = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")
_NEW = re.compile(r"^(?:new|new file|new directory|new folder|created|added)$", re.IGNORECASE)
_DELETED = re.compile(r"^(?:deleted|removed)$", re.IGNORECASE)


def looks_like_path(text: str) -> bool:
    if not text or " " in text or text.lower() in {"none", "n/a", "-"}:
        return False
    return "/" in text or "." in text.strip(".") or text.endswith("/")


def _is_spaced_path(text: str) -> bool:
    """A backticked name with spaces (`docs/my notes.md`), not a command (`pytest -q tests/`)."""
    extension = text.rsplit(".", 1)[-1] if "." in text else ""
    named = "/" in text or (extension.isalnum() and len(extension) <= 5)
    return named and not any(word.startswith("-") for word in text.split()) and looks_like_path(text.replace(" ", "_"))


def read_file_ref(text: str) -> FileRef | None:
    """A FileRef from a list item such as `` `api.py` (lines 15-45, added X) `` or `/app/x.py - note`."""
    text = text.strip()
    match = _CODE_PATH.match(text) or _BARE_PATH.match(text)
    if match is None:
        return None
    path, rest = match.group(1).strip(), match.group(2).strip()
    if not looks_like_path(path) and not (match.re is _CODE_PATH and _is_spaced_path(path)):
        return None
    lines: list[tuple[int, int]] = []
    change: Change = "modified"
    notes: list[str] = []
    paren = _PAREN.match(rest)
    if paren is not None:
        inner, rest = paren.group(1), paren.group(2)
        for part in _split_paren(inner):
            if _RANGE_LIST.match(part.strip()) and _RANGE.search("lines " + part):
                lines += _ranges(part)
            elif _NEW.match(part):
                change = "new"
            elif _DELETED.match(part):
                change = "deleted"
            else:
                notes.append(part)
    rest = rest.strip()
    if rest[:2] in ("- ", "– ", "— ") or rest[:1] == ":":
        rest = rest[1:].strip()
    if rest:
        notes.append(rest)
    return FileRef(path, tuple(lines), change, ", ".join(notes))


def _split_paren(inner: str) -> list[str]:
    """`lines 34-36, added X` -> [`lines 34-36`, `added X`]; keeps `12-18, 40-42` together."""
    parts: list[str] = []
    for piece in inner.split(","):
        piece = piece.strip()
        if parts and re.fullmatch(r"\d+(?:\s*[-–]\s*\d+)?", piece) and _RANGE_LIST.match(parts[-1]):
            parts[-1] += ", " + piece
        else:
            parts.append(piece)
    return [p for p in parts if p]


def _ranges(text: str) -> list[tuple[int, int]]:
    out = []
    for start, end in _NUMBERS.findall(text):
        first = int(start)
        last = int(end) if end else first
        out.append((min(first, last), max(first, last)))
    return out


def format_file_ref(ref: FileRef) -> str:
    """The template's form: `` `path` (lines 15-45, note) ``, `(new file)`, `(deleted)`."""
    parts: list[str] = []
    if ref.lines:
        spans = [f"{a}-{b}" if a != b else f"{a}" for a, b in ref.lines]
        single = len(ref.lines) == 1 and ref.lines[0][0] == ref.lines[0][1]
        parts.append(("line " if single else "lines ") + ", ".join(spans))
    if ref.change == "new":
        parts.append("new directory" if ref.path.endswith("/") else "new file")
    elif ref.change == "deleted":
        parts.append("deleted")
    if ref.note:
        parts.append(ref.note)
    suffix = f" ({', '.join(parts)})" if parts else ""
    return f"`{ref.path}`{suffix}"


def slug(text: str, words: int = 8) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return "-".join(cleaned.split("-")[:words]) or "record"


_NAMES_A_RECORD = re.compile(r"\b(?:LOG|INC|ADR|CHG|SES)-\d{3,}[\w-]*|\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_NUMBERED = re.compile(r"^(.*)-(\d+)$")


def named_record(text: str) -> str | None:
    """The record a link's text names explicitly (an id such as INC-2024-001, or an entry stamp), if any."""
    found = _NAMES_A_RECORD.search(text)
    return found.group(0) if found else None


def base_id(record_id: str) -> str:
    """An id without a -2, -3 suffix (the id is that base when the repo has a record with it)."""
    match = _NUMBERED.match(record_id)
    return match.group(1) if match else record_id
