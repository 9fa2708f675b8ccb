"""`whylog init` finds record files where teams keep them, in any letter case, and lists each with its family."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

FILES = {
    "System_Log.md": "# Log\n\n## 2026-05-01 - Fixed login\n\ntext\n\n## 2026-05-02 - Added export\n\ntext\n",
    "docs/decisions/0001-use-postgres.md": "# 1. Use PostgreSQL\n\nDate: 2026-04-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe need SQL.\n",
    "docs/postmortems/2026-07-01-latency.md": "# Latency regression\n\n## Root cause\n\nN+1 query.\n",
    "memory-bank/decisionLog.md": "# Decision Log\n\n## [2026-02-26 16:52:00] - Use a queue\n\n**Decision:** queue it.\n",
    "journal/2026-03-04.md": "# Day 4\n\n**Date:** 2026-03-04\n\nBuilt the parser.\n",
    "PROGRESS.md": "# Progress 2026-03-19\n\n- **Done:** tests\n",
    "README.md": "# A project\n\nNothing to see.\n",
}


def test_init_finds_record_files_by_name_in_any_case(tmp_path: Path) -> None:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    status, out, err = run_cli(["--root", str(tmp_path), "init", "--no-merge-driver"])
    assert status == 0, err
    assert "docs/postmortems/2026-07-01-latency.md" in out
    config = (tmp_path / "whylog.toml").read_text(encoding="utf-8")
    for line in [
        '"System_Log.md" = "syslog"',
        '"docs/decisions/*.md" = "adr"',
        '"docs/postmortems/*.md" = "incidents"',
        '"memory-bank/decisionLog.md" = "adr"',
        '"journal/*.md" = "devlog"',
        '"PROGRESS.md" = "session"',
    ]:
        assert line in config
    assert "README.md" not in config
    status, out, err = run_cli(["--root", str(tmp_path), "list", "--format", "json"])
    assert status == 0, err
    sources = {r["source"]["path"] for r in json.loads(out)}
    assert sources == set(FILES) - {"README.md"}


def test_parse_and_the_index_give_one_file_the_same_records(tmp_path: Path) -> None:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    status, out, err = run_cli(["--root", str(tmp_path), "list", "--format", "json"])  # no whylog.toml: discovery
    assert status == 0, err
    listed: dict[str, list[tuple[str, str, int]]] = {}
    for r in json.loads(out):
        listed.setdefault(r["source"]["path"], []).append((r["id"], r["kind"], r["source"]["start_line"]))
    for rel in set(FILES) - {"README.md"}:
        status, out, err = run_cli(["--root", str(tmp_path), "parse", str(tmp_path / rel), "--format", "json"])
        assert status == 0, err
        parsed = [(r["id"], r["kind"], r["source"]["start_line"]) for r in json.loads(out)["records"]]
        assert sorted(parsed) == sorted(listed[rel]), rel


def test_folders_above_the_repo_say_nothing_about_a_file(tmp_path: Path) -> None:
    repo = tmp_path / "decision-records" / "project"  # a checkout inside a folder named like decisions
    repo.mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "SYSTEM_LOG.md").write_text(FILES["System_Log.md"], encoding="utf-8")
    (repo / "notes.md").write_text("# Notes\n\nNothing here.\n", encoding="utf-8")
    status, out, err = run_cli(["parse", str(repo / "SYSTEM_LOG.md"), "--format", "json"])
    assert status == 0, err
    assert json.loads(out)["family"] == "syslog"
    status, out, err = run_cli(["parse", str(repo / "notes.md"), "--format", "json"])
    assert json.loads(out)["family"] != "adr"


def test_without_a_config_discovery_is_kept_until_a_folder_lists_other_names(tmp_path: Path) -> None:
    import os

    from whylog.repo import discovered_sources

    (tmp_path / ".whylog").mkdir()
    (tmp_path / "System_Log.md").write_text(FILES["System_Log.md"], encoding="utf-8")
    assert discovered_sources(tmp_path)["System_Log.md"] == "syslog"
    cache = tmp_path / ".whylog" / "discovered.json"
    kept = cache.read_bytes()
    replaced = tmp_path / "System_Log.md.new"  # a rewrite by rename, as every whylog writer does
    replaced.write_text(FILES["System_Log.md"] + "\n", encoding="utf-8")
    os.replace(replaced, tmp_path / "System_Log.md")
    assert "System_Log.md" in discovered_sources(tmp_path) and cache.read_bytes() == kept  # not walked again
    (tmp_path / "docs" / "decisions").mkdir(parents=True)
    (tmp_path / "docs" / "decisions" / "0001-x.md").write_text("# 1. X\n\nDate: 2026-01-01\n", encoding="utf-8")
    assert discovered_sources(tmp_path)["docs/decisions/*.md"] == "adr"  # a new folder: walked again


def test_a_file_two_globs_name_has_the_family_of_the_first(tmp_path: Path) -> None:
    """One folder listed once for all the globs that name it; the first glob in the config decides, also
    when a glob with wildcards in its folders (`**`) comes first."""
    from whylog.repo import Config, stat_source_files

    for rel in ("docs/adr/0001-queue.md", "docs/adr/notes.md", "docs/adr/sub/0002-cache.md", "other.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("# A record\n", encoding="utf-8")

    def families(sources: dict[str, str]) -> dict[str, str]:
        return {rel: family for rel, family, _ in stat_source_files(Config(tmp_path, sources))}

    folder_globs = {"docs/adr/[0-9]*.md": "adr", "docs/adr/*.md": "changes"}
    assert families(folder_globs) == {"docs/adr/0001-queue.md": "adr", "docs/adr/notes.md": "changes"}
    deep_first = {"docs/**/*.md": "changes", "docs/adr/[0-9]*.md": "adr"}
    assert families(deep_first) == {
        "docs/adr/0001-queue.md": "changes",
        "docs/adr/notes.md": "changes",
        "docs/adr/sub/0002-cache.md": "changes",
    }
    deep_last = {"docs/adr/[0-9]*.md": "adr", "docs/**/*.md": "changes"}
    assert families(deep_last)["docs/adr/0001-queue.md"] == "adr"
    assert families(deep_last)["docs/adr/sub/0002-cache.md"] == "changes"
