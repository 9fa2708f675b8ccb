"""Parallel branches end to end, with real git: each branch adds an incident and three entries citing it,
then they merge through whylog's merge driver. Every record is there, ids are unique and each entry
still cites its own branch's incident. Two variants: branches of one repo (numbers taken on the other
branch are skipped when the record is added) and two clones that never saw each other's work (the
numbers collide, and `whylog renumber` moves the one not yet pushed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.scripted_git import ENV, Repo

BASE_INCIDENTS = """# Incidents Log

---

**Incident ID:** INC-2026-001
**Date:** 2026-01-20
**Severity:** High
**Services Affected:** API
**Title:** Pool exhausted under load

**Symptoms:**
* Requests timed out

**Root Cause:**
* Connections leaked on errors

**Resolution:**
* Closed connections in a finally block

**Action Items:**
* [Done] Add a leak test

---
"""
BASE_LOG = """# SYSTEM_LOG

## 2026-01-20 10:00 UTC - Closed leaked connections in the pool
**Type:** Bug Fix
**Affected Files:**
- `src/pool.py` (lines 10-20)
**Chain of Reasoning:**
- **Observation:** Connections leaked on errors
- **Hypothesis:** The error path skipped close()
- **Action:** Closed them in a finally block
**Result:**
- Leak test passes
**Confidence:** 95% - leak test run
**Related:** INC-2026-001
---
"""


def whylog(repo: Repo, *args: str) -> str:
    env = {**os.environ, **ENV}
    proc = subprocess.run(
        [sys.executable, "-m", "whylog", "-C", str(repo.root), *args], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def add_work(repo: Repo, who: str, day: str) -> str:
    """An incident and three entries citing it, as an agent on this branch would add them."""
    out = whylog(
        repo, "add", "incident", "--title", f"{who} outage", "--date", day, "--severity", "High", "--format", "json"
    )
    incident = json.loads(out)["id"]
    for n in range(3):
        whylog(
            repo,
            "add",
            "entry",
            "--title",
            f"{who} fix number {n}",
            "--date",
            f"{day}T1{n}:{len(who):02d}:00Z",
            "--type",
            "Bug Fix",
            "--file",
            f"src/{who}.py:1-{n + 5}",
            "--result",
            "- Tested",
            "--confidence",
            "90% - tested",
            "--link",
            incident,
        )
    return str(incident)


def check_merged(repo: Repo, people: list[str]) -> None:
    """Every record present, ids unique, each entry citing its own branch's incident, lint clean of ids."""
    records = json.loads(whylog(repo, "export", "--format", "json"))
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == 2 + 4 * len(people)  # the base incident and entry, then 4 per branch
    by_id = {r["id"]: r for r in records}
    for who in people:
        [incident] = [r for r in records if r["title"] == f"{who} outage"]
        entries = [r for r in records if r["title"].startswith(f"{who} fix number")]
        assert len(entries) == 3
        for entry in entries:
            [link] = entry["links"]
            assert link["target"] == incident["id"]
            assert by_id[link["target"]]["title"] == f"{who} outage"
    env = {**os.environ, **ENV}
    lint = subprocess.run(
        [sys.executable, "-m", "whylog", "-C", str(repo.root), "lint", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    codes = {d["code"] for d in json.loads(lint.stdout)}
    assert codes.isdisjoint({"INC002", "ENT008", "FIL001"})
    text = (repo.root / "SYSTEM_LOG.md").read_text() + (repo.root / "INCIDENTS.md").read_text()
    assert "<<<<<<<" not in text and ">>>>>>>" not in text


def start(repo: Repo) -> None:
    (repo.root / "INCIDENTS.md").write_text(BASE_INCIDENTS)
    (repo.root / "SYSTEM_LOG.md").write_text(BASE_LOG)
    whylog(repo, "init")
    repo.commit("base records")


def test_two_branches_of_one_repo_merge_with_every_record_and_distinct_numbers(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    start(repo)
    repo.git("branch", "alpha")
    repo.git("branch", "beta")
    repo.git("checkout", "-q", "alpha")
    assert add_work(repo, "alpha", "2026-02-02") == "INC-2026-002"
    repo.commit("alpha's work")
    repo.git("checkout", "-q", "beta")
    assert add_work(repo, "beta", "2026-02-01") == "INC-2026-003"  # 002 is taken on alpha
    repo.commit("beta's work")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-edit", "alpha")
    repo.git("merge", "-q", "--no-edit", "beta")
    assert repo.git("status", "--porcelain") == ""
    check_merged(repo, ["alpha", "beta"])
    log = [line for line in repo.read("SYSTEM_LOG.md") if line.startswith("## ")]
    assert log == sorted(log, reverse=True)  # newest first, as the file was


def test_two_clones_that_took_the_same_number_are_put_right_by_renumber(tmp_path: Path) -> None:
    origin = Repo(tmp_path / "origin", init=False)
    origin.git("init", "-q", "--bare", "-b", "main")
    seed = Repo(tmp_path / "seed")
    start(seed)
    seed.git("remote", "add", "origin", str(origin.root))
    seed.git("push", "-q", "origin", "main")
    one, two = Repo(tmp_path / "one", init=False), Repo(tmp_path / "two", init=False)
    for clone in (one, two):
        clone.git("clone", "-q", str(origin.root), ".")
        whylog(clone, "init")  # registers the merge driver in this clone's git config
    assert add_work(one, "one", "2026-02-01") == "INC-2026-002"
    one.commit("one's work")
    one.git("push", "-q", "origin", "main")
    assert add_work(two, "two", "2026-02-02") == "INC-2026-002"  # two cannot know one took it
    two.commit("two's work")
    two.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert two.git("status", "--porcelain") == ""
    lint = subprocess.run(
        [sys.executable, "-m", "whylog", "-C", str(two.root), "lint"],
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
    )
    assert "INC002 id INC-2026-002 is already used" in lint.stdout

    out = whylog(two, "renumber")
    assert out.startswith("renumbered INC-2026-002 -> INC-2026-003")  # two's own: one's is pushed already
    assert "3 citation(s) rewritten" in out and "left as they are" not in out  # one's citations are one's
    check_merged(two, ["one", "two"])
    two.commit("renumber two's incident")
    two.git("push", "-q", "origin", "main")
    one.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    check_merged(one, ["one", "two"])
