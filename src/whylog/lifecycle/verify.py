"""Re-running the verification commands that records state, and remembering how they went.

Commands come only from records read from this repo's files: a change document's Testing code blocks, a
session note's commands for the next session, and an entry's Result line `Verify: `command``. Each run
is stored in `.whylog/verify.json` (exit status, duration, the HEAD commit and the time), newest run per
record and command; `verify_findings` turns those runs into `status` findings: a command that failed
its last run (the claim no longer reproduces) and a run older than the last change to the files the
record covers.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from whylog import git
from whylog.errors import NotFound
from whylog.lifecycle.status import Finding
from whylog.model import ChangeFields, EntryFields, Record, SessionFields
from whylog.repo import Collection, Config, state_dir, write_atomic, write_lock
from whylog.why.paths import refs_of

VERIFY_FILE = "verify.json"
DEFAULT_TIMEOUT = 300.0
_VERIFY = re.compile(r"^[\s>*+-]*(?:\*\*)?Verify(?:\*\*)?\s*:(?:\*\*)?\s*`([^`]+)`", re.IGNORECASE | re.MULTILINE)
_OUTPUT_TAIL = 2000


@dataclass(frozen=True, slots=True)
class Command:
    record_id: str
    command: str


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

    @property
    def passed(self) -> bool:
        return self.exit_status == 0


def iter_commands(record: Record) -> list[Command]:
    """The verification commands `record` states, in the order it states them."""
    fields = record.fields
    if isinstance(fields, ChangeFields):
        texts = [run.command for run in fields.testing]
    elif isinstance(fields, SessionFields):
        texts = list(fields.commands)
    elif isinstance(fields, EntryFields):
        texts = _VERIFY.findall(fields.result)
    else:
        texts = []
    return [Command(record.id, text.strip()) for text in texts if text.strip()]


def collect_commands(collection: Collection, ids: list[str] | tuple[str, ...] = ()) -> list[Command]:
    """The commands of the records named by `ids` (every record when none); NotFound for an unknown id."""
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
    """Run one command in the repo root with a time limit; a command that runs over is killed with its
    whole process group. `shell=True` is deliberate and acceptable only because the command comes from the
    repo's own records and the user confirmed it (or passed --yes) after seeing it."""
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
    timed_out = False
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        output, _ = proc.communicate()
    duration = round(time.monotonic() - clock, 3)
    status = None if timed_out else proc.returncode
    text = output.decode("utf-8", errors="replace")[-_OUTPUT_TAIL:]
    stamp = started.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return Run(command.record_id, command.command, status, duration, _head(root), stamp, timed_out, text)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _head(root: Path) -> str | None:
    return git.head_commit(root) if git.repo_root(root) is not None else None


# --- .whylog/verify.json -------------------------------------------------------------------------------


def read_runs(root: Path) -> list[Run]:
    """The stored runs, newest per record and command; none when the file is missing or unreadable."""
    from whylog.state import check_state_dir

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
    """Claims whose last run failed or timed out, and runs older than the last change to the record's files."""
    runs = read_runs(config.root)
    if not runs:
        return []
    by_id = {r.id: r for r in records}
    in_git = git.repo_root(config.root) is not None
    findings = []
    for run in runs:
        record = by_id.get(run.record_id)
        if record is None:
            continue
        path = record.source.path if record.source else ""
        if not run.passed:
            how = "timed out" if run.timed_out else f"exited with status {run.exit_status}"
            message = f"no longer reproduces: `{run.command}` {how} at {run.time}"
            findings.append(Finding("verification-failed", record.id, message, path))
        elif in_git and (stale := _stale(config.root, record, run)):
            findings.append(Finding("verification-stale", record.id, stale, path))
    return findings


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
    return f"last run of `{run.command}` ({ran}) predates {last[0][:12]} ({last[1]}), which changed its files"
