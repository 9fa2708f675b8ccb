"""Search order is a function of the records, not of the index's history: equal scores go newest first,
then by id; equal dates (no text) by id. Row ids, which broke ties before, change whenever a file is read
again, so editing one file turned records of one minute round."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

ADR = """# ADR-{number:03d}: Retry budget for the {what}

**Status:** Accepted
**Date:** {date}

## Context

The sender retried without a budget.

## Decision

Cap the retry budget.
"""
# ADR-001 and ADR-002 are of one day; ADR-003 is older; the same words, so the same score for "retry budget"
ADRS = ((1, "mailer", "2026-03-02"), (2, "webhook", "2026-03-02"), (3, "billing", "2026-02-27"))


def _ids(root: Path, *args: str) -> list[str]:
    status, out, _ = run_cli(["-C", str(root), *args, "--format", "json"])
    assert status == 0
    return [hit["id"] for hit in json.loads(out)]


def _edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("Cap the", "Cap  the"), encoding="utf-8")


def test_equal_scores_and_equal_dates_keep_one_order_when_files_are_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "adr"
    folder.mkdir(parents=True)
    for number, what, day in ADRS:
        text = ADR.format(number=number, what=what, date=day).replace(what, "sender")  # one text for all
        (folder / f"{number:03d}-retry.md").write_text(text, encoding="utf-8")
    ranked = ["ADR-002", "ADR-001", "ADR-003"]  # newest first, then by id
    assert _ids(tmp_path, "search", "retry budget") == ranked
    assert _ids(tmp_path, "search", "kind:decision") == ranked
    for number in (2, 3, 1):
        _edit(folder / f"{number:03d}-retry.md")
        assert _ids(tmp_path, "search", "retry budget") == ranked
        assert _ids(tmp_path, "search", "kind:decision") == ranked
