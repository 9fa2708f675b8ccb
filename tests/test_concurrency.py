"""Several processes adding records at the same moment lose none of them."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.agents_load import library_losses, library_titles, run_library_writers

from whylog.markdown.readers import read_text
from whylog.model import EntryFields, Record
from whylog.repo import Config, load, write_atomic_bytes, write_lock
from whylog.writing.placement import splice

WORKERS, RECORDS = 4, 15  # bench/agents_load.py runs 4 x 50


def test_four_processes_adding_records_at_once_lose_none(tmp_path: Path) -> None:
    statuses = run_library_writers(tmp_path, WORKERS, RECORDS)
    assert [code for code, _ in statuses] == [0] * WORKERS, [error for _, error in statuses]
    records = load(Config(tmp_path)).records
    titles = sorted(r.title for r in records)
    assert titles == library_titles(WORKERS, RECORDS)
    assert len({r.id for r in records}) == WORKERS * RECORDS
    assert library_losses(tmp_path, WORKERS, RECORDS) == ([], [])
    assert not list(tmp_path.glob(".*.whylog-tmp"))


def _waiting_for_lock(lock: Path) -> bool:
    """Whether a process waits for `lock` (flock): Linux lists a blocked request in /proc/locks with `->`."""
    inode = f":{lock.stat().st_ino} "
    return any("->" in line and inode in line for line in Path("/proc/locks").read_text().splitlines())


def _add_entry(root: Path, title: str, result: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "whylog", "add", "entry", "--title", title, "--type", "Bug Fix"]
    return subprocess.Popen(
        [*command, "--result", result, "--date", "2026-02-01T10:00"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_record_that_would_not_read_back_is_refused_while_another_writer_holds_the_lock(tmp_path: Path) -> None:
    # the record is rendered and checked before the lock is taken, so a refusal does not queue behind writers
    (tmp_path / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    with write_lock(tmp_path):
        adder = _add_entry(tmp_path, "Fixed the pool exhaustion under load", "ok\n**Confidence:** 5% - sneaky")
        try:
            _, err = adder.communicate(timeout=60)
        finally:
            adder.kill()
    assert adder.returncode == 2
    assert "would not read back" in err
    assert (tmp_path / "SYSTEM_LOG.md").read_text(encoding="utf-8") == "# SYSTEM_LOG\n\n"


def test_a_writer_that_finds_the_file_changed_under_the_lock_reads_it_again(tmp_path: Path) -> None:
    log = tmp_path / "SYSTEM_LOG.md"
    log.write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    with write_lock(tmp_path):
        adder = _add_entry(tmp_path, "Raised the pool size for report workers", "- no timeouts")
        deadline = time.monotonic() + 120
        while not _waiting_for_lock(tmp_path / ".whylog" / "write.lock"):
            assert adder.poll() is None and time.monotonic() < deadline, adder.communicate()
            time.sleep(0.05)
        # the adder has read the file and made its record; another writer now changes the file
        other = Record(
            "", "entry", "Capped the webhook retries at five", "2026-01-05T09:00:00Z", EntryFields("Bug Fix")
        )
        write_atomic_bytes(
            log, splice(read_text(log.read_text(encoding="utf-8"), "SYSTEM_LOG.md", "syslog"), other).encode()
        )
    out, err = adder.communicate(timeout=120)
    assert adder.returncode == 0, err
    titles = [r.title for r in load(Config(tmp_path)).records]
    assert titles == ["Raised the pool size for report workers", "Capped the webhook retries at five"]
