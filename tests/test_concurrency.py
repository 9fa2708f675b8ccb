"""Several processes adding records at the same moment lose none of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from whylog.repo import Config, load

WRITER = """
import sys
from pathlib import Path
from whylog.model import EntryFields, Record
from whylog.placement import add_record
from whylog.repo import read_config
root, worker = Path(sys.argv[1]), int(sys.argv[2])
config = read_config(root)
for n in range(50):
    fields = EntryFields(type="Implementation", result=f"- writer {worker} record {n}")
    title = f"Writer {worker} added record number {n}"
    add_record(config, Record("", "entry", title, f"2026-11-{1 + n % 28:02d}T{worker:02d}:{n % 60:02d}:00Z", fields))
"""


def test_four_processes_adding_fifty_records_each_lose_none(tmp_path: Path) -> None:
    (tmp_path / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    workers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(w)], stderr=subprocess.PIPE)
        for w in range(4)
    ]
    errors = [p.communicate(timeout=300)[1] for p in workers]
    assert [p.returncode for p in workers] == [0, 0, 0, 0], errors
    records = load(Config(tmp_path)).records
    titles = sorted(r.title for r in records)
    assert titles == sorted(f"Writer {w} added record number {n}" for w in range(4) for n in range(50))
    assert len({r.id for r in records}) == 200
    assert not list(tmp_path.glob(".*.whylog-tmp"))
