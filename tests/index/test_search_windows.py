"""A common text under filters on tags or paths only: ranked over the newest rows of the filter's set
(read from the set's own index, not from the records), over every row of the set when the window holds
too few matches, and never with a shadowed record. Small repos written by the test, with RANK_ROWS
lowered so that "common" needs a few records only."""

from __future__ import annotations

from pathlib import Path

import pytest

import whylog.index.search as search
from whylog.index.query import parse_query
from whylog.index.search import run_search
from whylog.index.sqlite import open_synced
from whylog.repo import read_config

ENTRY = """## 2026-03-{day:02d} 10:00 UTC - {title}
**Type:** Configuration
**Affected Files:**
- `{path}` (lines 1-10)
**Chain of Reasoning:**
- **Observation:** {text}
- **Action:** Changed it.
**Result:**
- Done
**Confidence:** 90% - measured

---
"""


def _repo(tmp_path: Path, records: list[tuple[str, str, str]]) -> Path:
    """A SYSTEM_LOG.md of entries (title, path, observation), oldest first, a day apart."""
    entries = [ENTRY.format(day=n, title=t, path=p, text=x) for n, (t, p, x) in enumerate(records, 1)]
    (tmp_path / "SYSTEM_LOG.md").write_text("# System log\n\n" + "".join(reversed(entries)), encoding="utf-8")
    return tmp_path


def _titles(root: Path, text: str, limit: int = 10) -> list[str]:
    conn = open_synced(read_config(root))
    try:
        return [hit.envelope["title"] for hit in run_search(conn, parse_query(text), limit)]
    finally:
        conn.close()


def test_a_path_filter_with_common_text_ranks_the_newest_rows_of_the_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [(f"Note {n}", f"src/cache/{'a' if n % 2 else 'b'}.py", "The cache was tuned.") for n in range(1, 9)]
    root = _repo(tmp_path, records)
    monkeypatch.setattr(search, "RANK_ROWS", 2)  # eight "cache" rows: a windowed plan
    found = _titles(root, "file:src/cache/a.py cache", limit=2)
    assert found == ["Note 7", "Note 5"]  # only the set's rows, the newest of them


def test_too_few_matches_in_the_window_widen_to_every_row_of_the_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the path's newest records do not hold the text; its oldest one does
    records = [("Note 1", "src/store/a.py", "The cache was tuned.")]
    records += [(f"Note {n}", "src/store/b.py", "The cache was tuned.") for n in range(2, 7)]
    records += [(f"Note {n}", "src/store/a.py", "Nothing about it.") for n in range(7, 10)]
    root = _repo(tmp_path, records)
    monkeypatch.setattr(search, "RANK_ROWS", 2)  # six "cache" rows; the path's newest two hold none
    assert _titles(root, "file:src/store/a.py cache") == ["Note 1"]


def test_a_set_filter_keeps_shadowed_records_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path, [(f"Note {n}", "src/cache/a.py", "The cache was tuned.") for n in range(1, 5)])
    monkeypatch.setattr(search, "RANK_ROWS", 2)
    conn = open_synced(read_config(root))
    try:
        conn.execute("UPDATE records SET shadowed = 1 WHERE title = 'Note 4'")
        conn.commit()
        found = [hit.envelope["title"] for hit in run_search(conn, parse_query("file:src/cache/a.py cache"), 3)]
    finally:
        conn.close()
    assert found == ["Note 3", "Note 2", "Note 1"]
