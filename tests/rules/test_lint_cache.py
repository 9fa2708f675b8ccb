"""Lint answered from the index: a file's own findings are kept under its content hash, the cross-file rules'
under what the index says about their candidates, and neither outlives what it depends on."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from tests.rules.test_fixtures import FIXTURES, NOW, fixture_repo
from whylog.lint import lint_paths
from whylog.repo import read_config

ENTRY = (
    "## {stamp} UTC - {title}\n**Type:** Bug Fix\n**Affected Files:**\n- `backend/db.py` (lines 12-18)\n"
    "**Chain of Reasoning:**\n- **Observation:** o\n- **Hypothesis:** h\n- **Action:** a\n**Result:**\n- r\n"
    "**Confidence:** 90% - monitored for a day\n"
)


def _found(root: Path, now: object = NOW) -> list[tuple[str, str, int, str]]:
    return [(d.code, d.source.path, d.source.start_line, d.message) for d in lint_paths(read_config(root), now=now)]  # type: ignore[arg-type]


def _kept(root: Path, table: str) -> dict[str, str]:
    conn = sqlite3.connect(root / ".whylog" / "index.sqlite3")
    try:
        return {str(p): str(k) for p, k in conn.execute(f"SELECT path, key FROM {table}")}
    finally:
        conn.close()


def _log(root: Path, name: str, *entries: tuple[str, str]) -> None:
    body = "\n---\n\n".join(ENTRY.format(stamp=s, title=t) for s, t in entries)
    (root / name).write_text(f"# System Log\n\n{body}", encoding="utf-8")


def test_a_second_lint_gives_the_same_findings_from_what_it_kept(tmp_path: Path) -> None:
    fixture_repo("ENT008", tmp_path)
    first = _found(tmp_path)
    assert [f[0] for f in first if f[0] == "ENT008"] == ["ENT008"]
    kept = _kept(tmp_path, "lint_cache")
    assert list(kept) == ["SYSTEM_LOG.md"]
    assert _found(tmp_path) == first and _kept(tmp_path, "lint_cache") == kept


def test_an_edited_file_is_checked_again_and_only_it(tmp_path: Path) -> None:
    (tmp_path / "docs" / "adr").mkdir(parents=True)
    (tmp_path / "docs" / "adr" / "0001-use-postgres.md").write_text(
        (FIXTURES / "ADR002.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    _log(tmp_path, "SYSTEM_LOG.md", ("2026-03-19 14:32", "Fixed pool exhaustion in the backend"))
    before = _found(tmp_path)
    assert any(code == "ADR002" for code, *_ in before)
    conn = sqlite3.connect(tmp_path / ".whylog" / "index.sqlite3")
    hashes = dict(conn.execute("SELECT path, hash FROM lint_cache"))
    conn.close()
    _log(tmp_path, "SYSTEM_LOG.md", ("2026-03-19 14:32", "Fixed it"))  # a vague title now (ENT013)
    after = _found(tmp_path)
    assert [f for f in after if f[0] == "ENT013"] and not [f for f in before if f[0] == "ENT013"]
    conn = sqlite3.connect(tmp_path / ".whylog" / "index.sqlite3")
    now_hashes = dict(conn.execute("SELECT path, hash FROM lint_cache"))
    conn.close()
    assert now_hashes["docs/adr/0001-use-postgres.md"] == hashes["docs/adr/0001-use-postgres.md"]
    assert now_hashes["SYSTEM_LOG.md"] != hashes["SYSTEM_LOG.md"]


def test_a_duplicate_written_in_another_file_reaches_the_file_that_did_not_change(tmp_path: Path) -> None:
    _log(tmp_path, "SYSTEM_LOG.md", ("2026-03-19 14:32", "Fixed pool exhaustion in the backend"))
    assert [f for f in _found(tmp_path) if f[0] == "ENT008"] == []
    # a log that sorts before SYSTEM_LOG.md: its entry is now the first with that id, the other the duplicate
    (tmp_path / "Logs").mkdir()
    _log(tmp_path, "Logs/SYSTEM_LOG.md", ("2026-03-19 14:32", "Raised the pool size for the load test"))
    [duplicate] = [f for f in _found(tmp_path) if f[0] == "ENT008"]
    assert duplicate[1] == "SYSTEM_LOG.md" and "Logs/SYSTEM_LOG.md:3" in duplicate[3]
    (tmp_path / "Logs" / "SYSTEM_LOG.md").unlink()
    assert [f for f in _found(tmp_path) if f[0] == "ENT008"] == []


def test_the_config_and_the_clock_are_part_of_what_is_kept(tmp_path: Path) -> None:
    fixture_repo("INC005", tmp_path)
    found = _found(tmp_path)
    assert [f[0] for f in found if f[0] == "INC005"] == ["INC005"]
    (tmp_path / "whylog.toml").write_text('[lint]\nignore = ["INC005"]\n', encoding="utf-8")
    assert [f for f in _found(tmp_path) if f[0] == "INC005"] == []
    (tmp_path / "whylog.toml").unlink()
    # a year earlier the item was not yet stale: a finding kept for one day is not reused on another
    assert [f for f in _found(tmp_path, NOW - timedelta(days=365)) if f[0] == "INC005"] == []
    assert [f[0] for f in _found(tmp_path) if f[0] == "INC005"] == ["INC005"]


def test_a_file_named_on_the_command_line_that_is_no_record_file_is_still_checked(tmp_path: Path) -> None:
    fixture_repo("ENT008", tmp_path)
    other = tmp_path / "notes.md"
    other.write_text((FIXTURES / "ENT008.md").read_text(encoding="utf-8"), encoding="utf-8")
    found = lint_paths(read_config(tmp_path), [other], now=NOW)
    assert found and {d.source.path for d in found} == {"notes.md"}


def test_files_the_index_read_without_lint_are_checked_again_through_it(tmp_path: Path) -> None:
    from whylog.index.sqlite import open_synced

    for name in ("a", "b"):
        folder = tmp_path / name / "docs" / "adr"
        folder.mkdir(parents=True)
        for number in range(1, 10):
            text = (FIXTURES / "ADR002.md").read_text(encoding="utf-8").replace("# 4.", f"# {number}.")
            (folder / f"{number:04d}-decision-{number}.md").write_text(text, encoding="utf-8")
    open_synced(read_config(tmp_path / "a")).close()  # indexed by another command: nothing kept for lint
    assert _kept(tmp_path / "a", "lint_cache") == {}
    assert _found(tmp_path / "a") == _found(tmp_path / "b")
    assert len(_kept(tmp_path / "a", "lint_cache")) == 9


def test_an_entry_stops_being_in_the_future_although_nothing_changed(tmp_path: Path) -> None:
    _log(tmp_path, "SYSTEM_LOG.md", ("2026-11-30 09:00", "Raised the pool size for the load test"))
    assert [f[0] for f in _found(tmp_path) if f[0] == "ENT006"] == ["ENT006"]
    assert [f[0] for f in _found(tmp_path) if f[0] == "ENT006"] == ["ENT006"]  # kept, the same
    assert [f for f in _found(tmp_path, NOW + timedelta(days=7)) if f[0] == "ENT006"] == []


def test_a_change_to_any_of_whylog_s_code_sets_kept_findings_aside(tmp_path: Path) -> None:
    """Readers decide findings as much as rules do: the key covers every module, not only lint's."""
    import os

    import whylog.markdown.readers.syslog as reader
    from whylog.lint import _cache_key

    config = read_config(tmp_path)
    before = _cache_key(config)
    source = Path(reader.__file__)
    stat = source.stat()
    try:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert _cache_key(config) != before
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _cache_key(config) == before
