"""`whylog why` and `whylog search` through the command line, on a scripted git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.scripted_git import CODE, Repo
from tests.test_cli import run

LOG = (
    "# SYSTEM_LOG\n\n"
    "## 2026-01-01 10:00 UTC - Capped the retry budget in the webhook sender\n"
    "**Type:** Bug Fix\n**Affected Files:**\n- `src/sender.py` (lines 5-8)\n"
    "**Result:**\n- No retry storms in the soak test\n**Confidence:** 90% - soak tested\n---\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    git = Repo(tmp_path)
    git.write("src/sender.py", CODE)
    git.commit("code")
    (tmp_path / "SYSTEM_LOG.md").write_text(LOG, encoding="utf-8")
    git.commit("log the change")
    git.insert("src/sender.py", 0, ["import os", "import sys", "import time"])
    git.commit("imports above")
    monkeypatch.chdir(tmp_path)
    return git


def test_why_follows_lines_moved_down(repo: Repo) -> None:
    code, out, err = run(["why", "src/sender.py:9"])
    assert code == 0, err
    assert "LOG-2026-01-01-1000" in out and "5-8 to 8-11" in out
    code, out, _ = run(["why", "src/sender.py:5"])
    assert code == 1  # line 5 is now an import, not the recorded range


def test_why_json_and_renamed_file(repo: Repo) -> None:
    repo.git("mv", "src/sender.py", "src/webhooks.py")
    repo.commit("rename")
    code, out, err = run(["why", "src/webhooks.py:10", "--format", "json"])
    assert code == 0, err
    (match,) = json.loads(out)
    assert match["id"] == "LOG-2026-01-01-1000"
    assert match["match"]["renamed_from"] == "src/sender.py"


def test_search_finds_the_entry_and_bad_target_is_exit_2(repo: Repo) -> None:
    code, out, _ = run(["search", "retry storms"])
    assert code == 0 and out.splitlines()[0].startswith("LOG-2026-01-01-1000")
    code, _, err = run(["why", "src/sender.py:x-y"])
    assert code in (1, 2) and "Traceback" not in err


def test_why_follows_a_rename_when_the_records_live_in_a_subfolder(tmp_path: Path) -> None:
    git = Repo(tmp_path)
    git.write("svc/src/sender.py", CODE)
    git.commit("code")
    (tmp_path / "svc" / "SYSTEM_LOG.md").write_text(LOG, encoding="utf-8")  # paths relative to svc/
    git.commit("log the change")
    git.git("mv", "svc/src/sender.py", "svc/src/webhooks.py")
    git.commit("rename")
    code, out, err = run(["-C", str(tmp_path / "svc"), "why", "src/webhooks.py:6", "--format", "json"])
    assert code == 0, err
    (match,) = json.loads(out)
    assert (match["id"], match["match"]["renamed_from"]) == ("LOG-2026-01-01-1000", "src/sender.py")
