"""`list`'s filters answered by SQL (index.records.select_records) give what filtering every record in
Python gives: the same records in the same order (newest first, one date in file order, undated last),
for every combination of kind, tag, path and dates, with and without a limit. A repo of the bundled
examples plus records written by the test (tags, undated decisions, a folder named as a file)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from whylog.index.records import select_records
from whylog.index.sqlite import iter_envelopes, open_synced
from whylog.model import ChangeFields, Record
from whylog.repo import read_config, resolve_links

EXTRA = """

## 2026-01-05 09:00 UTC - Tuned the cache eviction
**Type:** Configuration (PERFORMANCE, CACHE)
**Affected Files:**
- `src/cache/` (whole folder)
**Chain of Reasoning:**
- **Observation:** Evictions were too eager.
**Result:**
- Fewer misses
**Confidence:** 80% - measured

---

## 2026-01-05 09:00 UTC - Tuned the cache size
**Type:** Configuration (cache)
**Affected Files:**
- `src/cache/size.py` (lines 1-9)
**Chain of Reasoning:**
- **Observation:** The cache was small.
**Result:**
- Bigger
**Confidence:** 70% - measured

---
"""

UNDATED = """# ADR-{n:03d}: Undated choice {n}

**Status:** Accepted

## Context

Nobody wrote the day down.

## Decision

Keep it.
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("records")
    shutil.copytree(EXAMPLES, root, dirs_exist_ok=True)
    with (root / "SYSTEM_LOG.md").open("a", encoding="utf-8") as log:
        log.write(EXTRA)
    for n in (41, 42):
        (root / "docs" / "adr" / f"{n:04d}-undated.md").write_text(UNDATED.format(n=n), encoding="utf-8")
    return root


def _paths(record: Record) -> list[str]:
    paths = [f.path for f in record.files]
    if isinstance(record.fields, ChangeFields):
        paths += [f.path for item in record.fields.items for f in item.files]
    return [p.strip("/") + ("/" if p.endswith("/") else "") for p in paths]


def _names(record: Record, path: str) -> bool:
    """Search's `file:`: the path, a path under it, or a folder (`src/cache/`) that holds it."""
    wanted = path.strip("/")
    return any(
        p == wanted or p.startswith(wanted + "/") or (p.endswith("/") and wanted.startswith(p)) for p in _paths(record)
    )


def _reference(
    records: list[Record], kind: str | None, tag: str | None, path: str | None, since: str | None, until: str | None
) -> list[Record]:
    out = [
        r
        for r in records
        if (kind is None or r.kind == kind)
        and (tag is None or tag.upper() in {t.upper() for t in r.tags})
        and (path is None or _names(r, path))
        and (since is None or (r.date and r.date >= since))
        and (until is None or (r.date and r.date[: len(until)] <= until))
    ]
    dated = sorted((r for r in out if r.date), key=lambda r: r.date, reverse=True)
    return dated + [r for r in out if not r.date]


KINDS = [None, "entry", "decision", "incident"]
TAGS = [None, "cache", "PERFORMANCE"]
PATHS = [None, "src/cache/size.py", "src/cache"]
DATES = [(None, None), ("2026-01", None), (None, "2025"), ("2025-01-01", "2026-01-05")]


def test_sql_filters_give_what_filtering_every_record_gives(repo: Path) -> None:
    conn = open_synced(read_config(repo))
    try:
        everything = resolve_links(list(iter_envelopes(conn)))  # file order
        assert any(not r.date for r in everything) and any("CACHE" in {t.upper() for t in r.tags} for r in everything)
        checked = 0
        for kind, tag, path, (since, until) in itertools.product(KINDS, TAGS, PATHS, DATES):
            wanted = _reference(everything, kind, tag, path, since, until)
            kinds = [kind] if kind else []
            tags = [tag] if tag else []
            got = select_records(conn, kinds, tags, path, since, until)
            assert [r.id for r in got] == [r.id for r in wanted], (kind, tag, path, since, until)
            assert got == wanted  # links resolved alike
            for limit in (1, 3):
                limited = select_records(conn, kinds, tags, path, since, until, limit)
                assert [r.id for r in limited] == [r.id for r in wanted[:limit]]
            checked += bool(wanted)
        assert checked > 40  # most combinations find something: the comparison is not between empty lists
    finally:
        conn.close()


def test_a_folder_named_in_a_record_is_found_by_a_file_inside_it(repo: Path) -> None:
    conn = open_synced(read_config(repo))
    try:
        titles = [r.title for r in select_records(conn, path="src/cache/size.py")]
    finally:
        conn.close()
    assert titles[:2] == ["Tuned the cache eviction", "Tuned the cache size"]  # one date: file order
