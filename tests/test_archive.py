"""`whylog archive`: thresholds, the year split, order, the index section, crash safety, dry run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from whylog.cli import cli
from whylog.lifecycle.archive import archive
from whylog.markdown.readers import read_path
from whylog.model import to_json
from whylog.model.errors import WriteError
from whylog.repo import load, read_config

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
# newest first; with 12 months kept from NOW, everything before 2025-06-10 moves
STAMPS = [
    "2026-06-01 10:00",
    "2026-03-02 09:15",
    "2025-08-20 17:40",
    "2025-06-10 08:00",
    "2025-05-30 11:11",
    "2025-02-14 07:00",
    "2024-12-31 23:59",
    "2024-03-03 03:03",
]


def _entry(stamp: str, title: str, related: str = "") -> str:
    lines = [
        f"## {stamp} UTC - {title}",
        "**Type:** Bug Fix",
        "**Affected Files:**",
        f"- `src/{title.split()[0].lower()}.py` (lines 1-5)",
        "**Chain of Reasoning:**",
        f"- **Observation:** {title} failed under load.",
        "- **Hypothesis:** The pool was too small.",
        "- **Action:**",
        "1. Raised the pool size",
        "**Result:**",
        "Fixed.",
        "**Confidence:** 90% - load tested",
        "**Related:**",
        f"- {related or 'None'}",
        "---",
        "",
    ]
    return "\n".join(lines) + "\n"


def _syslog(stamps: list[str], related: dict[int, str] | None = None) -> str:
    head = "# SYSTEM_LOG\n\nNewest first.\n\n## Index\n\n- 2026-06: 1 entries\n"
    head += "- Archive 2023: [SYSTEM_LOG_ARCHIVE_2023.md](SYSTEM_LOG_ARCHIVE_2023.md) (1 entries)\n\n---\n\n"
    related = related or {}
    return head + "".join(_entry(s, f"Record{i} pool", related.get(i, "")) for i, s in enumerate(stamps))


DEVLOG = """# Development Log

## Daily Log - Newest First

### 2026-06-08: Fresh Story

**The Problem:** New.

---

### 2026-05-01: Old Story

**The Problem:** Old.

---

### 2026-04-01: Older Story

**The Problem:** Older.

---

## Archive

**Entries older than 14 days** are archived for token efficiency:
- No archived entries yet
"""

OLD_2023 = "# SYSTEM_LOG Archive 2023\n\nNewest first.\n\n---\n\n" + _entry("2023-05-05 05:05", "Ancient pool")


def _repo(tmp_path: Path, max_lines: int = 50, syslog: str | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "whylog.toml").write_text(f"[archive]\nsyslog_max_lines = {max_lines}\n", encoding="utf-8")
    text = syslog if syslog is not None else _syslog(STAMPS, {2: "Similar issue resolved: 2025-02-14"})
    (tmp_path / "SYSTEM_LOG.md").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "SYSTEM_LOG_ARCHIVE_2023.md").write_text(OLD_2023, encoding="utf-8")
    (tmp_path / "DEVLOG.md").write_text(DEVLOG, encoding="utf-8")
    return tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.md"))}


def _multiset(root: Path) -> Counter[str]:
    records = load(read_config(root)).records
    return Counter(json.dumps(to_json(replace(r.without_source(), id="")), sort_keys=True) for r in records)


def _ids(path: Path) -> list[str]:
    return [r.id for r in read_path(str(path), "syslog").records]


def test_below_threshold_nothing_moves(tmp_path: Path) -> None:
    root = _repo(tmp_path, max_lines=10_000)
    (root / "DEVLOG.md").write_text(DEVLOG.replace("2026-05-01", "2026-06-05").replace("2026-04-01", "2026-06-04"))
    before = _snapshot(root)
    plan = archive(read_config(root), NOW)
    assert plan.moves == [] and plan.writes == []
    assert _snapshot(root) == before


def test_year_split_order_and_bytes(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    original = (root / "SYSTEM_LOG.md").read_text(encoding="utf-8")
    archive(read_config(root), NOW)
    assert _ids(root / "SYSTEM_LOG.md") == [
        "LOG-2026-06-01-1000",
        "LOG-2026-03-02-0915",
        "LOG-2025-08-20-1740",
        "LOG-2025-06-10-0800",
    ]
    assert _ids(root / "SYSTEM_LOG_ARCHIVE_2025.md") == ["LOG-2025-05-30-1111", "LOG-2025-02-14-0700"]
    assert _ids(root / "SYSTEM_LOG_ARCHIVE_2024.md") == ["LOG-2024-12-31-2359", "LOG-2024-03-03-0303"]
    made = (root / "SYSTEM_LOG_ARCHIVE_2024.md").read_text(encoding="utf-8")
    assert made.startswith("# SYSTEM_LOG Archive 2024\n")
    for stamp in STAMPS[4:]:
        block = original[original.index(f"## {stamp}") :].split("\n---\n\n", 1)[0] + "\n---\n\n"
        assert block in (root / f"SYSTEM_LOG_ARCHIVE_{stamp[:4]}.md").read_text(encoding="utf-8")


def test_insert_into_existing_archive_keeps_newest_first(tmp_path: Path) -> None:
    root = _repo(tmp_path, syslog=_syslog(["2026-06-01 10:00", "2023-09-09 09:09", "2023-01-01 01:01"]))
    archive(read_config(root), NOW)
    assert _ids(root / "SYSTEM_LOG_ARCHIVE_2023.md") == [
        "LOG-2023-09-09-0909",
        "LOG-2023-05-05-0505",
        "LOG-2023-01-01-0101",
    ]


def test_index_section_updated(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    archive(read_config(root), NOW)
    text = (root / "SYSTEM_LOG.md").read_text(encoding="utf-8")
    index = text[text.index("## Index") : text.index("---")]
    assert index.splitlines()[2:] == [
        "- 2026-06: 1 entry",
        "- 2026-03: 1 entry",
        "- 2025-08: 1 entry",
        "- 2025-06: 1 entry",
        "- Archive 2025: [SYSTEM_LOG_ARCHIVE_2025.md](SYSTEM_LOG_ARCHIVE_2025.md) (2 entries)",
        "- Archive 2024: [SYSTEM_LOG_ARCHIVE_2024.md](SYSTEM_LOG_ARCHIVE_2024.md) (2 entries)",
        "- Archive 2023: [SYSTEM_LOG_ARCHIVE_2023.md](SYSTEM_LOG_ARCHIVE_2023.md) (1 entry)",
        "",
    ]


def test_devlog_stories_move_and_note_updated(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    archive(read_config(root), NOW)
    devlog = (root / "DEVLOG.md").read_text(encoding="utf-8")
    assert "Old Story" not in devlog and "Fresh Story" in devlog
    assert devlog.endswith("- 2 entries archived in [DEVLOG_ARCHIVE.md](DEVLOG_ARCHIVE.md)\n")
    stories = [r.id for r in read_path(str(root / "DEVLOG_ARCHIVE.md"), "devlog").records]
    assert stories == ["STORY-2026-05-01", "STORY-2026-04-01"]


def test_idempotent_and_multiset_kept(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = _multiset(root)
    archive(read_config(root), NOW)
    after = _snapshot(root)
    assert _multiset(root) == before
    plan = archive(read_config(root), NOW)
    assert plan.writes == [] and plan.moves == []
    assert _snapshot(root) == after


_CRASH = """
import os, sys
from datetime import datetime, UTC
from pathlib import Path
from whylog.lifecycle.archive import archive
from whylog.repo import read_config

step = int(sys.argv[2])

def stop(number):
    if number == step:
        os._exit(1)

archive(read_config(Path(sys.argv[1])), datetime(2026, 6, 10, 12, 0, tzinfo=UTC), after_write=stop)
"""


def test_kill_after_each_write_then_rerun(tmp_path: Path) -> None:
    reference = _repo(tmp_path / "reference")
    plan = archive(read_config(reference), NOW)
    expected, steps = _snapshot(reference), len(plan.writes)
    assert steps == 5  # DEVLOG_ARCHIVE, two system log archives, then the two main files
    for step in range(1, steps + 1):
        root = _repo(tmp_path / f"crash{step}")
        before = _multiset(root)
        done = subprocess.run([sys.executable, "-c", _CRASH, str(root), str(step)], check=False)
        assert done.returncode == 1
        archive(read_config(root), NOW)
        assert _multiset(root) == before, step
        assert _snapshot(root) == expected, step
        assert archive(read_config(root), NOW).writes == []


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = _snapshot(root)
    result = CliRunner().invoke(cli, ["--root", str(root), "archive", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "SYSTEM_LOG.md -> SYSTEM_LOG_ARCHIVE_2024.md (new file): would move 2 records" in result.output
    assert _snapshot(root) == before
    assert not (root / ".whylog").exists()


def test_crlf_file_keeps_its_line_ends(tmp_path: Path) -> None:
    root = _repo(tmp_path, syslog=_syslog(STAMPS).replace("\n", "\r\n"))
    before = _multiset(root)
    archive(read_config(root), NOW)
    for name in ("SYSTEM_LOG.md", "SYSTEM_LOG_ARCHIVE_2024.md", "SYSTEM_LOG_ARCHIVE_2025.md"):
        data = (root / name).read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n"), name
    assert _multiset(root) == before


def test_links_still_resolve_after_archive(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    archive(read_config(root), NOW)
    collection = load(read_config(root))
    linking = collection.get("LOG-2025-08-20-1740")
    assert linking is not None
    assert [link.target for link in linking.links] == ["LOG-2025-02-14-0700"]
    moved = collection.get("LOG-2025-02-14-0700")
    assert moved is not None and moved.source is not None
    assert moved.source.path == "SYSTEM_LOG_ARCHIVE_2025.md"


def test_cli_output_lists_moves_per_file(tmp_path: Path) -> None:
    stamps = ["2099-01-01 10:00", "2024-12-31 23:59", "2024-03-03 03:03", "2023-01-01 01:01"]
    root = _repo(tmp_path / "repo", syslog=_syslog(stamps))
    (root / "DEVLOG.md").unlink()
    # what an older whylog left when stopped after its first file: the 2024 archive written, the rest not
    reference = _repo(tmp_path / "reference", syslog=_syslog(stamps))
    (reference / "DEVLOG.md").unlink()
    archive(read_config(reference), NOW)
    (root / "SYSTEM_LOG_ARCHIVE_2024.md").write_bytes((reference / "SYSTEM_LOG_ARCHIVE_2024.md").read_bytes())
    result = CliRunner().invoke(cli, ["--root", str(root), "archive"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "SYSTEM_LOG.md -> SYSTEM_LOG_ARCHIVE_2024.md: moved 2 records"
        " (LOG-2024-12-31-2359 .. LOG-2024-03-03-0303; 2 already there from an interrupted run)",
        "SYSTEM_LOG.md -> SYSTEM_LOG_ARCHIVE_2023.md: moved 1 record (LOG-2023-01-01-0101 .. LOG-2023-01-01-0101)",
    ]
    again = CliRunner().invoke(cli, ["--root", str(root), "archive"])
    assert again.output == "nothing to archive\n"


def test_indexed_repo_finds_archived_records(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["--root", str(root), "index"]).exit_code == 0
    archive(read_config(root), NOW)
    shown = runner.invoke(cli, ["--root", str(root), "show", "LOG-2024-03-03-0303"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("<!-- LOG-2024-03-03-0303 · SYSTEM_LOG_ARCHIVE_2024.md:")
    found = runner.invoke(cli, ["--root", str(root), "search", "Record7", "--format", "json"])
    assert found.exit_code == 0, found.output
    assert "SYSTEM_LOG_ARCHIVE_2024.md" in found.output


def test_refuses_an_archive_no_source_glob_reads(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "whylog.toml").write_text(
        '[sources]\n"SYSTEM_LOG.md" = "syslog"\n[archive]\nsyslog_max_lines = 50\n', encoding="utf-8"
    )
    before = _snapshot(root)
    with pytest.raises(WriteError, match=r"SYSTEM_LOG_ARCHIVE_2025\.md is not in \[sources\]"):
        archive(read_config(root), NOW)
    assert _snapshot(root) == before
