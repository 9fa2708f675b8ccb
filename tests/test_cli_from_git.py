"""`whylog add entry --from-git` end to end: git's files land in SYSTEM_LOG.md and `whylog parse` reads them back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.conftest import run_cli as run
from tests.scripted_git import CODE, Repo
from whylog.cli import cli

DATE = ["--date", "2026-02-01 10:00 UTC"]
TOKEN = "ghp_" + "1234567890abcdefghijklmnopqrstuvwxyzAB"


def read_back() -> dict[str, Any]:
    code, out, err = run(["parse", "SYSTEM_LOG.md", "--format", "json"])
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["diagnostics"] == []
    (record,) = data["records"]
    return dict(record)


def files(*refs: tuple[str, list[list[int]], str, str]) -> list[dict[str, Any]]:
    return [{"path": p, "lines": lines, "change": change, "note": note} for p, lines, change, note in refs]


def test_a_commit_becomes_an_entry_that_reads_back(git_repo_here: Repo) -> None:
    git_repo_here.write("src/app.py", [f"line {n}" for n in range(1, 41)])
    git_repo_here.write("old name.py", CODE)
    git_repo_here.write("gone.py", ["bye"])
    git_repo_here.commit("first")
    git_repo_here.replace("src/app.py", 3, 3, ["three"])
    git_repo_here.replace("src/app.py", 30, 30, ["thirty"])
    (git_repo_here.root / "old name.py").rename(git_repo_here.root / "né name.py")
    (git_repo_here.root / "gone.py").unlink()
    for n in range(4):
        git_repo_here.write(f"services/auth/m{n}.py", ["x"])
    (git_repo_here.root / "logo.png").write_bytes(b"\x89PNG\0\1")
    git_repo_here.commit("Add the auth service and rename the helper")
    code, out, err = run(["add", "entry", "--from-git", "HEAD", *DATE])
    assert (code, out) == (0, "added LOG-2026-02-01-1000 to SYSTEM_LOG.md:3-15\n")
    assert err == (
        "whylog: fill in Observation, Hypothesis, Action, Result, Confidence of LOG-2026-02-01-1000 at"
        " SYSTEM_LOG.md:3-15 (next time pass --observation --hypothesis --actions --result --confidence with"
        " --from-git, or --edit to write them before it is saved)\n"
    )
    record = read_back()
    assert record["title"] == "Add the auth service and rename the helper"
    assert record["fields"]["type"] == "Implementation"
    assert record["files"] == files(
        ("gone.py", [], "deleted", ""),
        ("logo.png", [], "new", "binary"),
        ("né name.py", [], "modified", "renamed from old name.py"),
        ("services/", [], "new", "4 files"),  # services/ is new too: the outermost new folder
        ("src/app.py", [[3, 3], [30, 30]], "modified", ""),
    )
    text = (git_repo_here.root / "SYSTEM_LOG.md").read_text(encoding="utf-8")
    assert "- `services/` (new directory, 4 files)\n" in text
    assert "- `né name.py` (renamed from old name.py)\n" in text


def test_staged_change_needs_a_title(git_repo_here: Repo) -> None:
    git_repo_here.write("app.py", CODE)
    git_repo_here.git("add", "app.py")
    code, out, err = run(["add", "entry", "--from-git", *DATE])
    assert (code, out) == (2, "")
    assert "needs a one-line --title" in err
    code, out, err = run(["add", "entry", "--from-git", "--title", "Start the app with its main loop", *DATE])
    assert code == 0 and err.startswith("whylog: fill in Observation, Hypothesis, Action, Result, Confidence of")
    record = read_back()
    assert record["files"] == files(("app.py", [], "new", ""))
    assert record["title"] == "Start the app with its main loop"


def test_options_and_json_override_git(git_repo_here: Repo) -> None:
    git_repo_here.write("README.md", ["# app"])
    git_repo_here.commit("Describe the app in the README file")
    envelope = {"title": "Explain what the app is for", "fields": {"observation": "Nobody knew"}}
    args = ["add", "entry", "--from-git", "HEAD", "--json", "-", "--result", "Read by two people", *DATE]
    code, _, err = run(args, stdin=json.dumps(envelope))
    assert code == 0 and err.startswith("whylog: fill in Hypothesis, Action, Confidence of")  # not what was given
    record = read_back()
    assert record["title"] == "Explain what the app is for"
    assert record["fields"]["type"] == "Documentation"
    assert record["fields"]["observation"] == "Nobody knew"
    assert record["fields"]["result"] == "Read by two people"
    assert record["files"] == files(("README.md", [], "new", ""))


def test_file_and_type_options_replace_what_git_gives(git_repo_here: Repo) -> None:
    git_repo_here.write("app.py", CODE)
    git_repo_here.commit("Add the app and its main loop")
    code, _, err = run(["add", "entry", "--from-git", "HEAD", "--file", "lib.py:4-9", "--type", "Bug Fix", *DATE])
    assert code == 0, err
    record = read_back()
    assert record["files"] == files(("lib.py", [[4, 9]], "modified", ""))
    assert record["fields"]["type"] == "Bug Fix"


def test_a_revert_is_written_as_a_rollback_bug_fix(git_repo_here: Repo) -> None:
    git_repo_here.write("app.py", CODE)
    git_repo_here.commit("first")
    git_repo_here.replace("app.py", 2, 2, ["two"])
    git_repo_here.commit("Speed up the loop")
    git_repo_here.git("revert", "--no-edit", "HEAD")
    assert run(["add", "entry", "--from-git", "HEAD", *DATE])[0] == 0
    record = read_back()
    assert (record["fields"]["type"], record["tags"]) == ("Bug Fix", ["ROLLBACK"])
    assert record["files"] == files(("app.py", [[2, 2]], "modified", ""))


def test_edit_reads_back_what_the_editor_left(git_repo_here: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo_here.write("app.py", CODE)
    git_repo_here.commit("Add the app and its main loop")
    seen: list[str] = []

    def edit(text: str, **_: Any) -> str:
        seen.append(text)
        return text.replace("**Result:**\n", "**Result:**\n- Checked by hand\n")

    monkeypatch.setattr(click, "edit", edit)
    assert run(["add", "entry", "--from-git", "HEAD", "--edit", *DATE])[0] == 0
    assert "- `app.py` (new file)\n" in seen[0]
    record = read_back()
    assert record["fields"]["result"] == "- Checked by hand"
    assert record["files"] == files(("app.py", [], "new", ""))


def test_edit_closed_without_saving_writes_nothing(git_repo_here: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo_here.write("app.py", CODE)
    git_repo_here.commit("Add the app and its main loop")
    monkeypatch.setattr(click, "edit", lambda text, **_: None)
    code, _, err = run(["add", "entry", "--from-git", "HEAD", "--edit", *DATE])
    assert (code, err) == (2, "whylog: aborted\n")
    assert not (git_repo_here.root / "SYSTEM_LOG.md").exists()


def test_allow_secret(git_repo_here: Repo) -> None:
    git_repo_here.write("app.py", CODE)
    git_repo_here.commit("Add the app and its main loop")
    args = ["add", "entry", "--from-git", "HEAD", "--observation", f"token {TOKEN} leaked", *DATE]
    code, _, err = run(args)
    assert code == 2
    assert "fields.observation line 1, column 7: looks like a GitHub Token; not written (--allow-secret" in err
    assert not (git_repo_here.root / "SYSTEM_LOG.md").exists()
    assert run([*args, "--allow-secret"])[0] == 0


def test_outside_git_and_bad_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["add", "entry", "--from-git", "HEAD", *DATE])
    assert (code, err.splitlines()[0]) == (2, f"whylog: error: {tmp_path}: --from-git: not inside a git work tree")
    Repo(tmp_path)
    code, _, err = run(["add", "entry", "--from-git", "nope", *DATE])
    assert code == 2 and "git show nope failed" in err


def test_help_documents_the_optional_revision() -> None:
    result = CliRunner().invoke(cli, ["add", "entry", "--help"])
    code, out = result.exit_code, result.stdout
    assert code == 0
    assert "--from-git [REV]" in out and "the staged change" in out and "A..B" in out


def test_an_entry_given_every_field_has_nothing_to_fill_in(git_repo_here: Repo) -> None:
    git_repo_here.write("app.py", CODE)
    git_repo_here.commit("Start the app with its main loop")
    fields = ["--observation", "o", "--hypothesis", "h", "--actions", "a", "--result", "r", "--confidence", "90% - ran"]
    code, out, err = run(["add", "entry", "--from-git", "HEAD", *fields, *DATE])
    assert (code, err) == (0, "")


def _commit_at(git_repo_here: Repo, message: str, committed: str, authored: str) -> str:
    """A commit whose committer and author dates differ (a rebase or an amend gives such commits)."""
    import os
    import subprocess

    from tests.scripted_git import ENV

    env = {**os.environ, **ENV, "GIT_COMMITTER_DATE": committed, "GIT_AUTHOR_DATE": authored}
    git_repo_here.git("add", "-A")
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=git_repo_here.root, env=env, check=True)
    return git_repo_here.git("rev-parse", "HEAD").strip()


def test_an_old_commit_is_dated_at_its_committer_date_in_utc(git_repo_here: Repo) -> None:
    git_repo_here.write("app.py", CODE)
    old = _commit_at(
        git_repo_here, "Start the app with its main loop", "2025-06-01T12:34:56+0200", "2020-01-01T00:00:00+0000"
    )
    git_repo_here.replace("app.py", 2, 2, ["two"])
    git_repo_here.commit("Speed up the main loop of the app")
    code, out, _ = run(["add", "entry", "--from-git", old[:12]])
    assert (code, out) == (0, "added LOG-2025-06-01-1034 to SYSTEM_LOG.md:3-11\n")
    record = read_back()
    assert record["date"] == "2025-06-01T10:34:00Z" and record["title"] == "Start the app with its main loop"


def test_a_range_is_dated_at_its_last_commit_and_date_still_wins(git_repo_here: Repo) -> None:
    git_repo_here.write("app.py", CODE)
    first = _commit_at(git_repo_here, "first", "2025-06-01T10:00:00+0000", "2025-06-01T10:00:00+0000")
    git_repo_here.replace("app.py", 2, 2, ["two"])
    _commit_at(git_repo_here, "Speed up the main loop", "2025-06-02T08:15:00+0000", "2025-06-01T11:00:00+0000")
    git_repo_here.replace("app.py", 9, 9, ["nine"])
    _commit_at(git_repo_here, "Cache the loop's results", "2025-06-03T09:45:30+0000", "2025-06-01T12:00:00+0000")
    code, out, _ = run(["add", "entry", "--from-git", f"{first[:12]}..HEAD"])
    assert (code, out) == (0, "added LOG-2025-06-03-0945 to SYSTEM_LOG.md:3-11\n")
    assert read_back()["files"] == files(("app.py", [[2, 2], [9, 9]], "modified", ""))
    (git_repo_here.root / "SYSTEM_LOG.md").unlink()
    assert run(["add", "entry", "--from-git", "HEAD", *DATE])[1] == "added LOG-2026-02-01-1000 to SYSTEM_LOG.md:3-11\n"
