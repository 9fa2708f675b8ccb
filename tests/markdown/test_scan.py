"""The CommonMark pass reads prose lines cut short (`scan._thin`): the blocks it finds must be the ones the
full text gives, line for line."""

from __future__ import annotations

from typing import Any

import pyromark
from hypothesis import given, settings
from hypothesis import strategies as st

from whylog.markdown.scan import _thin, scan, split_lines

BLOCKS = ("Heading", "CodeBlock", "Table", "HtmlBlock", "Paragraph", "Item", "BlockQuote", "List")

# Lines of the kinds record logs are made of, prose among them in every shape `_thin` cuts.
LINE = st.sampled_from(
    [
        "",
        "## 2026-01-02 10:00 UTC - Entry",
        "# Title",
        "Plain prose with *emphasis* and `code`.",
        "Prose with a | pipe",
        "Prose ending an HTML comment -->",
        "Prose with <b>inline html</b>",
        "**Type:** Bug Fix",
        "**Result:** fixed, see [link](https://example.com)",
        "- `src/app.py` (lines 1-10)",
        "- **Observation:** the pool ran out",
        "  - nested prose item",
        "1. first step",
        "10) tenth step",
        "* star item with **bold**",
        "    indented prose",
        "---",
        "***",
        "===",
        "```",
        "```python",
        "~~~",
        "| a | b |",
        "|---|---|",
        "a | b",
        "<!-- comment start",
        "<div>",
        "</div>",
        "> quoted prose",
        "> ## quoted heading",
        "[ref]: https://example.com",
        "Überblick über die Änderung",
        "变更说明：修复了连接池",
        "`single code span` then text",
        "``double ticks``",
        "Setext title",
        "2026-01-02 a dated line",
    ]
)


def blocks(source: str, sizes: list[int]) -> list[tuple[str, int, int]]:
    """(block, first line, last line) for every block the parser opens."""
    import bisect
    import itertools

    starts = [0, *itertools.accumulate(sizes)]
    found = []
    events: Any = pyromark.events_with_range(source, options=pyromark.Options.ENABLE_TABLES)
    for event, span in events:
        if type(event) is str:
            if event == "Rule":
                found.append(("Rule", bisect.bisect_right(starts, span["start"]), 0))
            continue
        start = event.get("Start")
        if start is None:
            continue
        name = start if type(start) is str else next(iter(start))
        if name in BLOCKS:
            first = bisect.bisect_right(starts, span["start"])
            last = bisect.bisect_right(starts, max(span["start"], span["end"] - 1))
            found.append((name, first, last))
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(LINE, max_size=30))
def test_cut_prose_keeps_every_block_on_its_lines(lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    parser_lines = split_lines(text)
    thin, thin_sizes = _thin(text, parser_lines)
    full_sizes = [len(line.encode()) for line in parser_lines[:-1]]
    assert len(split_lines(thin)) == len(parser_lines)
    assert blocks(thin, thin_sizes) == blocks(text, full_sizes)


def test_prose_is_cut_and_the_rest_is_kept() -> None:
    text = "**Type:** Bug Fix\n- `a.py` (lines 1-2)\n| a | b |\n## Heading\nText -->\n  - nested item\n"
    thin, sizes = _thin(text, split_lines(text))
    assert thin == "a\n- a\n| a | b |\n## Heading\nText -->\n  - a\n"
    assert sizes == [2, 4, 10, 11, 9]


def test_a_file_with_carriage_returns_is_read_whole() -> None:
    text = "**Type:** Bug Fix\r\n## Heading\r\n"
    lines = split_lines(text)
    assert _thin(text, lines) == (text, [len(lines[0])])
    assert scan(text).tags == ["text", "heading"]
