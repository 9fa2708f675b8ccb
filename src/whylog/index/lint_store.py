"""What lint reads from the synced index: every record's identity and place (for the cross-file rules'
candidates), links and supersessions as written, envelopes of the few records those rules look at, and
lint's own cache of each file's findings under the file's content hash."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from whylog.index.sqlite import write_transaction

if TYPE_CHECKING:
    from whylog.model import Record


@dataclass(frozen=True, slots=True)
class RecordRow:
    rowid: int
    id: str
    kind: str
    date: str
    path: str
    start_line: int
    shadowed: bool


@dataclass(frozen=True, slots=True)
class Cached:
    hash: str
    key: str
    day: str
    findings: str


def record_rows(conn: sqlite3.Connection) -> list[RecordRow]:
    """Every record, shadowed ones too, in the order `repo.load` reads them: by path, then by line."""
    rows = conn.execute(
        "SELECT rowid, id, kind, date, path, start_line, shadowed FROM records ORDER BY path, start_line"
    )
    return [RecordRow(int(a), str(b), str(c), str(d), str(e), int(f), bool(g)) for a, b, c, d, e, f, g in rows]


def record_files(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """path -> (family, content hash) of every record file the index holds."""
    return {str(p): (str(f), str(h)) for p, f, h in conn.execute("SELECT path, family, hash FROM files")}


def link_rows(conn: sqlite3.Connection) -> list[tuple[int, str, str, str | None]]:
    """(record rowid, kind, text, target) of every link and supersession, as the files write them."""
    rows = conn.execute("SELECT ref, kind, text, target FROM record_links ORDER BY ref, rowid")
    return [(int(r), str(k), str(t), None if g is None else str(g)) for r, k, t, g in rows]


def entries_on(conn: sqlite3.Connection, days: Iterable[str]) -> dict[str, int]:
    """How many entries (up to 2) each day has, for link resolution by day."""
    counts: dict[str, int] = {}
    for day in sorted(set(days)):
        sql = "SELECT count(*) FROM (SELECT 1 FROM records WHERE +kind = 'entry' AND date GLOB ? LIMIT 2)"
        counts[day] = int(conn.execute(sql, (f"{day}*",)).fetchone()[0])
    return counts


def records_at(conn: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, Record]:
    from whylog.model import from_stored

    wanted = sorted(set(rowids))
    found: dict[int, Record] = {}
    for chunk in (wanted[i : i + 500] for i in range(0, len(wanted), 500)):
        sql = f"SELECT rowid, envelope FROM records WHERE rowid IN ({', '.join('?' * len(chunk))})"
        found.update({int(r): from_stored(json.loads(e)) for r, e in conn.execute(sql, chunk)})
    return found


def cached(conn: sqlite3.Connection) -> dict[str, Cached]:
    rows = conn.execute("SELECT path, hash, key, day, findings FROM lint_cache")
    return {str(p): Cached(str(h), str(k), str(d), str(f)) for p, h, k, d, f in rows}


def store(conn: sqlite3.Connection, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Keep (path, hash, key, day, findings) rows; a path's row replaces the one before it."""
    if not rows:
        return
    with write_transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO lint_cache VALUES (?, ?, ?, ?, ?)", rows)


def cross_cached(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """path -> (key, findings) of the cross-file rules' kept findings."""
    return {str(p): (str(k), str(f)) for p, k, f in conn.execute("SELECT path, key, findings FROM lint_cross")}


def store_cross(conn: sqlite3.Connection, rows: list[tuple[str, str, str]], current: list[str]) -> None:
    """Keep (path, key, findings) rows and drop the rows of files that have no candidate any more."""
    with write_transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO lint_cross VALUES (?, ?, ?)", rows)
        keep = set(current)
        gone = [(p,) for (p,) in conn.execute("SELECT path FROM lint_cross") if p not in keep]
        conn.executemany("DELETE FROM lint_cross WHERE path = ?", gone)


def state(conn: sqlite3.Connection, key: str) -> str | None:
    """A value kept in the index's meta table ('listing': the fingerprint of the record files it holds)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    with write_transaction(conn):
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def entries_from(conn: sqlite3.Connection, day: str) -> list[tuple[int, str]]:
    """(rowid, date) of the entries dated `day` or later."""
    rows = conn.execute("SELECT rowid, date FROM records WHERE kind = 'entry' AND date >= ? ORDER BY rowid", (day,))
    return [(int(r), str(d)) for r, d in rows]


def all_cross(conn: sqlite3.Connection) -> list[str]:
    """Every kept cross-file finding list (JSON), by path."""
    return [str(f) for (f,) in conn.execute("SELECT findings FROM lint_cross ORDER BY path")]
