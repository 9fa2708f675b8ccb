"""The CommonMark pass: one walk of pyromark's events that classifies every line of a file.

This is the only module that imports the Markdown parser. Readers never look at Markdown syntax the parser
already understands (code fences, headings, tables, thematic breaks, HTML blocks, front matter); they get
`Lines`, where each line is tagged with the block it belongs to, and read labels out of the `text` lines.

Two deliberate departures from a plain CommonMark reading, both because record logs are written that way:
- a separator glued to a heading (`---## 2026-03-19 ...`, an artefact of scraping) is read as the heading,
  and reported, so the record is not lost inside the paragraph before it;
- a setext underline made of dashes is read as a separator, not as a level-2 heading, because in a record
  log `**Confidence:** 95% - sure` followed by `---` is the end of an entry, not a heading.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from whylog.model.errors import ParseError

MAX_LINE_CHARS = 1_000_000
_LINE_END = re.compile(r"\r\n|\r|\n")
_GLUED = re.compile(r"^(-{3,}|\*{3,}|_{3,})(?=#{1,6}(?:\s|$)|\|)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
# A line of plain prose: after its indentation and list marker it starts with a letter (of any script), a
# bold letter or a one-backtick code span, and holds no `|` (a table row), `<` or `>` (where an HTML block
# ends). Where such a line lies in the block structure does not depend on its text, so the parser is given
# `a` in its place (`_thin`): half the events of a record log are inside such lines, and the walk costs per
# event (tests/markdown/test_scan.py checks the blocks are the same).
_PROSE = re.compile(r"^([ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)(?:\*\*[^\W\d_]|[^\W\d_]|`[^`\n])[^|<>\n]*$", re.M)


@dataclass(slots=True)
class Lines:
    """A file split into lines, each tagged by the block the CommonMark parser put it in."""

    text: str
    lines: list[str]  # with their line endings, so "".join(lines) == text
    tags: list[str]  # per line: blank, text, heading, code, table, rule, html, meta
    headings: dict[int, tuple[int, str]] = field(default_factory=dict)  # line -> (level, text)
    glued: list[int] = field(default_factory=list)  # lines whose separator was glued to a heading
    # The lines as readers see them: `lines` with mojibake repaired (encoding.repair_lines), the same list
    # when there was none. Writers splice `lines`, so a repair never reaches the file.
    shown: list[str] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)  # lines whose text `shown` repairs

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        """Line `number` (1-based) as readers see it (mojibake repaired), without its line ending."""
        return (self.shown or self.lines)[number - 1].rstrip("\r\n")

    def tag(self, number: int) -> str:
        return self.tags[number - 1]


def split_lines(text: str) -> list[str]:
    """Lines with their endings kept; only \\n, \\r\\n and \\r end a line, as in CommonMark."""
    if "\r" not in text:
        parts = text.split("\n")
        last = parts.pop()
        return [part + "\n" for part in parts] + ([last] if last else [])
    out: list[str] = []
    pos = 0
    for match in _LINE_END.finditer(text):
        out.append(text[pos : match.end()])
        pos = match.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def decode(data: bytes, path: str) -> str:
    """UTF-8 text from bytes, or a ParseError naming the line of the first bad byte, NUL byte or line too
    long. Writers read through this: they refuse a file they cannot read cleanly (readers use
    `encoding.decode_damaged`, which reads what it can)."""
    from whylog.markdown.encoding import DAMAGE_HINT, decode_damaged

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if "\x00" in text or (not text and data) or has_long_line(text):
        damage = decode_damaged(data, path).damage
        if damage:
            first = damage[0]
            message = first.message.split(";")[0] + "; expected UTF-8 text"
            raise ParseError(message, path, first.source.start_line, f"nothing was written; {DAMAGE_HINT}")
    return text[1:] if text.startswith("\ufeff") else text


def has_long_line(text: str) -> bool:
    """Whether some line may be longer than MAX_LINE_CHARS (split at \\n only: never says no wrongly)."""
    return len(text) > MAX_LINE_CHARS and max(map(len, text.split("\n"))) >= MAX_LINE_CHARS


def check_line_lengths(lines: list[str], path: str) -> None:
    if not lines or max(map(len, lines)) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise ParseError(
                f"line is {len(line):,} characters long; expected lines under {MAX_LINE_CHARS:,}",
                path,
                number,
                "a record file is text for people; is this a data dump?",
            )


def scan(text: str, path: str = "<text>", markdown: bool = True, repair: bool = True) -> Lines:
    """Classify every line of `text`. With markdown=False every non-blank line is `text`. With repair,
    readers see lines with mojibake repaired (`Lines.shown`); JSON is read from `text` and is not."""
    from whylog.markdown.encoding import repair_lines

    lines = split_lines(text)
    check_line_lengths(lines, path)
    tags = ["blank" if not ln.strip() else "text" for ln in lines]
    shown, repaired = repair_lines(text, lines) if repair else (lines, [])
    result = Lines(text, lines, tags, shown=shown, repaired=repaired)
    if not markdown or not lines:
        return result
    parser_lines = list(result.shown)
    front = _front_matter_end(lines)
    for index in range(front):
        tags[index] = "meta"
        parser_lines[index] = "\n"
    if "---" in text or "***" in text or "___" in text:
        for index, line in enumerate(result.shown):
            if line[:1] in "-*_" and _GLUED.match(line):
                parser_lines[index] = _GLUED.sub("", line, count=1)
                result.glued.append(index + 1)
    _classify(result, parser_lines)
    if result.glued:  # `---## ` inside a code fence is an example, not a glued separator
        result.glued = [n for n in result.glued if result.tags[n - 1] not in ("code", "html", "meta")]
    return result


def _front_matter_end(lines: list[str]) -> int:
    """The number of lines a YAML front matter block at the very top takes (0 if none). Found here rather
    than by the parser's metadata option, which also takes any later `---` ... `---` stretch (a log whose
    entries are separated by `---` lines) for front matter and hides the entries inside it."""
    if not lines or lines[0].rstrip("\r\n") != "---" or len(lines) < 2 or not lines[1].strip():
        return 0
    for index in range(1, min(len(lines), 500)):
        if lines[index].rstrip("\r\n") in ("---", "..."):
            return index + 1
    return 0


def load_parser() -> None:
    """Import the CommonMark parser now (it is otherwise imported on the first Markdown file read)."""
    import pyromark  # noqa: F401


def _classify(result: Lines, parser_lines: list[str]) -> None:
    import pyromark

    source, sizes = _thin("".join(parser_lines), parser_lines)
    starts = [0, *itertools.accumulate(sizes)]

    def line_of(byte: int) -> int:
        return bisect.bisect_right(starts, byte)

    def mark(start: int, end: int, tag: str) -> None:
        first, last = line_of(start), line_of(max(start, end - 1))
        for number in range(first, last + 1):
            if result.tags[number - 1] != "blank" or tag in ("code", "meta"):
                result.tags[number - 1] = tag

    options = pyromark.Options.ENABLE_TABLES
    events: Any = pyromark.events_with_range(source, options=options)
    for event, span in events:
        if type(event) is str:  # Rule, SoftBreak, HardBreak
            if event == "Rule":
                mark(span["start"], span["end"], "rule")
            continue
        start = event.get("Start")
        if start is None:
            continue
        name = start if type(start) is str else next(iter(start))
        if name == "Heading":
            _heading(result, line_of(span["start"]), line_of(max(span["start"], span["end"] - 1)))
        elif name == "CodeBlock":
            mark(span["start"], span["end"], "code")
        elif name == "Table":
            mark(span["start"], span["end"], "table")
        elif name == "HtmlBlock":
            mark(span["start"], span["end"], "html")


def _cut(prose: re.Match[str]) -> str:
    return prose[1] + "a"  # a function is quicker than the template `\1a`, expanded in Python per match


def _thin(source: str, parser_lines: list[str]) -> tuple[str, list[int]]:
    """The text the parser reads (prose lines cut to `a`, when every line ends in \\n) and the size in bytes
    of each of its lines but the last: pyromark reports byte offsets."""
    if "\r" not in source:
        source = _PROSE.sub(_cut, source)
        lines = source.split("\n")[: len(parser_lines) - 1]
        ascii_only = source.isascii()
        return source, [len(line) + 1 if ascii_only else len(line.encode()) + 1 for line in lines]
    lines = parser_lines[:-1]
    return source, list(map(len, lines)) if source.isascii() else [len(line.encode()) for line in lines]


def _heading(result: Lines, first: int, last: int) -> None:
    raw = result.line(first)
    if first in result.glued:
        raw = _GLUED.sub("", raw, count=1)
    match = _ATX.match(raw)
    if match is not None:
        result.tags[first - 1] = "heading"
        result.headings[first] = (len(match.group(1)), match.group(2).strip())
        return
    if first == last:  # an ATX heading inside a container (`> ## x`, `- ## x`)
        result.tags[first - 1] = "heading"
        result.headings[first] = (1, raw.lstrip(" >-*+").lstrip("#").strip())
        return
    underline = result.shown[last - 1].strip()
    if underline.startswith("-"):
        result.tags[last - 1] = "rule"
        return
    result.tags[first - 1] = "heading"
    text = " ".join(result.shown[n - 1].strip() for n in range(first, last))
    for number in range(first + 1, last + 1):
        result.tags[number - 1] = "heading"
    result.headings[first] = (1, text)
