"""The index is a cache: incremental by content, rebuildable, and safe with several processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from whylog.index.query import parse_query
from whylog.index.search import run_search
from whylog.index.sqlite import counts, iter_envelopes, open_index, rebuild, sync
from whylog.repo import Config

ENTRY = (
    "## {date} 10:00 UTC - {title}\n**Type:** Bug Fix\n**Affected Files:**\n- `src/{name}.py` (lines 1-9)\n"
    "**Result:**\n- {result}\n**Confidence:** 90% - tested\n---\n\n"
)


def write_log(root: Path, *entries: tuple[str, str, str]) -> None:
    text = "# SYSTEM_LOG\n\n" + "".join(
        ENTRY.format(date=d, title=t, name=t.split()[-1].lower(), result=r) for d, t, r in entries
    )
    (root / "SYSTEM_LOG.md").write_text(text, encoding="utf-8")


def age(path: Path) -> None:
    """Move a file's mtime into the past, out of the racy window in which sync always re-hashes."""
    old = time.time() - 60
    os.utime(path, (old, old))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_log(tmp_path, ("2026-02-01", "Fixed pool exhaustion in billing", "No timeouts in soak"))
    (tmp_path / "INCIDENTS.md").write_text(
        "# Incidents\n\n**Incident ID:** INC-2026-001\n**Date:** 2026-01-30\n**Severity:** High\n"
        "**Title:** Billing API timed out\n\n**Symptoms:**\n* Timeouts\n\n**Action Items:**\n* [Open] Add alert\n",
        encoding="utf-8",
    )
    for name in ("SYSTEM_LOG.md", "INCIDENTS.md"):
        age(tmp_path / name)
    return tmp_path


def test_sync_reads_only_changed_files(repo: Path) -> None:
    config = Config(repo)
    conn = open_index(config)
    first = sync(conn, config)
    assert (first.files, first.read, first.records) == (2, 2, 2)
    assert sync(conn, config).read == 0
    write_log(
        repo,
        ("2026-03-01", "Fixed cache stampede in search", "Hit rate 99%"),
        ("2026-02-01", "Fixed pool exhaustion in billing", "No timeouts in soak"),
    )
    age(repo / "SYSTEM_LOG.md")
    again = sync(conn, config)
    assert (again.read, again.records) == (1, 2)
    assert counts(conn) == {"entry": 2, "incident": 1}


def test_touched_but_unchanged_file_is_not_parsed_again(repo: Path) -> None:
    config = Config(repo)
    conn = open_index(config)
    sync(conn, config)
    os.utime(repo / "INCIDENTS.md")  # new mtime, same bytes
    age(repo / "INCIDENTS.md")
    assert sync(conn, config).read == 0


def test_same_size_edit_within_the_same_second_is_seen(repo: Path) -> None:
    config = Config(repo)
    conn = open_index(config)
    sync(conn, config)
    log = repo / "SYSTEM_LOG.md"
    stamp = log.stat().st_mtime_ns
    log.write_text(log.read_text(encoding="utf-8").replace("billing", "bulling"), encoding="utf-8")
    os.utime(log, ns=(stamp, stamp))  # same size, same mtime: only the content hash can tell
    os.utime(log)  # but written just now, so inside the racy window
    sync(conn, config)
    assert [h.record.title for h in run_search(conn, parse_query("bulling"))] == ["Fixed pool exhaustion in bulling"]


def test_deleted_file_loses_its_records_and_index_rebuilds_from_markdown(repo: Path) -> None:
    config = Config(repo)
    conn = open_index(config)
    sync(conn, config)
    before = sorted(r.id for r in iter_envelopes(conn))
    (repo / "INCIDENTS.md").unlink()
    assert sync(conn, config).removed == 1
    assert counts(conn) == {"entry": 1}
    conn.close()
    shutil.rmtree(repo / ".whylog")
    (repo / "INCIDENTS.md").write_text("", encoding="utf-8")
    conn = open_index(config)
    rebuild(conn, config)
    assert sorted(r.id for r in iter_envelopes(conn)) == [i for i in before if i.startswith("LOG-")]


def test_filters_and_open_items(repo: Path) -> None:
    config = Config(repo)
    conn = open_index(config)
    sync(conn, config)
    ids = lambda q: [h.record.id for h in run_search(conn, parse_query(q))]  # noqa: E731
    assert ids("open:true") == ["INC-2026-001"]
    assert ids("kind:entry confidence>=90") == ["LOG-2026-02-01-1000"]
    assert ids("file:src severity:high") == []
    assert ids("timed out") == ["INC-2026-001"]
    assert ids("since:2026-02 until:2026-02") == ["LOG-2026-02-01-1000"]


SEARCHER = """
import sys, time
from pathlib import Path
from whylog.index.search import run_search
from whylog.index.sqlite import open_index, sync
from whylog.index.query import parse_query
from whylog.repo import Config
config = Config(Path(sys.argv[1]))
deadline = time.time() + float(sys.argv[2])
conn = open_index(config)
runs = 0
while time.time() < deadline:
    sync(conn, config)
    run_search(conn, parse_query("writer"), 5)
    runs += 1
print(runs)
"""
WRITER = """
import sys
from pathlib import Path
from whylog.model import EntryFields, Record
from whylog.writing.placement import add_record
from whylog.index.sqlite import open_index, sync
from whylog.repo import Config
config = Config(Path(sys.argv[1]))
conn = open_index(config)
for n in range(25):
    fields = EntryFields(type="Implementation", result=f"- writer {sys.argv[2]} wrote {n}")
    add_record(config, Record("", "entry", f"Writer {sys.argv[2]} added entry {n}", f"2026-05-{1 + n:02d}T0{sys.argv[2]}:00:00Z", fields))
    sync(conn, config)
"""


def test_two_writers_and_a_searcher_see_no_errors_and_no_stale_results(repo: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(repo), str(w)], stderr=subprocess.PIPE, env=env)
        for w in (1, 2)
    ]
    searcher = subprocess.Popen(
        [sys.executable, "-c", SEARCHER, str(repo), "6"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    errors = [p.communicate(timeout=300)[1] for p in procs]
    out, err = searcher.communicate(timeout=300)
    assert [p.returncode for p in procs] == [0, 0], errors
    assert searcher.returncode == 0, err
    assert int(out) > 0
    config = Config(repo)
    conn = open_index(config)
    sync(conn, config)
    titles = {h.record.title for h in run_search(conn, parse_query("kind:entry"), 100)}
    assert {f"Writer {w} added entry {n}" for w in (1, 2) for n in range(25)} <= titles


def test_add_updates_the_index_in_place_as_a_rebuild_would(repo: Path) -> None:
    import json

    from whylog.model import EntryFields, Record, to_json
    from whylog.writing.placement import add_record

    config = Config(repo)
    conn = open_index(config)
    sync(conn, config)
    fields = EntryFields(type="Implementation", result="- Added a cache")
    written = add_record(
        config, Record("", "entry", "Added a response cache to search", "2026-03-01T09:00:00Z", fields)
    )
    assert written.source is not None and written.source.start_line == 3
    assert sync(conn, config).read == 0  # the add already told the index; nothing to parse again
    in_place = sorted(json.dumps(to_json(r), sort_keys=True) for r in iter_envelopes(conn))
    rebuild(conn, config)
    assert sorted(json.dumps(to_json(r), sort_keys=True) for r in iter_envelopes(conn)) == in_place
    assert [h.record.id for h in run_search(conn, parse_query("response cache"))][:1] == ["LOG-2026-03-01-0900"]


def test_index_resolves_links_as_loading_the_files_does(tmp_path: Path) -> None:
    from whylog.index.sqlite import links_resolved
    from whylog.repo import load

    (tmp_path / "SYSTEM_LOG.md").write_text(
        "# SYSTEM_LOG\n\n"
        + ENTRY.format(date="2026-03-02", title="Fixed the retry storm in sender", name="sender", result="ok")
        + ENTRY.format(date="2026-03-01", title="Raised the pool for billing", name="billing", result="ok").replace(
            "---\n", "**Related:**\n- Previous entry: 2026-03-02\n- Incident: INC-2026-009\n- ADR-001\n---\n"
        ),
        encoding="utf-8",
    )
    config = Config(tmp_path)
    conn = open_index(config)
    sync(conn, config)
    from_files = {r.id: r.links for r in load(config).records}
    from_index = {r.id: r.links for r in links_resolved(conn, list(iter_envelopes(conn)))}
    assert from_index == from_files
    assert [link.target for link in from_index["LOG-2026-03-01-1000"]] == ["LOG-2026-03-02-1000", None, None]
