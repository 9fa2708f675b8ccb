"""Separators written every way between records: no record may vanish into the one before it."""

from __future__ import annotations

import pytest

from whylog.markdown.readers import read_text

ENTRY = "## 2026-01-0{n} 10:00 UTC - Entry {n}\n**Type:** Bug Fix\n**Result:** fixed {n}\n"
SEPARATORS = {
    "rule between blank lines": "\n---\n\n",
    "rule glued to the next heading": "\n---\n",
    "rule glued to the entry before": "---\n\n",
    "rule with no blank lines": "---\n",
    "stars": "\n***\n\n",
    "underscores": "\n___\n\n",
    "separator on the heading line": "\n---",
    "no separator": "\n",
}


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_every_entry_is_read_whatever_the_separator(separator: str) -> None:
    text = "# System log\n\n" + separator.join(ENTRY.format(n=n) for n in range(1, 6))
    document = read_text(text, "SYSTEM_LOG.md")
    assert [r.title for r in document.records] == [f"Entry {n}" for n in range(1, 6)]
    assert document.render() == text


def test_front_matter_is_only_at_the_top() -> None:
    text = "---\ntitle: Log\n---\n\n" + "\n---\n".join(ENTRY.format(n=n) for n in range(1, 4))
    document = read_text(text, "SYSTEM_LOG.md")
    assert document.front_matter == {"title": "Log"}
    assert len(document.records) == 3


FAMILIES = {
    "syslog": ("SYSTEM_LOG.md", "## 2026-01-0{n} 10:00 UTC - Entry {n}\n**Type:** Bug Fix\n**Result:** fixed {n}\n"),
    "devlog": ("DEVLOG.md", "### 2026-01-0{n}: Entry {n}\n\n**The Problem:** p{n}\n"),
    "any log": ("JOURNAL.md", "## 2026-01-0{n} — Entry {n}\n\n**Ergebnis:** e{n}\n"),
    "incidents": ("INCIDENTS.md", "## 2026-01-0{n}: Entry {n}\n\n**Root Cause:** c{n}\n"),
}


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
@pytest.mark.parametrize("family", FAMILIES, ids=FAMILIES.keys())
def test_every_family_reads_every_record_whatever_the_separator(family: str, separator: str) -> None:
    path, shape = FAMILIES[family]
    text = "# Log\n\n" + separator.join(shape.format(n=n) for n in range(1, 5))
    document = read_text(text, path)
    assert [r.title for r in document.records] == [f"Entry {n}" for n in range(1, 5)]
    assert document.render() == text
