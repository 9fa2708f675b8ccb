"""Whatever the text, reading is lossless: render() gives the same text, every line has one owner,
and the only exception a reader may raise is ParseError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from whylog.markdown.readers import FAMILIES, read_text
from whylog.model.errors import ParseError

LINE_BITS = st.sampled_from(
    [
        "## 2026-03-19 14:32 UTC - Title",
        "---## 2026-01-01 00:00 UTC - Glued",
        "**Type:** Bug Fix",
        "**Affected Files:**",
        "- `a.py` (lines 1-2)",
        "**Confidence:** 9000%",
        "---",
        "```",
        "| a | b |",
        "|---|---|",
        "**Incident ID:** INC-2024-001",
        "### 2025-10-28: Story",
        "## Current Context",
        "### Blocker 1: ✅ Thing",
        "**Status**: **RESOLVED**",
        "=====",
        "SESSION 6 PROGRESS SUMMARY",
        "# ADR-001: Title",
        "- [x] done",
        "* [Open] todo",
        "",
        "   ",
        "\t",
        "<div>",
        "> quote",
        "1. step",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(LINE_BITS, st.text(max_size=20)), max_size=40).map("\n".join),
    st.lists(st.one_of(LINE_BITS, st.text(max_size=5)), max_size=20).map("\r\n".join),
)


def check_lossless(text: str, family: str) -> None:
    try:
        document = read_text(text, "x.md", kind=family)
    except ParseError:
        return
    assert document.render() == text
    owners = [0] * (len(document.lines) + 1)
    for record in document.records:
        assert record.source is not None
        for number in range(record.source.start_line, record.source.end_line + 1):
            owners[number] += 1
    for span in document.unstructured:
        for number in range(span.start_line, span.end_line + 1):
            owners[number] += 1
    assert all(count <= 1 for count in owners), "a line belongs to two spans"


@pytest.mark.parametrize("family", sorted(FAMILIES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
@example(text="")
@example(text="\r\n\r")
@example(text="---## 2026-03-19 14:32 UTC - X\n**Type:** Bug Fix\n**Result:**\nok")
@example(text="# 2000-01-01\n## 2000-01-01\n**TYPE:**\n**AFFECTED FILES:**")  # a dated heading over another
def test_any_text_reads_losslessly(family: str, text: str) -> None:
    check_lossless(text, family)


def test_crlf_file_keeps_its_line_endings() -> None:
    text = "# Log\r\n\r\n## 2026-01-02 03:04 UTC - Changed the cache key format\r\n**Type:** Implementation\r\n**Result:**\r\nok\r\n"
    document = read_text(text, "SYSTEM_LOG.md")
    assert document.render() == text and document.newline == "\r\n"
    assert document.records[0].fields.result == "ok"


def test_deep_nesting_and_hostile_text_do_not_crash() -> None:
    text = "> " * 500 + "- " * 500 + "x\n" + "<script>alert(1)</script>\n" + "[" * 10000 + "\n"
    document = read_text(text, "SYSTEM_LOG.md")
    assert document.render() == text
