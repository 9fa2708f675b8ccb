"""Branch-safe ids and `whylog renumber`: numbers taken on other branches are skipped, and a collision
after a merge is resolved by renumbering the merged branch's record and the citations written with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.scripted_git import Repo
from whylog.repo import complete_pending, write_files_atomically, write_lock


def incident(number: int, title: str, service: str) -> list[str]:
    return [
        f"**Incident ID:** INC-2026-{number:03d}",
        "**Date:** 2026-02-03",
        "**Severity:** High",
        f"**Services Affected:** {service}",
        f"**Title:** {title}",
        "",
        "**Symptoms:**",
        f"* {service} stopped answering",
        "",
        "**Root Cause:**",
        f"* {title}",
        "",
        "**Resolution:**",
        "* Restarted it and added a limit",
        "",
        "---",
        "",
    ]


def entry(minute: int, title: str, cites: str) -> list[str]:
    return [
        f"## 2026-02-03 10:{minute:02d} UTC - {title}",
        "**Type:** Bug Fix",
        "**Affected Files:**",
        "- `src/app.py` (lines 1-5)",
        "**Chain of Reasoning:**",
        "- **Observation:** It failed",
        "- **Hypothesis:** A missing limit",
        "- **Action:** Added the limit",
        "**Result:**",
        "- Works",
        "**Confidence:** 90% - tested by hand",
        f"**Related:** {cites}",
        "---",
        "",
    ]


HEAD_INCIDENTS = ["# Incidents Log", "", "---", ""]
HEAD_LOG = ["# SYSTEM_LOG", ""]


def run(root: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli(["-C", str(root), *args])
    return code, out + err


def base_repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.write("INCIDENTS.md", HEAD_INCIDENTS + incident(1, "Pool exhausted", "API"))
    repo.write("SYSTEM_LOG.md", HEAD_LOG + entry(0, "Raised the pool size", "INC-2026-001"))
    repo.write("src/app.py", ["print('hi')"])
    assert run(repo.root, "init", "--no-merge-driver")[0] == 0
    repo.commit("base")
    return repo


def merged_collision(tmp_path: Path) -> Repo:
    """Two branches each wrote INC-2026-002 and an entry citing it (as two clones would), then merged."""
    repo = base_repo(tmp_path)
    ours = incident(2, "Cache stampede", "Cache")
    theirs = incident(2, "Disk full", "Storage")
    repo.git("checkout", "-q", "-b", "other")
    repo.insert("INCIDENTS.md", 4, theirs)
    repo.insert("SYSTEM_LOG.md", 2, entry(20, "Cleaned the disk", "INC-2026-002"))
    repo.commit("theirs")
    repo.git("checkout", "-q", "main")
    repo.insert("INCIDENTS.md", 4, ours)
    repo.insert("SYSTEM_LOG.md", 2, entry(10, "Warmed the cache", "INC-2026-002"))
    repo.commit("ours")
    repo.git("merge", "-q", "--no-commit", "-s", "ours", "other")
    repo.write("INCIDENTS.md", HEAD_INCIDENTS + theirs + ours + incident(1, "Pool exhausted", "API"))
    repo.write(
        "SYSTEM_LOG.md",
        HEAD_LOG
        + entry(20, "Cleaned the disk", "INC-2026-002")
        + entry(10, "Warmed the cache", "INC-2026-002")
        + entry(0, "Raised the pool size", "INC-2026-001"),
    )
    repo.commit("merge other")
    return repo


def show(root: Path, record_id: str) -> dict[str, object]:
    code, out = run(root, "show", record_id, "--format", "json")
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def test_a_number_taken_on_another_branch_is_not_taken_again(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    repo.git("checkout", "-q", "-b", "other")
    add = ("add", "incident", "--date", "2026-02-05", "--severity", "High", "--title")
    assert run(repo.root, *add, "Disk full") == (0, "added INC-2026-002 to INCIDENTS.md:5-17\n")
    repo.commit("other adds an incident")
    repo.git("checkout", "-q", "main")
    code, out = run(repo.root, *add, "Cache stampede")
    assert (code, out.split()[1]) == (0, "INC-2026-003")


def test_decision_numbers_skip_those_on_other_branches(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    repo.write(
        "docs/adr/001-first.md",
        ["# ADR-001: First", "", "**Status:** Accepted", "", "## Context", "x", "", "## Decision", "y"],
    )
    assert run(repo.root, "init", "--no-merge-driver")[0] == 0
    (repo.root / "whylog.toml").unlink()
    assert run(repo.root, "init", "--no-merge-driver")[0] == 0
    repo.commit("adr 1")
    repo.git("checkout", "-q", "-b", "other")
    repo.write(
        "docs/adr/002-second.md",
        ["# ADR-002: Second", "", "**Status:** Accepted", "", "## Context", "x", "", "## Decision", "y"],
    )
    repo.commit("adr 2 on other")
    repo.git("checkout", "-q", "main")
    code, out = run(repo.root, "add", "decision", "--title", "Third", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["id"] == "ADR-003"


def test_renumber_moves_the_merged_branch_record_and_its_citations(tmp_path: Path) -> None:
    repo = merged_collision(tmp_path)
    code, out = run(repo.root, "lint")
    assert code == 1 and "INC-2026-002" in out and "renumber" in out
    before_log = (repo.root / "SYSTEM_LOG.md").read_text()

    code, out = run(repo.root, "renumber", "--dry-run")
    assert code == 0 and out.startswith("would renumber INC-2026-002 -> INC-2026-003")
    assert (repo.root / "SYSTEM_LOG.md").read_text() == before_log

    code, out = run(repo.root, "renumber")
    assert code == 0, out
    assert out.startswith("renumbered INC-2026-002 -> INC-2026-003 at INCIDENTS.md:5")
    assert "SYSTEM_LOG.md:" in out
    assert show(repo.root, "INC-2026-003")["title"] == "Disk full"
    assert show(repo.root, "INC-2026-002")["title"] == "Cache stampede"
    log = (repo.root / "SYSTEM_LOG.md").read_text()
    assert log == before_log.replace("Cleaned the disk\n", "Cleaned the disk\n").replace(
        "**Related:** INC-2026-002\n---\n\n## 2026-02-03 10:10", "**Related:** INC-2026-003\n---\n\n## 2026-02-03 10:10"
    )
    code, out = run(repo.root, "lint")
    assert "INC002" not in out
    assert run(repo.root, "renumber")[0] == 1  # nothing shared any more


def test_renumber_without_a_merge_moves_the_later_record_only(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    text = (repo.root / "INCIDENTS.md").read_text()
    later = "\n".join(incident(1, "Disk full", "Storage")).replace("2026-02-03", "2026-02-09") + "\n"
    (repo.root / "INCIDENTS.md").write_text(text + later)
    code, out = run(repo.root, "renumber", "--format", "json")
    assert code == 0, out
    [change] = json.loads(out)
    assert (change["old"], change["new"], change["citations"]) == ("INC-2026-001", "INC-2026-002", [])
    assert change["left"] == ["SYSTEM_LOG.md:14"]
    assert show(repo.root, "INC-2026-002")["title"] == "Disk full"


def test_renumber_renames_an_adr_file_and_rewrites_links_to_it(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    adr = ["**Status:** Accepted", "", "## Context", "x", "", "## Decision", "y"]
    repo.write("docs/adr/001-first.md", ["# ADR-001: First", "", *adr])
    (repo.root / "whylog.toml").unlink()
    assert run(repo.root, "init", "--no-merge-driver")[0] == 0
    repo.commit("adr 1")
    repo.git("checkout", "-q", "-b", "other")
    repo.write("docs/adr/002-use-redis.md", ["# ADR-002: Use Redis", "", *adr])
    repo.insert("SYSTEM_LOG.md", 2, entry(30, "Added Redis", "ADR-002, see docs/adr/002-use-redis.md"))
    repo.commit("theirs")
    repo.git("checkout", "-q", "main")
    repo.write("docs/adr/002-use-kafka.md", ["# ADR-002: Use Kafka", "", *adr])
    repo.commit("ours")
    repo.git("merge", "-q", "other")
    code, out = run(repo.root, "renumber")
    assert code == 0, out
    assert "ADR-002 -> ADR-003" in out and "renamed from docs/adr/002-use-redis.md" in out
    assert not (repo.root / "docs/adr/002-use-redis.md").exists()
    assert (repo.root / "docs/adr/003-use-redis.md").read_text().startswith("# ADR-003: Use Redis\n")
    assert "**Related:** ADR-003, see docs/adr/003-use-redis.md" in (repo.root / "SYSTEM_LOG.md").read_text()
    assert show(repo.root, "ADR-002")["title"] == "Use Kafka"


def test_an_unknown_id_is_not_found(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    code, out = run(repo.root, "renumber", "INC-2026-009")
    assert code == 1


def test_a_step_cut_after_its_manifest_is_finished_by_the_next_writer(tmp_path: Path) -> None:
    root = tmp_path
    (root / "a.md").write_text("old a\n")
    (root / "b.md").write_text("old b\n")

    class Cut(Exception):
        pass

    def cut(step: int) -> None:
        raise Cut  # the process stops right after the manifest is written

    with pytest.raises(Cut), write_lock(root):
        changes = [(root / "a.md", b"new a\n"), (root / "b.md", None), (root / "c.md", b"c\n")]
        write_files_atomically(root, changes, after_step=cut)
    assert (root / "a.md").read_text() == "old a\n" and (root / "b.md").exists()
    with write_lock(root):
        pass
    assert (root / "a.md").read_text() == "new a\n"
    assert not (root / "b.md").exists()
    assert (root / "c.md").read_text() == "c\n"
    assert not (root / ".whylog" / "pending").exists()


def test_a_step_cut_before_its_manifest_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path
    (root / "a.md").write_text("old a\n")
    pending = root / ".whylog" / "pending"
    pending.mkdir(parents=True)
    (pending / "0.data").write_bytes(b"half")
    complete_pending(root)
    assert (root / "a.md").read_text() == "old a\n"
    assert not pending.exists()


def session(number: int, day: str) -> list[str]:
    rule = "=" * 40
    return [
        rule,
        f"WHYLOG - SESSION {number} PROGRESS SUMMARY",
        rule,
        "",
        f"Date: {day}",
        f"Session: {number}",
        "Status: COMPLETE",
        "",
        rule,
        "ACCOMPLISHMENTS",
        rule,
        "",
        "1. Did a thing",
        "",
    ]


def test_two_sessions_with_one_number_are_reported_and_renumbered(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    repo.write("progress/session-002.txt", session(2, "November 2, 2026"))
    repo.write("progress/session-02.txt", session(2, "November 9, 2026"))
    code, out = run(repo.root, "lint")
    assert "progress/session-02.txt:1:1: SES002 id SES-002 is already used at progress/session-002.txt:1" in out
    code, out = run(repo.root, "renumber")
    assert code == 0, out
    assert out.startswith("renumbered SES-002 -> SES-003 at progress/session-03.txt:1")
    assert (repo.root / "progress/session-03.txt").read_text().splitlines()[1:6:4] == [
        "WHYLOG - SESSION 3 PROGRESS SUMMARY",
        "Session: 3",
    ]
    assert "SES002" not in run(repo.root, "lint")[1]


def test_feature_numbers_skip_those_on_other_branches(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    feature = '{{"id": {n}, "category": "core", "description": "{d}", "steps": [], "passes": false}}'
    repo.write("feature_list.json", ["[", feature.format(n=1, d="Parse"), "]"])
    repo.commit("one feature")
    repo.git("checkout", "-q", "-b", "other")
    repo.write("feature_list.json", ["[", feature.format(n=1, d="Parse") + ",", feature.format(n=2, d="Add"), "]"])
    repo.commit("a second feature on other")
    repo.git("checkout", "-q", "main")
    code, out = run(repo.root, "add", "feature", "--title", "Search", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["id"] == "FEAT-3"
