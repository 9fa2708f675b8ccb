"""Reading only the ends of a long log: what `whylog add` needs to place an entry and take its id.

A newest-first log takes a new entry near its head, an oldest-first one near its tail, and which way a log
runs is decided by its first and last records. So the head (from the first line to a record heading) and
the tail (from a record heading to the end) are read, and the middle is not parsed at all. Each window is
cut at a stamped heading at the left margin that follows a blank line, where a CommonMark parser starts
afresh: no paragraph, list, block quote or HTML block that ends at a blank line can hold it, so only a code
fence or an HTML block of the kinds that end at a marker (`<!--`, `<pre`, ...) could. The head's cut is
checked by the parser itself (the head is read on to the next cut, and the cut line must come out a heading
that starts a record); the tail's by walking the raw text's fence lines from the start of the file, giving up
(None) at anything it cannot be sure of: a fence line indented by one to three spaces (it may belong to a
list item), a fence after an HTML line, an HTML block that does not close on its line.

The middle's records are not read, so a caller must not let them matter: `Ends.names_day_between` tells
whether the middle's raw text may name a date in a range (every date shape the readers know holds a
four-digit year), so that no entry of the new entry's days, and no entry dated after it, hides there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from whylog.markdown.dates import MONTHS
from whylog.markdown.document import Document
from whylog.markdown.readers import read_text
from whylog.markdown.scan import Lines, split_lines
from whylog.markdown.window import _end, _moved, _start

# How many records each window holds at least; a log with fewer than twice as many is read whole.
HEAD_RECORDS = 8
TAIL_RECORDS = 4

_CUT = re.compile(r"^#{1,6}[ \t]+\[?\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", re.MULTILINE)
# A fence's marks, and the opener of an HTML block that ends at a marker rather than at a blank line.
_FENCES = (re.compile(r"```+"), re.compile(r"~~~+"))  # apart: each has a literal prefix the engine looks for
_HTML = re.compile(r"<(?:(?:script|pre|style|textarea)(?=[\s>]|$)|!--|\?|!\[CDATA\[|![A-Za-z])", re.IGNORECASE | re.M)
_HTML_END = {"<!--": "-->", "<?": "?>", "<![cdata[": "]]>"}
_DIGITS = re.compile(r"[0-9]{4}")
# A year, and the month and day after it when it starts a year-month-day date; or a compact YYYYMMDD.
_YEAR = re.compile(r"(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})(?!\d))?(?!\d)|((?:19|20)\d{2})\d{4}(?!\d)")

_NIAN = re.compile(r"\s*年")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Ends:
    """A document holding the records of a log's head and tail only (its `lines` are the whole file's,
    tagged in the head and tail, `text` elsewhere), and where its unread middle lies."""

    document: Document
    head_end: int  # 1-based line the middle starts at (the head is the lines before it)
    tail_start: int  # 1-based line the tail starts at (the middle is the lines before it)
    middle: tuple[int, int]  # where the middle lies in the text, as character offsets

    def names_day_between(self, first: str, last: str) -> bool:
        """Whether the middle's text may name a date from day `first` to day `last` (YYYY-MM-DD)."""
        text, (begin, stop) = self.document.text, self.middle
        low, high = int(first[:4]), int(last[:4])
        if high - low <= 3:  # a few years: look for each (str.find is fast), not for every number
            for year in range(low, high + 1):
                at = text.find(str(year), begin, stop)
                while at >= 0:
                    if _names_day(text, at, stop, first, last):
                        return True
                    at = text.find(str(year), at + 1, stop)
            return False
        return any(_names_day(text, m.start(), stop, first, last) for m in _DIGITS.finditer(text, begin, stop))


def _names_day(text: str, at: int, stop: int, first: str, last: str) -> bool:
    """Whether the digits at `at` may be the year of a date from `first` to `last`."""
    if at > 0 and text[at - 1].isdigit():
        return False
    match = _YEAR.match(text, at, stop)
    if match is None:
        return False
    year_text = match.group(1) or match.group(5)
    if not int(first[:4]) <= int(year_text) <= int(last[:4]):
        return False
    if match.group(2) is None:  # a year in some other shape: any of its days
        return bool(match.group(5)) or _other_shape(text, match.start(), match.end())
    return first <= f"{year_text}-{int(match.group(3)):02d}-{int(match.group(4)):02d}" <= last


def _other_shape(text: str, start: int, end: int) -> bool:
    """Whether the year at `text[start:end]` may end or start a date in find_date's shapes other than
    year-month-day: `19/03/2026`, `2026年3月`, or a month's name in one of the three words before it
    (`March 19, 2026`, `19 de marzo de 2026`). `INC-2026-046` or `3294ms` names no date."""
    before = text[start - 1 : start]
    if before in ("/", ".") or _NIAN.match(text, end):
        return True
    return any(word.lower() in MONTHS for word in _WORD.findall(text, max(start - 40, 0), start)[-3:])


def read_ends(text: str, path: str, family: str) -> Ends | None:
    """The head and tail of a long log as one document, or None when the log is short or a window's edge
    cannot be shown to be a fresh start (the caller reads the whole file)."""
    if re.search(r"\r(?!\n)", text):  # a line ending in a lone CR: the raw scans here see lines at \n only
        return None
    head_cuts = list(itertools.islice(_iter_cuts(text, 0), HEAD_RECORDS + 2))
    tail_cuts = _last_cuts(text, TAIL_RECORDS)
    if len(head_cuts) < HEAD_RECORDS + 2 or len(tail_cuts) < TAIL_RECORDS or tail_cuts[0] <= head_cuts[-1]:
        return None
    lines = split_lines(text)
    head_end, after = _line_of(text, head_cuts[HEAD_RECORDS]), _line_of(text, head_cuts[HEAD_RECORDS + 1])
    tail_start = _line_of(text, tail_cuts[0])
    head = _read_head(lines, head_end, after, path, family)
    if head is None or not _fresh(text, tail_cuts[0]):
        return None
    tail = read_text(text[tail_cuts[0] :], path, family)
    if not tail.records or not _starts_record(tail, 1):
        return None
    offset = tail_start - 1
    records = [r for r in head.records if _start(r) < head_end] + [_moved(r, offset, path) for r in tail.records]
    middle = tail_start - head_end
    headings = {n: h for n, h in head.lines.headings.items() if n < head_end}
    headings.update({n + offset: h for n, h in tail.lines.headings.items()})
    tags = head.lines.tags[: head_end - 1] + ["text"] * middle + tail.lines.tags
    whole = Lines(text, lines, tags, headings)
    document = Document(path, text, family, records, [], [], head.front_matter, whole)
    return Ends(document, head_end, tail_start, (head_cuts[HEAD_RECORDS], tail_cuts[0]))


def _iter_cuts(text: str, begin: int) -> Iterator[int]:
    """The offsets, from `begin` on, of the stamped headings at the left margin after a blank line."""
    for match in _CUT.finditer(text, begin):
        at = match.start()
        if at == 0 or not text[text.rfind("\n", 0, at - 1) + 1 : at].strip():
            yield at


def _last_cuts(text: str, count: int) -> list[int]:
    """The offsets of the last `count` cuts (fewer when the text has fewer), looking back from the end in
    growing steps."""
    size = 1 << 16
    while True:
        begin = max(len(text) - size, 0)
        found = list(_iter_cuts(text, begin))
        if len(found) >= count or begin == 0:
            return found[-count:]
        size *= 4


def _line_of(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _read_head(lines: list[str], cut: int, after: int, path: str, family: str) -> Document | None:
    """The head read up to line `after` (the record from line `cut` with it), when line `cut` comes out a
    heading starting a record and every record before it ends before it."""
    head = read_text("".join(lines[: after - 1]), path, family)
    if not _starts_record(head, cut):
        return None
    if any(_start(r) < cut <= _end(r) for r in head.records):
        return None
    return head


def _starts_record(document: Document, number: int) -> bool:
    return document.lines.tag(number) == "heading" and any(_start(r) == number for r in document.records)


def _fresh(text: str, stop: int) -> bool:
    """Whether the text before offset `stop` (a cut) leaves no code fence or HTML block open, judged
    from its raw lines; False whenever it cannot be sure."""
    fence: tuple[str, int] | None = None
    for line, indent, marks, rest in _block_lines(text, stop):
        if not marks.startswith(("`", "~")):  # an HTML block's first line
            if fence is None and not _closes(marks.lower(), rest):
                return False
            continue
        if fence is not None:
            if indent <= 3 and marks[0] == fence[0] and len(marks) >= fence[1] and not rest.strip():
                fence = None
            continue
        if indent >= 4:  # indented code at the top level, or a list item's fence, which its item closes
            continue
        if indent or (marks[0] == "`" and "`" in rest) or _after_html(text, line):
            return False
        fence = (marks[0], len(marks))
    return fence is None


def _block_lines(text: str, stop: int) -> list[tuple[int, int, str, str]]:
    """The fence lines and the first lines of HTML blocks that end at a marker, before offset `stop`, in
    order: each as the offset of its line, its indent, its marks (the fence, or the HTML opener) and the
    rest of its line. Found by their marks (a search the regex engine does quickly), then kept when only
    spaces come before them."""
    out: list[tuple[int, int, str, str]] = []
    for pattern, most in ((_FENCES[0], None), (_FENCES[1], None), (_HTML, 3)):
        for match in pattern.finditer(text, 0, stop):
            line = text.rfind("\n", 0, match.start()) + 1
            indent = match.start() - line
            if text[line : match.start()].strip(" ") or (most is not None and indent > most):
                continue
            end = text.find("\n", match.end(), stop)
            out.append((line, indent, match.group(0), text[match.end() : stop if end < 0 else end]))
    return sorted(out)


def _closes(opener: str, rest: str) -> bool:
    """Whether an HTML block opened by `opener` ends on its first line (`rest` is what follows it)."""
    if opener in _HTML_END:
        return _HTML_END[opener] in rest
    if opener.startswith("<!"):
        return ">" in rest
    return f"</{opener[1:]}>" in rest.lower()


def _after_html(text: str, at: int) -> bool:
    """Whether the paragraph-like run of lines just before offset `at` holds a line starting with `<`
    (an HTML block that ends only at a blank line would hold the fence line)."""
    start = at
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        line = text[previous : start - 1].strip("\r\n")
        if not line.strip():
            return False
        if line.lstrip(" ").startswith("<"):
            return True
        start = previous
    return False
