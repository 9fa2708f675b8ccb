"""Code blocks in a record's lines: the scanner tags code lines, this groups them into blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whylog.markdown.scan import Lines

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([^`\s]*)")


@dataclass(slots=True)
class CodeBlock:
    start: int
    end: int
    info: str
    text: str
    fenced: bool = True


def iter_code_blocks(lines: Lines, numbers: list[int]) -> list[CodeBlock]:
    """Code blocks among the given lines: fenced ones without their fences, indented ones as written."""
    blocks: list[CodeBlock] = []
    fence = ""
    for number in numbers:
        if lines.tag(number) != "code":
            continue
        raw = lines.line(number)
        last = blocks[-1] if blocks else None
        if fence and last is not None:
            closing = raw.strip()
            if closing.startswith(fence) and not closing.strip(fence[0]):
                fence = ""
            else:
                last.text = f"{last.text}\n{raw}" if last.end > last.start else raw
            last.end = number
            continue
        opening = _FENCE.match(raw)
        if opening is not None:
            fence = opening.group(1)
            blocks.append(CodeBlock(number, number, opening.group(2), "", fenced=True))
        elif last is not None and not last.fenced and last.end == number - 1:
            last.text, last.end = f"{last.text}\n{raw}", number
        else:
            blocks.append(CodeBlock(number, number, "", raw, fenced=False))
    return blocks
