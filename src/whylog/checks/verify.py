"""Re-running the checks that records state, and remembering how they went.

A check is a command a record says verifies its claim, and nothing else: a change document's Testing code
blocks, an entry's Result line `Verify: `command``, and a session note's verification section (its code
blocks and its `Verify: `command`` lines). A session's commands for the next session (starting servers,
killing processes, following logs) stay in the record as `commands` and are never run. Commands come only
from records read from this repo's own files.

A command holding a control character other than tab and newline (a terminal escape, a carriage return, a
bidirectional override, a zero-width or non-ASCII space) is refused: it is shown escaped and never run, so
what the user reads is what runs. Each command runs in a session and process group of its own; when its
shell ends, whatever is still alive there was left behind: it is killed and the run fails. A command that
runs over its time limit is killed with everything it started.

Each run is stored in `.whylog/verify.json` (exit status, duration, the HEAD commit and the time), newest
run per record and command; `verify_findings` turns those runs into `status` findings: a check that failed
its last run (the claim no longer reproduces) and a run older than the last change to the files the record
covers.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from whylog import git
from whylog.checks.findings import Finding
from whylog.model import ChangeFields, EntryFields, Record, SessionFields, refs_of
from whylog.model.errors import NotFound
from whylog.model.errors import RefusedCommand as RefusedCommand  # the one error tree: model.errors
from whylog.repo import Collection, Config, state_dir, write_atomic, write_lock

VERIFY_FILE = "verify.json"
DEFAULT_TIMEOUT = 300.0
_VERIFY = re.compile(r"^[\s>*+-]*(?:\*\*)?Verify(?:\*\*)?\s*:(?:\*\*)?\s*`([^`\n]+)`", re.IGNORECASE | re.MULTILINE)
_OUTPUT_TAIL = 2000
_ALLOWED = frozenset("\t\n")
# Control (Cc), format (Cf: bidi overrides, zero-width), line and paragraph separators, surrogates, private
# use, unassigned, and spaces other than U+0020 (`_unsafe`): characters that show differently from what the
# shell reads, or not at all.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_SETTLE = 0.2  # seconds for processes already exiting to be gone before they count as left running
_GONE = 5.0  # seconds at most for the killed processes to die


@dataclass(frozen=True, slots=True)
class Command:
    record_id: str
    command: str

    @property
    def shown(self) -> str:
        """The command as printed: control characters escaped (`\\x1b`), everything else as written."""
        return show_text(self.command)

    @property
    def refused(self) -> str:
        """Why whylog will not run it, or "" when it may."""
        bad = unsafe_characters(self.command)
        return f"holds control characters ({', '.join(show_text(c) for c in bad)})" if bad else ""


@dataclass(frozen=True, slots=True)
class Run:
    record_id: str
    command: str
    exit_status: int | None  # None when the command timed out
    duration: float  # seconds
    commit: str | None  # HEAD when it ran; None outside git
    time: str  # ISO 8601, UTC
    timed_out: bool = False
    output: str = ""  # the last characters of stdout and stderr together
    left_behind: int = 0  # processes still alive in the command's session when its shell ended (then killed)

    @property
    def passed(self) -> bool:
        return self.exit_status == 0 and not self.left_behind


def unsafe_characters(text: str) -> list[str]:
    """The distinct characters in `text` that whylog refuses to run, in order of appearance."""
    return list(dict.fromkeys(c for c in text if _unsafe(c)))


def show_text(text: str) -> str:
    """`text` with each refused character written as a Python escape (`\\x1b`, `\\u202e`)."""
    return "".join(_escape(c) if _unsafe(c) else c for c in text)


def _unsafe(char: str) -> bool:
    category = unicodedata.category(char)
    return char not in _ALLOWED and (category in _UNSAFE_CATEGORIES or (category == "Zs" and char != " "))


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def iter_commands(record: Record) -> list[Command]:
    """The checks `record` states, in the order it states them; never a session's next-session commands."""
    fields = record.fields
    if isinstance(fields, ChangeFields):
        texts = [run.command for run in fields.testing]
    elif isinstance(fields, SessionFields):
        stated = [text for check in fields.verification for text in _VERIFY.findall(check.text)]
        texts = stated + list(fields.verification_commands)
    elif isinstance(fields, EntryFields):
        texts = _VERIFY.findall(fields.result)
    else:
        texts = []
    return [Command(record.id, text.strip()) for text in texts if text.strip()]


def collect_commands(collection: Collection, ids: list[str] | tuple[str, ...] = ()) -> list[Command]:
    """The checks of the records named by `ids` (every record when none); NotFound for an unknown id.
    Refused commands are included (see `Command.refused`) so that they can be shown; they never run."""
    if ids:
        records = []
        for record_id in ids:
            record = collection.get(record_id)
            if record is None:
                raise NotFound(f"no record with id {record_id!r}", hint="`whylog list` shows the ids")
            records.append(record)
    else:
        records = collection.records
    return [command for record in records if _in_repo(record) for command in iter_commands(record)]


def _in_repo(record: Record) -> bool:
    """Only records read from this repo's own files (relative paths that stay inside it)."""
    path = record.source.path if record.source else ""
    return bool(path) and not os.path.isabs(path) and ".." not in Path(path).parts


def run_command(root: Path, command: Command, timeout: float = DEFAULT_TIMEOUT) -> Run:
    """Run one check in the repo root, in a session and process group of its own, with a time limit. When
    the shell ends (or runs over), every process left in its session is killed; one left alive fails the run.
    `shell=True` is deliberate and acceptable only because the command comes from the repo's own records,
    holds no control characters, and the user confirmed it (or passed --yes) after seeing it as it runs."""
    if command.refused:
        raise RefusedCommand(f"{command.record_id}: not run: `{command.shown}` {command.refused}")
    started, clock = datetime.now(UTC), time.monotonic()
    proc = subprocess.Popen(  # noqa: S602 - confirmed by the user, see above
        command.command,
        shell=True,
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert proc.stdout is not None
    tail = _OutputTail(proc.stdout)
    timed_out = not _wait_unreaped(proc.pid, timeout)
    left = 0 if timed_out else len(_settled_members(proc.pid))
    _kill_session(proc.pid)  # the shell is a zombie until reaped below, so its id names no other session
    proc.wait()
    duration = round(time.monotonic() - clock, 3)
    status = None if timed_out else proc.returncode
    stamp = started.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    output = tail.text()
    return Run(command.record_id, command.command, status, duration, _head(root), stamp, timed_out, output, left)


class _OutputTail:
    """Reads a pipe to its end in a thread and keeps the last characters (a pipe left unread would block
    the command; reading in the caller would wait for every process that holds the pipe open)."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self._pipe, self._kept = pipe, b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with self._pipe:
            for chunk in iter(lambda: os.read(self._pipe.fileno(), 65536), b""):
                self._kept = (self._kept + chunk)[-_OUTPUT_TAIL * 4 :]

    def text(self) -> str:
        self._thread.join(timeout=2.0)  # the session is dead; a process that left it may hold the pipe
        return self._kept.decode("utf-8", errors="replace")[-_OUTPUT_TAIL:]


def _wait_unreaped(pid: int, timeout: float) -> bool:
    """Wait up to `timeout` seconds for `pid` to exit, leaving it unreaped; False when it runs over."""
    deadline, pause = time.monotonic() + timeout, 0.001
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
        pause = min(pause * 2, 0.05)
    return True


def _settled_members(session: int) -> list[int]:
    """The live processes of `session` once those already exiting had `_SETTLE` seconds to go."""
    deadline = time.monotonic() + _SETTLE
    members = session_members(session)
    while members and time.monotonic() < deadline:
        time.sleep(0.02)
        members = session_members(session)
    return members


def _kill_session(session: int) -> None:
    """SIGKILL the command's process group and every other process of its session (a shell with job
    control puts background jobs in groups of their own), until none is alive or `_GONE` seconds pass."""
    deadline = time.monotonic() + _GONE
    while True:
        members = session_members(session)
        _signal(os.killpg, session)
        for pid in members:
            _signal(os.kill, pid)
        if not members or time.monotonic() >= deadline:
            return
        time.sleep(0.02)


def _signal(send: Callable[[int, int], None], target: int) -> None:
    try:
        send(target, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def session_members(session: int) -> list[int]:
    """The live (not zombie) processes in the session `session` leads, from /proc; where there is no /proc,
    those in its process group, from `ps`. A process that starts a session of its own (setsid, a daemon)
    is not seen."""
    proc = Path("/proc")
    if not proc.is_dir():
        return _ps_members(session)
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()  # after `pid (comm)`: state, ppid, pgrp, session, ...
        if len(fields) > 3 and fields[0] not in ("Z", "X") and fields[3] == str(session):
            members.append(int(entry.name))
    return members


def _ps_members(group: int) -> list[int]:
    listing = subprocess.run(
        ["ps", "-A", "-o", "pid=", "-o", "pgid=", "-o", "stat="], capture_output=True, text=True, check=False
    ).stdout
    rows = (line.split() for line in listing.splitlines())
    return [int(row[0]) for row in rows if len(row) >= 3 and row[1] == str(group) and not row[2].startswith("Z")]


def _head(root: Path) -> str | None:
    return git.head_commit(root) if git.repo_root(root) is not None else None


# --- .whylog/verify.json -------------------------------------------------------------------------------


def records_run(config: Config, conn: sqlite3.Connection) -> list[Record]:
    """The records this clone's stored verification runs name, read from the synced index."""
    from whylog.index.sqlite import find_record

    ids = sorted({run.record_id for run in read_runs(config.root)})
    return [record for i in ids if (record := find_record(conn, i)) is not None]


def read_runs(root: Path) -> list[Run]:
    """The stored runs, newest per record and command; none when the file is missing or unreadable."""
    from whylog.repo.state import check_state_dir

    path = check_state_dir(root) / VERIFY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Run(**item) for item in data.get("runs", [])]
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def record_runs(root: Path, runs: list[Run]) -> Path:
    """Merge `runs` into .whylog/verify.json (atomically, under the repo's write lock) and return its path."""
    path = state_dir(root) / VERIFY_FILE
    with write_lock(root):
        kept = {(r.record_id, r.command): r for r in read_runs(root)}
        kept.update({(r.record_id, r.command): r for r in runs})
        items = [asdict(r) for r in sorted(kept.values(), key=lambda r: (r.record_id, r.command))]
        write_atomic(path, json.dumps({"version": 1, "runs": items}, indent=2, ensure_ascii=False) + "\n")
    return path


# --- findings for status --------------------------------------------------------------------------------


def verify_findings(config: Config, records: list[Record]) -> list[Finding]:
    """Checks whose last run failed or timed out, and runs older than the last change to the record's files.
    A stored run of a command the record no longer states as a check (edited away, or a session's
    next-session command run by an older whylog) is ignored."""
    runs = read_runs(config.root)
    if not runs:
        return []
    by_id = {r.id: r for r in records}
    in_git = git.repo_root(config.root) is not None
    findings = []
    for run in runs:
        record = by_id.get(run.record_id)
        if record is None or Command(record.id, run.command) not in iter_commands(record):
            continue
        path = record.source.path if record.source else ""
        if not run.passed:
            how = _how_it_failed(run)
            message = f"no longer reproduces: `{show_text(run.command)}` {how} at {run.time}"
            findings.append(Finding("verification-failed", record.id, message, path))
        elif in_git and (stale := _stale(config.root, record, run)):
            findings.append(Finding("verification-stale", record.id, stale, path))
    return findings


def _how_it_failed(run: Run) -> str:
    if run.timed_out:
        return "timed out"
    if run.exit_status == 0 and run.left_behind:
        return f"left {run.left_behind} background process{'es' if run.left_behind > 1 else ''} running"
    return f"exited with status {run.exit_status}"


def covered_files(record: Record) -> list[str]:
    """The files a record covers: its own file references and, for a change document, its blockers'."""
    paths = [r.path for r in refs_of(record) if r.path and not os.path.isabs(r.path) and ".." not in Path(r.path).parts]
    return list(dict.fromkeys(paths))


def _stale(root: Path, record: Record, run: Run) -> str:
    paths = covered_files(record)
    last = git.last_change(root, paths) if paths else None
    if last is None or run.commit is None or git.is_ancestor(root, last[0], run.commit):
        return ""
    ran = f"{run.time} at {run.commit[:12]}"
    shown = show_text(run.command)
    return f"last run of `{shown}` ({ran}) predates {last[0][:12]} ({last[1]}), which changed its files"
