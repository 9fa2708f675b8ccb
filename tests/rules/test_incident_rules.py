"""INC005 beyond its fixture: an open action item is found at its own line, even when a sentence earlier
in the postmortem mentions the same words."""

from __future__ import annotations

from pathlib import Path

from tests.rules.test_fixtures import NOW
from whylog.lint import lint_paths
from whylog.repo import read_config

POSTMORTEM = """# Queue stalled

**Date:** 2026-01-10

## Summary

Jobs waited for hours. Alert on queue age would have caught it.

## Root Cause

A lock was held by a dead worker.

## Action Items

- [ ] Alert on queue age
- [x] Release locks on worker exit
"""


def test_an_open_item_is_found_at_its_line_when_its_words_appear_earlier(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "postmortems"
    folder.mkdir(parents=True)
    (folder / "2026-01-10-queue-stalled.md").write_text(POSTMORTEM, encoding="utf-8")
    found = [(d.code, d.source.start_line) for d in lint_paths(read_config(tmp_path), now=NOW) if d.code == "INC005"]
    assert found == [("INC005", 15)]
