"""The pre-commit hook with the real whylog: it lints the staged record files only, and this clone's own
verify results (.whylog/verify.json, which no commit carries) do not stop a commit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from tests.scripted_git import ENV, Repo
from tests.test_renumber import HEAD_INCIDENTS, HEAD_LOG, entry
from tests.test_renumber import incident as bare_incident
from tests.test_status import change_doc, write
from tests.test_verify import DOC, verify

WHYLOG = Path(sys.executable).parent / "whylog"


def incident(number: int, title: str, service: str) -> list[str]:
    lines = bare_incident(number, title, service)
    return lines[:-2] + ["**Action Items:**", "- [x] Added a limit", ""] + lines[-2:]


def repo_with_a_failed_verification(tmp_path: Path) -> Repo:
    """Records committed with the hook installed; then `whylog verify` ran a change document's check,
    which failed: FIL012 on that document, from this clone's .whylog/verify.json."""
    repo = Repo(tmp_path / "repo")
    repo.write("INCIDENTS.md", HEAD_INCIDENTS + incident(1, "Pool exhausted", "API"))
    repo.write("SYSTEM_LOG.md", HEAD_LOG + entry(0, "Raised the pool size", "INC-2026-001"))
    write(repo.root, DOC, change_doc(commands=("false",)))
    assert run_cli(["-C", str(repo.root), "init", "--no-merge-driver", "--hook"])[0] == 0
    repo.commit("records")
    assert verify(repo.root, "--yes")[0] == 1
    code, out, _ = run_cli(["-C", str(repo.root), "lint"])
    assert code == 1 and "FIL012" in out  # lint over the whole repo still says so
    return repo


def commit(repo: Repo, *paths: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **ENV, "WHYLOG": str(WHYLOG)}
    repo.git("add", "--", *paths)
    return subprocess.run(
        ["git", "commit", "-q", "-m", "change"], cwd=repo.root, env=env, capture_output=True, text=True
    )


def test_a_commit_of_other_records_is_not_stopped_by_a_local_verify_result(tmp_path: Path) -> None:
    repo = repo_with_a_failed_verification(tmp_path)
    repo.insert("INCIDENTS.md", 4, incident(2, "Disk full", "Storage"))
    done = commit(repo, "INCIDENTS.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FIL012" not in done.stdout + done.stderr  # not a staged file: not reported at all


def test_a_commit_of_the_verified_record_shows_the_result_as_a_warning(tmp_path: Path) -> None:
    repo = repo_with_a_failed_verification(tmp_path)
    (repo.root / DOC).write_text((repo.root / DOC).read_text() + "\nMore notes.\n", encoding="utf-8")
    done = commit(repo, DOC)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FIL012" in done.stderr and "1 finding (1 warning)" in done.stderr  # git shows a hook's output on stderr


def test_an_error_in_a_staged_record_still_stops_the_commit(tmp_path: Path) -> None:
    repo = repo_with_a_failed_verification(tmp_path)
    repo.insert("SYSTEM_LOG.md", 2, entry(0, "Raised the pool size again", "INC-2026-001"))
    done = commit(repo, "SYSTEM_LOG.md")
    assert done.returncode == 1
    assert "ENT008" in done.stderr and "FIL012" not in done.stderr


def test_lint_of_a_path_reports_that_path_only(tmp_path: Path) -> None:
    repo = repo_with_a_failed_verification(tmp_path)
    code, out, _ = run_cli(["-C", str(repo.root), "lint", str(repo.root / "INCIDENTS.md")])
    assert code == 0 and "FIL012" not in out
    code, out, _ = run_cli(["-C", str(repo.root), "lint", "--for-commit", str(repo.root / DOC)])
    assert code == 0 and "FIL012" in out
    code, out, _ = run_cli(["-C", str(repo.root), "lint", str(repo.root / DOC)])
    assert code == 1 and "FIL012" in out
