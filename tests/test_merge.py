"""The merge driver for record files: the three-way merge on texts, the driver on files, its install, and
real `git merge`s of scripted branches."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import seed_path
from tests.merge_cases import make_case, merge_problems
from tests.scripted_git import ENV, Repo
from whylog.branches.merge import family_of, install_merge_driver, merge_bytes, merge_files, merge_texts
from whylog.cli import cli
from whylog.markdown.readers import read_text
from whylog.repo import Config


def entry(stamp: str, title: str, result: str = "Works", day: str = "2026-02-01") -> str:
    return (
        f"## {day} {stamp} UTC - {title}\n**Type:** Bug Fix\n**Result:**\n- {result}\n"
        "**Confidence:** 90% - tested\n\n---\n\n"
    )


def system_log(*entries: str) -> str:
    return "# SYSTEM_LOG\n\n" + "".join(entries)


def story(day: int, title: str) -> str:
    return f"### 2026-01-{day:02d}: {title}\n\n**The Problem:** {title} broke.\n\n**The Solution:** fixed.\n\n---\n\n"


def devlog(phase: str, *stories: str) -> str:
    return (
        "# Development Log\n\n## Current Context (Source of Truth)\n\n**Last Updated:** 2026-01-10\n\n"
        f"### Project State\n- **Phase:** {phase}\n\n---\n\n## Daily Log - Newest First\n\n" + "".join(stories)
    )


def incident(number: int, date: str, title: str) -> str:
    return (
        f"**Incident ID:** INC-2026-{number:03d}\n**Date:** {date}\n**Severity:** High\n**Services Affected:** API\n"
        f"**Title:** {title}\n\n**Symptoms:**\n* {title} broke\n\n**Root Cause:**\n* a bug\n\n**Resolution:**\n"
        "* fixed\n\n---\n\n"
    )


def titles(text: str, family: str = "syslog") -> list[str]:
    return [r.title for r in read_text(text, "x.md", family).records]


def merged(base: str, ours: str, theirs: str, family: str = "syslog") -> str:
    result = merge_texts(base, ours, theirs, family, "x.md")
    assert result is not None and result.conflicts == 0
    return result.text


# --- the merge on texts -------------------------------------------------------------------------------


def test_both_add_at_the_top_of_a_newest_first_log() -> None:
    base = system_log(entry("10:00", "A"))
    ours = system_log(entry("10:05", "O1"), entry("10:02", "O2"), entry("10:00", "A"))
    theirs = system_log(entry("10:03", "T1"), entry("10:00", "A"))
    text = merged(base, ours, theirs)
    assert text == system_log(entry("10:05", "O1"), entry("10:03", "T1"), entry("10:02", "O2"), entry("10:00", "A"))
    assert merged(base, theirs, ours) == text


def test_both_append_to_an_oldest_first_log() -> None:
    base = system_log(entry("10:00", "A"), entry("10:01", "B"))
    ours = base + entry("10:05", "O")
    theirs = base + entry("10:03", "T") + entry("10:07", "T2")
    assert titles(merged(base, ours, theirs)) == ["A", "B", "T", "O", "T2"]


def test_equal_stamps_put_ours_first() -> None:
    base = system_log(entry("10:00", "A"))
    ours = system_log(entry("10:05", "O"), entry("10:00", "A"))
    theirs = system_log(entry("10:05", "T"), entry("10:00", "A"))
    assert titles(merged(base, ours, theirs)) == ["O", "T", "A"]


def test_both_add_incidents_with_the_same_id() -> None:
    base = "# Incidents Log\n\n---\n\n" + incident(1, "2026-01-01", "One")
    ours = base + incident(2, "2026-01-05", "Ours two")
    theirs = base + incident(2, "2026-01-03", "Theirs two") + incident(3, "2026-01-09", "Theirs three")
    text = merged(base, ours, theirs, "incidents")
    records = read_text(text, "INCIDENTS.md", "incidents").records
    assert [(r.title, r.id) for r in records] == [
        ("One", "INC-2026-001"),
        ("Theirs two", "INC-2026-002"),
        ("Ours two", "INC-2026-002-2"),
        ("Theirs three", "INC-2026-003"),
    ]


def test_devlog_both_add_stories_and_one_edits_the_context() -> None:
    base = devlog("Beta", story(10, "Second"), story(5, "First"))
    ours = devlog("Beta", story(14, "Ours"), story(10, "Second"), story(5, "First"))
    theirs = devlog("GA", story(12, "Theirs"), story(10, "Second"), story(5, "First"))
    text = merged(base, ours, theirs, "devlog")
    assert text == devlog("GA", story(14, "Ours"), story(12, "Theirs"), story(10, "Second"), story(5, "First"))


def test_the_first_stories_of_a_devlog_go_under_its_daily_log() -> None:
    base = devlog("Beta")
    text = merged(base, devlog("Beta", story(3, "Ours")), devlog("Beta", story(4, "Theirs")), "devlog")
    assert text == devlog("Beta", story(4, "Theirs"), story(3, "Ours"))


def test_same_id_different_text_keeps_both_and_identical_additions_once() -> None:
    base = system_log(entry("10:00", "A"))
    ours = system_log(entry("10:05", "Same"), entry("10:04", "Ours at the minute"), entry("10:00", "A"))
    theirs = system_log(entry("10:05", "Same"), entry("10:04", "Theirs at the minute"), entry("10:00", "A"))
    assert titles(merged(base, ours, theirs)) == ["Same", "Ours at the minute", "Theirs at the minute", "A"]


def test_edit_against_edit_marks_that_record_only() -> None:
    base = system_log(entry("10:01", "B"), entry("10:00", "A"))
    ours = system_log(entry("10:05", "O"), entry("10:01", "B", "ours says"), entry("10:00", "A"))
    theirs = system_log(entry("10:03", "T"), entry("10:01", "B", "theirs says"), entry("10:00", "A", "fixed"))
    result = merge_texts(base, ours, theirs, "syslog", "x.md", marker_size=9)
    assert result is not None and result.conflicts == 1
    ours_b, theirs_b = (entry("10:01", "B", says).split("\n\n---")[0] for says in ("ours says", "theirs says"))
    assert result.text == system_log(
        entry("10:05", "O"),
        entry("10:03", "T"),
        f"<<<<<<<<< ours\n{ours_b}\n=========\n{theirs_b}\n>>>>>>>>> theirs\n\n---\n\n",
        entry("10:00", "A", "fixed"),
    )


def test_deletions() -> None:
    base = system_log(entry("10:02", "C"), entry("10:01", "B"), entry("10:00", "A"))
    archived = system_log(entry("10:02", "C"))
    assert titles(merged(base, archived, system_log(entry("10:03", "D"), base[14:]))) == ["D", "C"]
    edited = system_log(entry("10:02", "C"), entry("10:01", "B", "edited"), entry("10:00", "A"))
    result = merge_texts(base, archived, edited, "syslog", "x.md")
    assert result is not None and result.conflicts == 1
    assert "<<<<<<< ours\n=======\n## 2026-02-01 10:01 UTC - B" in result.text
    assert "10:00 UTC - A" not in result.text


def test_the_preamble_merges_as_one_chunk() -> None:
    def indexed(count: int, *entries: str) -> str:
        return f"# SYSTEM_LOG\n\n## Index\n- 2026-02: {count} entries\n\n---\n\n" + "".join(entries)

    base = indexed(1, entry("10:00", "A"))
    ours = indexed(2, entry("10:05", "O"), entry("10:00", "A"))
    assert merged(base, ours, indexed(1, entry("10:00", "A", "edited"))) == indexed(
        2, entry("10:05", "O"), entry("10:00", "A", "edited")
    )
    result = merge_texts(base, ours, indexed(3, entry("10:03", "T"), entry("10:00", "A")), "syslog", "x.md")
    assert result is not None and result.conflicts == 1
    index = "# SYSTEM_LOG\n\n## Index\n- 2026-02: {} entries\n"
    assert result.text.startswith(f"<<<<<<< ours\n{index.format(2)}=======\n{index.format(3)}>>>>>>> theirs\n\n---\n\n")
    assert titles(result.text.split(">>>>>>> theirs\n")[1]) == ["O", "T", "A"]


def test_crlf_bom_and_a_missing_final_newline_are_kept() -> None:
    def crlf(text: str) -> bytes:
        return b"\xef\xbb\xbf" + text.rstrip("\n").replace("\n", "\r\n").encode()

    base = system_log(entry("10:00", "A"))
    ours = system_log(entry("10:05", "O"), entry("10:00", "A"))
    theirs = system_log(entry("10:03", "T"), entry("10:00", "A"))
    want = crlf(system_log(entry("10:05", "O"), entry("10:03", "T"), entry("10:00", "A")))
    assert merge_bytes(crlf(base), crlf(ours), crlf(theirs), "syslog", "x.md") == (want, 0)
    lf_theirs = b"\xef\xbb\xbf" + theirs.rstrip("\n").encode()
    assert merge_bytes(crlf(base), crlf(ours), lf_theirs, "syslog", "x.md") == (want, 0)


def test_seed_files_take_records_added_on_both_sides() -> None:
    from whylog.writing.placement import splice

    for name, family in (("system-log-template.md", "syslog"), ("devlog.md", "devlog")):
        base = seed_path(name).read_text(encoding="utf-8")
        document = read_text(base, name, family)
        first = document.records[-1]
        kind = first.kind
        added = [r for r in document.records if r.kind == kind][:2]
        ours = splice(document, _moved(added[0], "2026-12-01T10:00:00Z" if kind == "entry" else "2026-12-01"))
        theirs = splice(document, _moved(added[1], "2026-12-02T10:00:00Z" if kind == "entry" else "2026-12-02"))
        text = merged(base, ours, theirs, family)
        after = read_text(text, name, family).records
        assert len(after) == len(document.records) + 2
        assert [r.date[:10] for r in after if r.kind == kind][:2] == ["2026-12-02", "2026-12-01"]


def test_seed_devlog_takes_decisions_added_on_both_sides() -> None:
    base = seed_path("devlog.md").read_text(encoding="utf-8")
    top = "- **ADR-003 (2025-10-27):** Optimistic Locking for Task Updates - Use"
    ours = base.replace(top, "- **ADR-004 (2025-10-29):** Ours - because\n" + top)
    theirs = base.replace(top, "- **ADR-004 (2025-10-30):** Theirs - because\n" + top)
    last = "adr/001-postgresql-choice.md)\n\n---"
    theirs = theirs.replace(last, last.replace("\n\n", "\n- **ADR-000 (2025-10-01):** Oldest - x\n\n"))
    text = merged(base, ours, theirs, "devlog")
    decisions = [r.title for r in read_text(text, "DEVLOG.md", "devlog").records if r.kind == "decision"]
    assert decisions[0:2] == ["Theirs", "Ours"] and decisions[-1] == "Oldest" and len(decisions) == 6
    assert "- **ADR-000 (2025-10-01):** Oldest - x\n\n---\n\n## Daily Log" in text


def _moved(record, date):  # type: ignore[no-untyped-def]
    import dataclasses

    return dataclasses.replace(record, date=date, title=record.title + " again", source=None)


# --- the merge holds every record both sides added ------------------------------------------------------


OWNERS = ["base", "ours", "theirs", "deleted by ours", "deleted by theirs"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 59), st.sampled_from(OWNERS)), unique_by=lambda x: x[0], max_size=10),
    st.booleans(),
)
def test_the_merge_is_the_union_in_order(records: list[tuple[int, str]], newest: bool) -> None:
    def log(*owners: str, newest: bool = newest) -> str:
        chosen = sorted((m, who) for m, who in records if who in owners)
        ordered = reversed(chosen) if newest else chosen
        return system_log(*(entry(f"11:{m:02d}", f"{who} {m}", day="2026-03-01") for m, who in ordered))

    sides = (["base", *OWNERS[3:]], ["base", "ours", "deleted by theirs"], ["base", "theirs", "deleted by ours"])
    text = merged(*(log(*owners) for owners in sides))
    assert "<<<<<<<" not in text
    shown = any(len(titles(log(*owners))) >= 2 for owners in sides)
    # when no version shows an order, newer records go first, as `whylog add` puts them
    assert titles(text) == titles(log("base", "ours", "theirs", newest=newest or not shown))


def test_a_record_both_added_is_kept_once_when_one_side_also_re_dates_another() -> None:
    # ours moves Y from 10:03 to 10:01, so the X both sides add at 10:03 takes Y's old id on ours
    base = system_log(entry("10:03", "Y"), entry("10:00", "A"))
    ours = system_log(entry("10:03", "X"), entry("10:01", "Y"), entry("10:00", "A"))
    theirs = system_log(entry("10:03", "X"), entry("10:03", "Y"), entry("10:00", "A"))
    assert titles(merged(base, ours, theirs)) == ["X", "Y", "A"]
    assert titles(merged(base, theirs, ours)) == ["X", "Y", "A"]


def test_a_record_added_in_the_minute_of_one_deleted_on_both_sides_is_no_conflict() -> None:
    base = system_log(entry("10:03", "Old"), entry("10:00", "A"))
    ours = system_log(entry("10:03", "New"), entry("10:00", "A"))
    assert titles(merged(base, ours, system_log(entry("10:00", "A")))) == ["New", "A"]
    assert titles(merged(base, ours, system_log(entry("10:03", "Old"), entry("10:00", "A", "edited")))) == [
        "New",
        "A",
    ]


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False))
def test_random_three_way_merges_keep_every_record_once(rng: random.Random) -> None:
    """Records added on either side are held once, one side's edits are taken, and markers appear only
    around a record changed differently on both sides (bench/merge_bench.py runs 10,000 such cases)."""
    case = make_case(rng)
    assert merge_problems(case) == [], (case.base, case.ours, case.theirs)


# --- the driver on files, and what falls back to git -------------------------------------------------


def test_a_file_that_is_no_record_file_goes_to_git_merge_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = [tmp_path / name for name in ("base", "ours", "theirs")]
    for path, text in zip(paths, ("a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n", "a\nb\nc\nd\nE\n"), strict=True):
        path.write_text(text, encoding="utf-8")
    assert merge_files(*paths, "notes.txt", 7) == 0
    assert paths[1].read_text(encoding="utf-8") == "a\nB\nc\nd\nE\n"
    paths[2].write_text("a\nX\nc\nd\ne\n", encoding="utf-8")
    paths[0].write_text("a\nb\nc\nd\ne\n", encoding="utf-8")
    assert merge_files(*paths, "notes.txt", 7) == 1
    assert "<<<<<<< ours\nB\n=======\nX\n>>>>>>> theirs\n" in paths[1].read_text(encoding="utf-8")


def test_a_version_that_does_not_read_goes_to_git_merge_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = [tmp_path / name for name in ("base", "ours", "theirs")]
    log = system_log(entry("10:00", "A"))
    paths[0].write_text(log, encoding="utf-8")
    paths[1].write_bytes(log.encode() + b"\xff\n")
    paths[2].write_text(log, encoding="utf-8")
    assert merge_files(*paths, "SYSTEM_LOG.md", 7) == 0
    assert paths[1].read_bytes() == log.encode() + b"\xff\n"


def test_the_family_comes_from_the_config_else_from_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "whylog.toml").write_text('[sources]\n"logs/*.md" = "incidents"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert family_of("sub/logs/ops.md", b"") == "incidents"
    assert family_of("sub/ops.md", system_log(entry("10:00", "A")).encode()) == "syslog"
    assert family_of("sub/notes.md", b"just notes\n") is None


# --- installing the driver, and real git merges -----------------------------------------------------


def test_install_writes_attributes_and_config_once(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    (repo.root / ".gitattributes").write_bytes(b"*.png binary\r\n*.sh text eol=lf")
    config = Config(repo.root)
    first = install_merge_driver(config)
    assert [outcome for _, outcome in first] == ["updated", "wrote", "wrote"]
    text = (repo.root / ".gitattributes").read_bytes().decode()
    assert text.startswith("*.png binary\r\n*.sh text eol=lf\r\n# whylog:")
    assert "/SYSTEM_LOG.md merge=whylog\r\n/SYSTEM_LOG_ARCHIVE_*.md merge=whylog\r\n" in text
    assert "/DEVLOG_ARCHIVE.md merge=whylog\r\n" in text and "adr" not in text
    driver = repo.git("config", "--local", "merge.whylog.driver").strip()
    assert driver.endswith(" merge-file %O %A %B %P --marker-size %L")
    assert install_merge_driver(config) == [(what, "kept") for what, _ in first]
    assert (repo.root / ".gitattributes").read_bytes().decode() == text


def test_a_glob_with_a_space_is_quoted_and_found_again(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    config = Config(repo.root, {"team logs/SYSTEM_LOG.md": "syslog", "docs/adr/*.md": "adr"})
    install_merge_driver(config)
    text = (repo.root / ".gitattributes").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == ['"/team logs/SYSTEM_LOG.md" merge=whylog']
    assert repo.git("check-attr", "merge", "--", "team logs/SYSTEM_LOG.md").strip().endswith("merge: whylog")
    assert install_merge_driver(config)[0] == (".gitattributes", "kept")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repo = Repo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    result = CliRunner().invoke(cli, ["init"], catch_exceptions=False)
    assert "wrote git config merge.whylog.driver (merge driver)" in result.output
    add(repo, "10:00", "Base entry")
    repo.commit("base")
    return repo


def add(repo: Repo, stamp: str, title: str) -> None:
    fields = ["--title", title, "--date", f"2026-02-01T{stamp}", "--type", "Bug Fix", "--result", "ok"]
    result = CliRunner().invoke(cli, ["-C", str(repo.root), "add", "entry", *fields, "--confidence", "90% - tested"])
    assert result.exit_code == 0, result.output


def merge(repo: Repo, branch: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **ENV}
    return subprocess.run(
        ["git", "merge", "-q", "--no-edit", branch], cwd=repo.root, env=env, capture_output=True, text=True
    )


def test_git_merges_entries_added_on_two_branches(project: Repo) -> None:
    project.git("checkout", "-q", "-b", "other")
    add(project, "10:03", "Theirs")
    project.commit("theirs")
    project.git("checkout", "-q", "main")
    add(project, "10:05", "Ours")
    add(project, "10:01", "Ours earlier")
    project.commit("ours")
    proc = merge(project, "other")
    assert proc.returncode == 0, proc.stderr
    text = (project.root / "SYSTEM_LOG.md").read_text(encoding="utf-8")
    assert titles(text) == ["Ours", "Theirs", "Ours earlier", "Base entry"]
    assert project.git("status", "--porcelain") == ""


def test_git_leaves_a_record_edited_on_both_branches_conflicted(project: Repo) -> None:
    path = project.root / "SYSTEM_LOG.md"
    project.git("checkout", "-q", "-b", "other")
    path.write_text(path.read_text(encoding="utf-8").replace("\nok\n", "\ntheirs ok\n"), encoding="utf-8")
    add(project, "10:03", "Theirs")
    project.commit("theirs")
    project.git("checkout", "-q", "main")
    path.write_text(path.read_text(encoding="utf-8").replace("\nok\n", "\nours ok\n"), encoding="utf-8")
    add(project, "10:05", "Ours")
    project.commit("ours")
    proc = merge(project, "other")
    assert proc.returncode != 0
    assert project.git("status", "--porcelain").splitlines() == ["UU SYSTEM_LOG.md"]
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("<<<<<<< ours\n")
    assert titles(head) == ["Ours", "Theirs"]
    conflict, tail = rest.split(">>>>>>> theirs\n")
    assert "ours ok" in conflict and "theirs ok" in conflict and "## 2026-02-01 10:00 UTC - Base entry" in conflict
    assert tail.strip() in ("", "---")


def test_git_merges_a_file_both_branches_created(project: Repo) -> None:
    def incident(title: str) -> None:
        fields = ["--title", title, "--date", "2026-02-01", "--severity", "High", "--root-cause", "a bug"]
        result = CliRunner().invoke(cli, ["-C", str(project.root), "add", "incident", *fields])
        assert result.exit_code == 0, result.output

    project.git("checkout", "-q", "-b", "other")
    incident("Theirs broke")
    project.commit("theirs")
    project.git("checkout", "-q", "main")
    incident("Ours broke")
    project.commit("ours")
    proc = merge(project, "other")
    assert proc.returncode == 0, proc.stderr
    records = read_text((project.root / "INCIDENTS.md").read_text(encoding="utf-8"), "INCIDENTS.md", "incidents")
    # `add` on main saw INC-2026-001 taken on the other branch; the file was new on both (an empty base)
    assert [(r.id, r.title) for r in records.records] == [
        ("INC-2026-002", "Ours broke"),
        ("INC-2026-001", "Theirs broke"),
    ]
