"""The bytes of a record file as text: what cannot be read cleanly, and mojibake.

Two ways to turn bytes into text:
- `decode` (in scan.py) is strict and is what writers use: a file whylog cannot read cleanly is never
  written into, so bytes it did not understand are never lost or replaced on disk;
- `decode_damaged` reads what it can, for everything that only reads: a byte that is not UTF-8 and a NUL
  byte become U+FFFD, a line past `MAX_LINE_CHARS` is cut there, and each kind of damage is reported once
  per file (first line and byte offset, how many more). The document then carries that damage, so commands
  can warn and writers refuse.

Mojibake (UTF-8 text once decoded as cp1252 or Latin-1 and saved again: `â€”` for `—`, `ðŸ“‹` for `📋`) is
clean UTF-8 and is repaired for reading only: `repair_lines` gives the lines readers see, the file's own
lines stay as they are. A cheap look for the marker pairs decides; ftfy is imported only when it finds one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whylog.markdown.scan import MAX_LINE_CHARS, has_long_line, split_lines
from whylog.model import Diagnostic, Source

BOM = "\ufeff"
NOT_UTF8, NUL_BYTE, LONG_LINE, MOJIBAKE = "PRS090", "PRS091", "PRS092", "PRS093"
DAMAGE_CODES = frozenset({NOT_UTF8, NUL_BYTE, LONG_LINE})
DAMAGE_HINT = (
    "re-save it as UTF-8 text; until then whylog reads it with U+FFFD in place of what it could not read, "
    "and writes nothing into it"
)
_BYTE_LINE_END = re.compile(rb"\r\n|\r|\n")
_ESCAPED = re.compile(r"[\udc80-\udcff]")
# A lead byte of a UTF-8 sequence (U+00C2..U+00F4 as Latin-1) followed by a continuation byte as Latin-1
# (U+0080..U+00BF) or as cp1252 (the characters cp1252 puts at 0x80..0x9F). Legitimate text almost never
# has such a pair; ftfy decides for the lines that do.
_MARKER = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text read from bytes that may not have been clean, and what was replaced or cut to read it."""

    text: str
    damage: tuple[Diagnostic, ...]


def decode_damaged(data: bytes, path: str) -> Decoded:
    """The file's text with damage replaced (see the module docs); the BOM is dropped, as `decode` does."""
    damage: list[tuple[int, Diagnostic]] = []  # by byte offset
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "surrogateescape")
        count = len(_ESCAPED.findall(text))
        message = f"byte 0x{data[exc.start]:02x} is not UTF-8" + (f" (and {count - 1} more)" if count > 1 else "")
        damage.append(_damage(NOT_UTF8, message + "; read as U+FFFD", path, _line_at(data, exc.start), exc.start))
        text = _ESCAPED.sub("\ufffd", text)
    nul = data.find(b"\x00")
    if nul >= 0:
        count = data.count(b"\x00")
        damage.append(_damage(NUL_BYTE, _nul_message(count), path, _line_at(data, nul), nul))
        text = text.replace("\x00", "\ufffd")
    text = text[1:] if text.startswith(BOM) else text
    if has_long_line(text):
        text = _cut_long_lines(text, data, path, damage)
    return Decoded(text, tuple(item for _, item in sorted(damage, key=lambda pair: pair[0])))


def _nul_message(count: int) -> str:
    more = f" (and {count - 1} more)" if count > 1 else ""
    return f"binary data (a NUL byte{more}); read as U+FFFD"


def _cut_long_lines(text: str, data: bytes, path: str, damage: list[tuple[int, Diagnostic]]) -> str:
    lines = split_lines(text)
    long = [n for n, line in enumerate(lines) if len(line) > MAX_LINE_CHARS]
    if not long:
        return text
    first = long[0]
    length = len(lines[first].rstrip("\r\n"))
    ends = _BYTE_LINE_END.finditer(data)
    offset = next(m.end() for n, m in enumerate(ends, 1) if n == first) if first else 0
    more = f" (and {len(long) - 1} more such lines)" if len(long) > 1 else ""
    keep = MAX_LINE_CHARS - 2  # room for its line ending
    message = f"line is {length:,} characters long{more}; read its first {keep:,}"
    damage.append(_damage(LONG_LINE, message, path, first + 1, offset))
    for number in long:
        line = lines[number]
        ending = line[len(line.rstrip("\r\n")) :]
        lines[number] = line[:keep] + ending
    return "".join(lines)


def _line_at(data: bytes, offset: int) -> int:
    """The line (1-based) holding byte `offset`: \\n, \\r\\n and a lone \\r end a line, as in scan."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _damage(code: str, message: str, path: str, line: int, offset: int) -> tuple[int, Diagnostic]:
    diagnostic = Diagnostic(code, f"{message} (byte offset {offset:,})", Source(path, line, line), DAMAGE_HINT, "error")
    return offset, diagnostic


def is_damaged(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.code in DAMAGE_CODES for d in diagnostics)


def repair_lines(text: str, lines: list[str]) -> tuple[list[str], list[int]]:
    """The lines with mojibake repaired (each keeps its line ending; `lines` itself when there was none)
    and the numbers of the repaired lines. Costs one regex search over the text when there is nothing to
    repair, and nothing for ASCII text. `text` is the lines joined."""
    if text.isascii() or _MARKER.search(text) is None:
        return lines, []
    import ftfy

    shown = list(lines)
    repaired: list[int] = []
    for index, line in enumerate(lines):
        if line.isascii() or _MARKER.search(line) is None:
            continue
        body = line.rstrip("\r\n")
        fixed = ftfy.fix_encoding(body)
        if fixed != body and "\n" not in fixed and "\r" not in fixed:
            shown[index] = fixed + line[len(body) :]
            repaired.append(index + 1)
    return (shown, repaired) if repaired else (lines, [])


def mojibake_diagnostic(path: str, repaired: list[int]) -> Diagnostic:
    count = len(repaired)
    message = (
        f"{count} line{'' if count == 1 else 's'} hold mojibake (UTF-8 once read as cp1252 or Latin-1, such as "
        "`â€”` for `—`); repaired for reading, the file is unchanged"
    )
    hint = "re-save those lines with the characters they meant, or leave them: whylog reads them repaired"
    return Diagnostic(MOJIBAKE, message, Source(path, repaired[0], repaired[0]), hint, "info")
