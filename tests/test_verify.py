"""whylog verify: commands from records, shown before they run, run with a timeout, results stored in
.whylog/verify.json; status then flags failed and stale verifications."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.scripted_git import Repo
from tests.test_status import change_doc, write
from whylog.checks.verify import (
    Command,
    RefusedCommand,
    Run,
    iter_commands,
    read_runs,
    record_runs,
    run_command,
)
from whylog.cli import cli
from whylog.lifecycle.status import status
from whylog.model import EntryFields, Record, SessionFields, VerificationCheck
from whylog.repo import Config, load

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
    run = run_command(tmp_path, Command(CHANGE, "sleep 30 & echo $! > bg.pid; sleep 30"), timeout=0.5)
    assert run.timed_out and run.exit_status is None and not run.passed
    assert run.duration < 10
    assert not alive(int((tmp_path / "bg.pid").read_text(encoding="utf-8")))  # the whole group was killed
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
    checks = (VerificationCheck("Verify: `make test`"), VerificationCheck("Pool holds"))
    fields = SessionFields(verification=checks, commands=("alembic current",), verification_commands=("pytest", " "))
    session = Record("SES-1", "session", "t", "2026-01-01", fields)
    assert [c.command for c in iter_commands(session)] == ["make test", "pytest"]


# --- what counts as a check -----------------------------------------------------------------------------

BAR = "=" * 80
SESSION = "progress/session-007.txt"
LOG_ID = "LOG-2026-01-02-1000"


def banner(title: str) -> str:
    return f"{BAR}\n{title}\n{BAR}\n\n"


def session_text(verification: str, commands: str) -> str:
    """A session note in the seed's banner layout, with a verification section and commands for the next
    session (the seed's shape: group labels at the margin, command lines indented under them)."""
    return (
        banner("DEMO - SESSION 7 PROGRESS SUMMARY")
        + "Date: January 7, 2026\nSession: 7 of Many\nStatus: COMPLETE\n\n"
        + banner("VERIFICATION TESTS PERFORMED")
        + verification
        + "\n"
        + banner("NEXT SESSION PRIORITIES")
        + "1. Start the services again\n   touch next-session\n\n"
        + banner("COMMANDS FOR NEXT SESSION")
        + commands
        + "\n"
    )


SEED_LIKE_COMMANDS = """Start Infrastructure (if not running):
  docker-compose up -d postgres redis minio

Start Services:
  cd services/api-gateway && source venv/bin/activate
  nohup uvicorn src.main:app --host 0.0.0.0 --port 8080 > ../../logs/api-gateway.log 2>&1 &

View Logs:
  tail -f logs/api-gateway.log

Stop Services:
  pkill -f "uvicorn src.main:app"
"""


def entry_log(*commands: str) -> str:
    """SYSTEM_LOG.md with one entry whose Result holds a `Verify:` line per command."""
    verify_lines = "".join(f"- Verify: `{command}`\n" for command in commands)
    return (
        "# System Log\n\n## 2026-01-02 10:00 UTC - Fixed the pool size\n**Type:** Bug Fix\n**Affected Files:**\n"
        "- `src/app.py` (lines 1-2)\n**Chain of Reasoning:**\n- **Observation:** o\n- **Hypothesis:** h\n"
        f"- **Action:** a\n**Result:**\n- Pool holds\n{verify_lines}**Confidence:** 90% - ran it\n"
    )


def test_commands_for_the_next_session_are_never_checks(tmp_path: Path) -> None:
    write(tmp_path, SESSION, session_text("✅ Feature #1: pool\n   - It works ✅\n", SEED_LIKE_COMMANDS))
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "verify"])
    assert result.exit_code == 1 and str(result.exception) == "no verification commands in the records"
    output = result.output
    for command in ("docker-compose", "nohup", "tail -f", "pkill", "source venv"):
        assert command not in output
    [record] = [r for r in load(Config(tmp_path)).records if r.kind == "session"]
    assert isinstance(record.fields, SessionFields) and iter_commands(record) == []
    assert record.fields.commands[-1] == 'pkill -f "uvicorn src.main:app"'  # still in the record


def test_a_session_runs_its_verification_section_only(tmp_path: Path) -> None:
    verification = (
        "✅ Feature #1: pool\n   - Pool holds 20 connections ✅\n   - Verify: `touch verified` ✅\n\n"
        "```bash\ntouch fenced \\\n  fenced-too\n```\n"
    )
    write(tmp_path, SESSION, session_text(verification, "Start Services:\n  touch started\n"))
    code, output = verify(tmp_path, "--yes")
    assert code == 0, output
    assert "  SES-007: touch verified\n  SES-007: touch fenced \\\n             fenced-too\n" in output
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["fenced", "fenced-too", "verified"]
    assert not (tmp_path / "started").exists() and not (tmp_path / "next-session").exists()


def test_stored_runs_of_commands_that_are_not_checks_are_not_findings(tmp_path: Path) -> None:
    """A run of a next-session command stored by an older whylog does not keep failing the record."""
    write(tmp_path, SESSION, session_text("- Verify: `true` ✅\n", "Stop Services:\n  false\n"))
    stamp = "2026-01-07T10:00:00.000000Z"
    record_runs(tmp_path, [Run("SES-007", "false", 1, 0.01, None, stamp), Run("SES-007", "true", 0, 0.01, None, stamp)])
    assert status(Config(tmp_path)).findings == ()
    record_runs(tmp_path, [Run("SES-007", "true", 1, 0.01, None, stamp)])
    [found] = status(Config(tmp_path)).findings
    assert found.code == "verification-failed" and "`true` exited with status 1" in found.message


# --- what is shown is what runs ---------------------------------------------------------------------------

HIDDEN = [
    ("touch pwned; true\x1b[2K\x1b[1Gpytest -q", "touch pwned; true\\x1b[2K\\x1b[1Gpytest -q"),
    ("touch pwned #\u202e q- tsetyp", "touch pwned #\\u202e q- tsetyp"),
    ("touch pw\u200bned", "touch pw\\u200bned"),
    ("touch\u00a0-rf pwned", "touch\\xa0-rf pwned"),
    ("touch pwned; echo ok\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08", "touch pwned; echo ok" + "\\x08" * 11),
]


@pytest.mark.parametrize(("command", "shown"), HIDDEN)
def test_control_characters_are_shown_escaped_and_never_run(tmp_path: Path, command: str, shown: str) -> None:
    write(tmp_path, "SYSTEM_LOG.md", entry_log(command, "touch\ttabbed"))  # a tab is allowed, shown as is
    for args in (["--list"], ["--yes"]):
        result = CliRunner().invoke(cli, ["-C", str(tmp_path), "verify", *args], color=True)
        assert result.exit_code == (0 if args == ["--list"] else 1), result.output
        assert f"  {LOG_ID}: {shown}\n" in result.output and f"{LOG_ID}: touch\ttabbed\n" in result.output
        assert "refused, never run" in result.output
        assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in result.output if c not in "\t\n")
    assert not list(tmp_path.glob("pw*"))
    assert [(r.command, r.passed) for r in read_runs(tmp_path)] == [("touch\ttabbed", True)]
    assert (tmp_path / "tabbed").exists()
    with pytest.raises(RefusedCommand):
        run_command(tmp_path, Command(LOG_ID, command))
    assert not list(tmp_path.glob("pw*"))


def test_yes_runs_exactly_what_list_shows(tmp_path: Path) -> None:
    write(tmp_path, DOC, change_doc(commands=("true", "echo one\necho two", "echo hidden\x1b[8m")))
    write(tmp_path, "SYSTEM_LOG.md", entry_log("test -e SYSTEM_LOG.md"))
    write(tmp_path, SESSION, session_text("- Verify: `true` ✅\n", "Stop Services:\n  touch started\n"))
    code, listing = verify(tmp_path, "--list")
    assert code == 0 and not (tmp_path / ".whylog").exists()
    pad = " " * (len(CHANGE) + 4)
    assert listing == (
        f"4 commands to run in {tmp_path}:\n  {LOG_ID}: test -e SYSTEM_LOG.md\n  {CHANGE}: true\n"
        f"  {CHANGE}: echo one\n{pad}echo two\n  SES-007: true\n"
        f"1 command refused, never run (control characters, shown escaped):\n  {CHANGE}: echo hidden\\x1b[8m\n"
    )
    code, output = verify(tmp_path, "--yes")
    assert code == 1  # for the refused command
    assert output.startswith(listing) and not (tmp_path / "started").exists()
    ran = [line.split("s  ", 1)[1] for line in output[len(listing) :].splitlines() if line.startswith(" " * 14 + "ok")]
    assert ran == [f"{LOG_ID}: test -e SYSTEM_LOG.md", f"{CHANGE}: true", f"{CHANGE}: echo one", "SES-007: true"]
    stored = {(r.record_id, r.command) for r in read_runs(tmp_path)}
    assert stored == {
        (LOG_ID, "test -e SYSTEM_LOG.md"),
        (CHANGE, "true"),
        (CHANGE, "echo one\necho two"),
        ("SES-007", "true"),
    }
    assert verify(tmp_path, "--list", "--yes")[0] == 2


# --- process groups ----------------------------------------------------------------------------------------


def alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


@pytest.mark.parametrize(
    "command",
    [
        "sleep 30 > /dev/null 2>&1 & echo $! > bg.pid",
        "sleep 30 & echo $! > bg.pid",  # holds the output pipe open
        "nohup sleep 30 > /dev/null 2>&1 & echo $! > bg.pid",
        # a process group of its own, as a shell with job control (`set -m`) gives each background job
        f"{sys.executable} -c \"import subprocess; p = subprocess.Popen(['sleep', '30'], process_group=0); "
        "open('bg.pid', 'w').write(str(p.pid))\"",
    ],
)
def test_a_process_left_running_fails_the_run_and_is_killed(tmp_path: Path, command: str) -> None:
    run = run_command(tmp_path, Command("X-1", command), timeout=20)
    pid = int((tmp_path / "bg.pid").read_text(encoding="utf-8"))
    assert (run.exit_status, run.timed_out, run.left_behind, run.passed) == (0, False, 1, False)
    assert run.duration < 10
    assert not alive(pid)


def test_verify_reports_a_process_left_running(tmp_path: Path) -> None:
    write(tmp_path, DOC, change_doc(commands=("sleep 30 > /dev/null 2>&1 & echo $! > bg.pid",)))
    code, output = verify(tmp_path, "--yes")
    assert code == 1 and "failed: 1 background process still running when it ended (killed)" in output, output
    assert not alive(int((tmp_path / "bg.pid").read_text(encoding="utf-8")))
    [found] = status(Config(tmp_path)).findings
    assert found.code == "verification-failed" and "left 1 background process running" in found.message


def test_children_the_command_waits_for_are_not_left_behind(tmp_path: Path) -> None:
    for command in ("sleep 0.2 & wait", "true & sleep 0.3", "sh -c 'sleep 0.1' | cat"):
        run = run_command(tmp_path, Command("X-1", command), timeout=20)
        assert run.passed and run.left_behind == 0, command
