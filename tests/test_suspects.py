"""Suspects for an incident: records and commits that touched its files or services in the window before it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from whylog.lifecycle.suspects import find_suspects, format_text, report_json
from whylog.model.errors import NotFound
from whylog.repo import read_config

INCIDENTS = """# Incidents

---

**Incident ID:** INC-2026-007
**Date:** 2026-03-20
**Severity:** High
**Services Affected:** Billing Service
**Title:** Invoices not sent

**Symptoms:**
* Invoices stopped going out.

**Root Cause:**
* The retry loop in `src/billing/send.py` gave up after one try.

**Resolution:**
* Restored the retries in `src/billing/send.py`.

**Action Items:**
* [ ] Alert when no invoice goes out for an hour.

---
"""


def _entry(stamp: str, title: str, path: str, text: str = "Changed the sender.") -> str:
    return f"""## {stamp} UTC - {title}
**Type:** Implementation
**Affected Files:**
- `{path}` (lines 1-5)
**Chain of Reasoning:**
- **Observation:** {text}
- **Hypothesis:** It would help.
- **Action:**
1. Did it
**Result:**
- Done
**Confidence:** 90% - Tested
**Related:**
- None

---

"""


SYSTEM_LOG = (
    "# System Log\n\n---\n\n"
    + _entry("2026-03-18 10:00", "Reworked invoice sending", "src/billing/send.py")
    + _entry(
        "2026-03-15 09:00", "Billing Service queue settings", "deploy/queue.yml", "Tuned the Billing Service queue."
    )
    + _entry("2026-03-12 09:00", "Unrelated logging change", "src/log.py")
    + _entry("2026-02-01 09:00", "Old change to invoice sending", "src/billing/send.py")
)


RECORDS = {"INCIDENTS.md": INCIDENTS, "SYSTEM_LOG.md": SYSTEM_LOG}


def test_records_in_the_window_that_touched_the_files_or_services(record_folder: Path) -> None:
    report = find_suspects(read_config(record_folder), "INC-2026-007")
    ids = [s.id for s in report.suspects]
    assert ids == ["LOG-2026-03-18-1000", "LOG-2026-03-15-0900"]  # same file first, then the service named
    assert report.suspects[0].files == ("src/billing/send.py",)
    assert report.suspects[1].services == ("Billing Service",)
    assert "LOG-2026-02-01-0900" not in ids  # touched the file, but before the window
    assert "LOG-2026-03-12-0900" not in ids  # in the window, but touched nothing of the incident's
    assert report.since == "2026-03-07T00:00:00Z" and report.until == "2026-03-21T00:00:00Z"
    assert not report.in_git and any("not a git repository" in note for note in report.notes)


def test_days_widens_the_window(record_folder: Path) -> None:
    report = find_suspects(read_config(record_folder), "inc-2026-007", days=60)
    ids = [s.id for s in report.suspects]
    assert ids == ["LOG-2026-03-18-1000", "LOG-2026-02-01-0900", "LOG-2026-03-15-0900"]  # files outrank recency


def test_text_and_json(record_folder: Path) -> None:
    report = find_suspects(read_config(record_folder), "INC-2026-007")
    lines = format_text(report)
    assert any(line.startswith("LOG-2026-03-18-1000") for line in lines)
    assert "    touched: service Billing Service" in lines
    data = report_json(report)
    assert data["incident"] == "INC-2026-007"
    assert [s["source"] for s in data["suspects"]] == ["record", "record"]


def test_unknown_incident(record_folder: Path) -> None:
    with pytest.raises(NotFound):
        find_suspects(read_config(record_folder), "INC-1999-001")


def _commit(root: Path, path: str, when: str, message: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"{message}\n", encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "add", path], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_commits_in_the_window(record_folder: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=record_folder, check=True)
    subprocess.run(["git", "config", "user.email", "t@example.com"], cwd=record_folder, check=True)
    subprocess.run(["git", "config", "user.name", "T"], cwd=record_folder, check=True)
    _commit(record_folder, "src/billing/send.py", "2026-02-02T12:00:00Z", "old sender")
    _commit(record_folder, "src/billing/send.py", "2026-03-19T12:00:00Z", "send invoices in batches")
    _commit(record_folder, "src/other.py", "2026-03-19T13:00:00Z", "unrelated")
    _commit(record_folder, "src/billing/send.py", "2026-03-22T12:00:00Z", "after the incident")
    report = find_suspects(read_config(record_folder), "INC-2026-007")
    commits = [s for s in report.suspects if s.source == "commit"]
    assert [c.title for c in commits] == ["send invoices in batches"]
    assert commits[0].date == "2026-03-19T12:00:00Z" and commits[0].files == ("src/billing/send.py",)
    assert report.in_git
    assert [s.id for s in report.suspects][0] == commits[0].id  # same file, newest


def test_cli_suspects(record_folder: Path) -> None:
    import json

    from click.testing import CliRunner

    from whylog.cli import cli

    result = CliRunner().invoke(cli, ["--root", str(record_folder), "suspects", "INC-2026-007", "--format", "json"])
    assert result.exit_code == 0
    assert [s["id"] for s in json.loads(result.stdout)["suspects"]] == ["LOG-2026-03-18-1000", "LOG-2026-03-15-0900"]
    result = CliRunner().invoke(cli, ["--root", str(record_folder), "suspects", "INC-2026-007", "--days", "1"])
    assert "INC-2026-007: suspects from 2026-03-20T00:00:00Z to 2026-03-21T00:00:00Z" in result.stdout
