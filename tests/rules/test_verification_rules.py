"""FIL012 and FIL013: lint reports claims whose verification no longer reproduces or predates a change."""

from __future__ import annotations

from pathlib import Path

from tests.scripted_git import Repo
from tests.test_status import change_doc, write
from tests.test_verify import CHANGE, DOC, verify
from whylog.lint import lint_paths
from whylog.repo import read_config


def codes(root: Path) -> list[tuple[str, int]]:
    return [(d.code, d.source.start_line) for d in lint_paths(read_config(root)) if d.code in ("FIL012", "FIL013")]


def test_failed_verification_is_a_lint_error_at_the_record(tmp_path: Path) -> None:
    write(tmp_path, DOC, change_doc(commands=("true", "false")))
    assert codes(tmp_path) == []  # never verified: nothing to say yet
    assert verify(tmp_path, "--yes")[0] == 1
    found = [d for d in lint_paths(read_config(tmp_path)) if d.code == "FIL012"]
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].source.path == DOC and CHANGE in found[0].message and "`false`" in found[0].message


def test_run_older_than_the_last_change_to_covered_files_is_stale(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    write(tmp_path, "src/app.py", "A = 1\n")  # the crafted document's blocker 1 modified src/app.py
    write(tmp_path, DOC, change_doc(commands=("true",)))
    repo.commit("doc and code")
    assert verify(tmp_path, "--yes")[0] == 0
    assert codes(tmp_path) == []
    write(tmp_path, "src/app.py", "A = 2\n")
    repo.commit("change the covered file")
    assert [code for code, _ in codes(tmp_path)] == ["FIL013"]
