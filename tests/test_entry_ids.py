"""Two entries never share an id: `add` writes seconds when the minute is taken, lint accepts them, and
`renumber` separates entry stamps that collide after a merge (two clones each wrote one at 10:10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.scripted_git import Repo
from tests.test_renumber import HEAD_LOG, base_repo, entry, run
from whylog.markdown.readers import read_path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return base_repo(tmp_path).root


def _add(root: Path, title: str, date: str = "2026-02-03 10:00 UTC", *more: str) -> dict[str, object]:
    code, out, err = run_cli(
        [
            "-C",
            str(root),
            "add",
            "entry",
            "--title",
            title,
            "--type",
            "Configuration",
            "--date",
            date,
            "--format",
            "json",
            *more,
        ]
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def _ids(root: Path) -> list[str]:
    return [r.id for r in read_path(str(root / "SYSTEM_LOG.md"), "syslog", "SYSTEM_LOG.md").records]


def test_entries_added_in_one_minute_get_distinct_ids_that_lint_accepts(repo: Path) -> None:
    first = _add(repo, "Raised the pool size for the report workers", "2026-02-03 10:00 UTC", "--result", "- ok")
    second = _add(repo, "Lowered the request timeout of the gateway", "2026-02-03 10:00 UTC")
    assert first["id"] == "LOG-2026-02-03-100001" and first["date"] == "2026-02-03T10:00:01Z"
    assert second["id"] == "LOG-2026-02-03-100002"
    assert "## 2026-02-03 10:00:02 UTC - Lowered the request timeout" in (repo / "SYSTEM_LOG.md").read_text()
    assert sorted(_ids(repo)) == ["LOG-2026-02-03-1000", "LOG-2026-02-03-100001", "LOG-2026-02-03-100002"]
    code, out, _ = run_cli(["-C", str(repo), "lint", "--format", "json"])
    codes = {d["code"] for d in json.loads(out)}
    assert not codes & {"ENT005", "ENT008"}, out
    for record_id in ("LOG-2026-02-03-100001", "LOG-2026-02-03-100002"):
        code, out = run(repo, "show", record_id, "--format", "json")
        assert code == 0 and json.loads(out)["id"] == record_id


def test_a_free_minute_keeps_the_plain_stamp(repo: Path) -> None:
    assert _add(repo, "Raised the pool size for the report workers", "2026-02-03 10:01 UTC")["id"] == (
        "LOG-2026-02-03-1001"
    )


def test_a_taken_day_without_a_time_is_refused(repo: Path) -> None:
    _add(repo, "Raised the pool size for the report workers", "2026-02-04")
    before = (repo / "SYSTEM_LOG.md").read_bytes()
    code, out, err = run_cli(
        ["-C", str(repo), "add", "entry", "--title", "Another one", "--type", "Configuration", "--date", "2026-02-04"]
    )
    assert (code, out) == (2, "")
    assert "another entry already has the id LOG-2026-02-04; give a time with --date" in err
    assert (repo / "SYSTEM_LOG.md").read_bytes() == before


def test_lint_fix_keeps_the_seconds_of_a_stamp(repo: Path) -> None:
    log = repo / "SYSTEM_LOG.md"
    log.write_text(log.read_text().replace("## 2026-02-03 10:00 UTC - ", "## 2026-02-03T10:00:05Z "))
    code, out = run(repo, "lint", "--fix")
    assert "## 2026-02-03 10:00:05 UTC - Raised the pool size" in log.read_text(), out
    assert _ids(repo) == ["LOG-2026-02-03-100005"]


def two_clones_same_minute(tmp_path: Path) -> Repo:
    """Two branches each added an entry at 10:10 (as two clones would), one citing its own, then merged."""
    repo = base_repo(tmp_path)
    ours = entry(10, "Warmed the cache", "INC-2026-001")
    theirs = entry(10, "Cleaned the disk", "INC-2026-001")
    cite = entry(30, "Checked the disk cleanup", "LOG-2026-02-03-1010")
    repo.git("checkout", "-q", "-b", "other")
    repo.insert("SYSTEM_LOG.md", 2, cite + theirs)
    repo.commit("theirs")
    repo.git("checkout", "-q", "main")
    repo.insert("SYSTEM_LOG.md", 2, ours)
    repo.commit("ours")
    repo.git("merge", "-q", "--no-commit", "-s", "ours", "other")
    repo.write("SYSTEM_LOG.md", HEAD_LOG + cite + theirs + ours + entry(0, "Raised the pool size", "INC-2026-001"))
    repo.commit("merge other")
    return repo


def test_renumber_separates_entries_whose_stamps_collide_after_a_merge(tmp_path: Path) -> None:
    repo = two_clones_same_minute(tmp_path)
    code, out = run(repo.root, "lint")
    assert code == 1 and "ENT008" in out and "LOG-2026-02-03-1010" in out and "renumber" in out
    before = (repo.root / "SYSTEM_LOG.md").read_text()

    code, out = run(repo.root, "renumber")
    assert code == 0, out
    assert out.startswith("renumbered LOG-2026-02-03-1010 -> LOG-2026-02-03-101001 at SYSTEM_LOG.md:17")
    after = (repo.root / "SYSTEM_LOG.md").read_text()
    expected = before.replace("## 2026-02-03 10:10 UTC - Cleaned", "## 2026-02-03 10:10:01 UTC - Cleaned").replace(
        "**Related:** LOG-2026-02-03-1010", "**Related:** LOG-2026-02-03-101001"
    )
    assert after == expected  # the merged branch's entry moved, and the citation its branch wrote with it
    titles = {r.id: r.title for r in read_path(str(repo.root / "SYSTEM_LOG.md"), "syslog", "x").records}
    assert titles["LOG-2026-02-03-101001"] == "Cleaned the disk"
    assert titles["LOG-2026-02-03-1010"] == "Warmed the cache"
    code, out = run(repo.root, "lint")
    assert "ENT008" not in out
    assert run(repo.root, "renumber")[0] == 1  # nothing shared any more


def test_renumber_without_a_merge_moves_the_entry_the_reader_suffixed(repo: Path) -> None:
    log = repo / "SYSTEM_LOG.md"
    text = log.read_text()
    log.write_text(text.replace("# SYSTEM_LOG\n\n", "# SYSTEM_LOG\n\n" + "\n".join(entry(0, "Second", "x")) + "\n"))
    assert sorted(_ids(repo)) == ["LOG-2026-02-03-1000", "LOG-2026-02-03-1000-2"]
    code, out = run(repo, "renumber", "--format", "json")
    assert code == 0, out
    [change] = json.loads(out)
    assert (change["old"], change["new"], change["line"]) == ("LOG-2026-02-03-1000", "LOG-2026-02-03-100001", 17)
    assert log.read_text() == text.replace(
        "# SYSTEM_LOG\n\n", "# SYSTEM_LOG\n\n" + "\n".join(entry(0, "Second", "x")) + "\n"
    ).replace("## 2026-02-03 10:00 UTC - Raised", "## 2026-02-03 10:00:01 UTC - Raised")


def test_a_minute_with_every_second_taken_goes_on_into_the_next_seconds() -> None:
    from whylog.markdown.readers.syslog import entry_id
    from whylog.writing.placement import free_stamp

    taken = {"LOG-2026-02-03-2359"} | {f"LOG-2026-02-03-2359{s:02d}" for s in range(1, 60)}
    assert free_stamp("2026-02-03T23:59:00Z", taken, 30) == "2026-02-04T00:00:00Z"
    taken.add(entry_id("2026-02-04T00:00:00Z"))
    assert free_stamp("2026-02-03T23:59:00Z", taken, 30) == "2026-02-04T00:00:01Z"
    assert free_stamp("2026-02-03T23:59:00Z", {"LOG-2026-02-03-2359"}, 30) == "2026-02-03T23:59:30Z"
    assert free_stamp("2026-02-03T23:59:00Z", {"LOG-2026-02-03-2359", "LOG-2026-02-03-235930"}, 30) == (
        "2026-02-03T23:59:31Z"
    )
    assert free_stamp("2026-02-03T23:59:00Z", {"LOG-2026-02-03-2359"}, 0) == "2026-02-03T23:59:01Z"


def test_a_minute_taken_in_an_archive_is_taken_too(repo: Path) -> None:
    archive = repo / "SYSTEM_LOG_ARCHIVE_2025.md"
    archive.write_text("\n".join([*HEAD_LOG, *entry(0, "Archived change", "x")]).replace("2026-02-03", "2025-01-05"))
    assert run(repo, "init", "--no-merge-driver")[0] == 0
    assert "SYSTEM_LOG_ARCHIVE_" in (repo / "whylog.toml").read_text()
    written = _add(repo, "Logged an old change at the archived minute", "2025-01-05 10:00 UTC")
    assert written["id"] == "LOG-2025-01-05-100001"
    assert _add(repo, "Logged an old change at a free minute", "2025-01-06 10:00 UTC")["id"] == "LOG-2025-01-06-1000"
