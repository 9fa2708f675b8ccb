"""whylog verify: commands from records, shown before they run, run with a timeout, results stored in
.whylog/verify.json; status then flags failed and stale verifications."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.scripted_git import Repo
from tests.test_status import change_doc, write
from whylog.cli import cli
from whylog.lifecycle.status import status
from whylog.lifecycle.verify import Command, iter_commands, read_runs, record_runs, run_command
from whylog.model import EntryFields, Record, SessionFields
from whylog.repo import Config

DOC = "docs/changes/crafted.md"
CHANGE = "CHG-2026-01-02-crafted"


def verify(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), "verify", *args])
    return result.exit_code, result.output


def test_verify_runs_true_and_false_and_status_flags_the_failure(tmp_path: Path) -> None:
    write(tmp_path, DOC, change_doc(commands=("true", "false")))
    code, output = verify(tmp_path, "--yes")
    assert code == 1, output
    assert f"  {CHANGE}: true\n  {CHANGE}: false\n" in output
    runs = {r.command: r for r in read_runs(tmp_path)}
    assert (runs["true"].exit_status, runs["false"].exit_status) == (0, 1)
    assert runs["true"].commit is None and runs["true"].duration >= 0 and runs["true"].time.endswith("Z")
    stored = json.loads((tmp_path / ".whylog" / "verify.json").read_text(encoding="utf-8"))
    assert [r["command"] for r in stored["runs"]] == ["false", "true"]
    [found] = status(Config(tmp_path)).findings
    assert (found.code, found.record_id) == ("verification-failed", CHANGE)
    assert "`false` exited with status 1" in found.message


def test_without_yes_and_no_terminal_nothing_runs(tmp_path: Path) -> None:
    write(tmp_path, DOC, change_doc(commands=("touch ran",)))
    code, output = verify(tmp_path)
    assert code == 2
    assert "pass --yes" in output and f"{CHANGE}: touch ran" in output
    assert not (tmp_path / "ran").exists() and read_runs(tmp_path) == []


def test_only_the_named_records_and_unknown_ids(tmp_path: Path) -> None:
    write(tmp_path, DOC, change_doc(commands=("true",)))
    assert verify(tmp_path, "--yes", CHANGE)[0] == 0
    code, _ = verify(tmp_path, "--yes", "NOPE-1")
    assert code == 1
    write(tmp_path, DOC, change_doc())
    code, output = verify(tmp_path, "--yes")
    assert code == 1 and "1 command" not in output


def test_a_command_that_runs_over_is_killed(tmp_path: Path) -> None:
    run = run_command(tmp_path, Command(CHANGE, "sleep 30 & sleep 30"), timeout=0.3)
    assert run.timed_out and run.exit_status is None and not run.passed
    assert run.duration < 10
    write(tmp_path, DOC, change_doc(commands=("sleep 30",)))
    code, output = verify(tmp_path, "--yes", "--timeout", "0.3")
    assert code == 1 and "timed out" in output
    [found] = status(Config(tmp_path)).findings
    assert found.code == "verification-failed" and "timed out" in found.message


def test_a_run_older_than_the_last_change_to_its_files_is_stale(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    write(tmp_path, "src/app.py", "one\n")
    write(tmp_path, DOC, change_doc(commands=("true",)))
    repo.commit("change with a test")
    assert verify(tmp_path, "--yes")[0] == 0
    assert status(Config(tmp_path)).findings == ()
    write(tmp_path, "src/other.py", "unrelated\n")
    repo.commit("another file")
    assert status(Config(tmp_path)).findings == ()
    write(tmp_path, "src/app.py", "two\n")
    later = repo.commit("app changed after the run")
    [found] = status(Config(tmp_path)).findings
    assert found.code == "verification-stale" and later[:12] in found.message


def test_record_runs_keeps_the_newest_run_per_command(tmp_path: Path) -> None:
    first = run_command(tmp_path, Command("X-1", "test -e flag"))
    (tmp_path / "flag").touch()
    second = run_command(tmp_path, Command("X-1", "test -e flag"))
    record_runs(tmp_path, [first])
    record_runs(tmp_path, [second, run_command(tmp_path, Command("X-2", "true"))])
    assert [(r.record_id, r.exit_status) for r in read_runs(tmp_path)] == [("X-1", 0), ("X-2", 0)]
    (tmp_path / ".whylog" / "verify.json").write_text("not json", encoding="utf-8")
    assert read_runs(tmp_path) == []


def test_commands_from_entries_and_sessions() -> None:
    result = "- Tests pass\n- Verify: `pytest tests/test_pool.py -q`\n**Verify:** `make check`\nVerify later"
    entry = Record("LOG-1", "entry", "t", "2026-01-01", EntryFields(result=result))
    assert [c.command for c in iter_commands(entry)] == ["pytest tests/test_pool.py -q", "make check"]
    session = Record("SES-1", "session", "t", "2026-01-01", SessionFields(commands=("alembic current", " ")))
    assert [c.command for c in iter_commands(session)] == ["alembic current"]
