"""The `why` cache in the index database: blamed anchors, followed names and mapped line ranges.

Every key holds the HEAD commit and a stamp of the working-tree files involved, so a row is never stale:
a new commit or an edited file gives new keys, and `prune` drops the rows of other HEADs. Deleting the
database loses nothing but time.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from whylog.git import Mapped

SCHEMA = """
CREATE TABLE IF NOT EXISTS anchor_blame (
    log_path TEXT NOT NULL, log_stamp TEXT NOT NULL, head TEXT NOT NULL, line INTEGER NOT NULL,
    anchor TEXT NOT NULL,
    PRIMARY KEY (log_path, log_stamp, head, line)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS anchor_names (
    path TEXT NOT NULL, head TEXT NOT NULL, stamp TEXT NOT NULL, names TEXT NOT NULL,
    PRIMARY KEY (path, head, stamp)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS anchor_map (
    target TEXT NOT NULL, path TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
    anchor TEXT NOT NULL, head TEXT NOT NULL, stamp TEXT NOT NULL,
    mapped_path TEXT NOT NULL, renamed_from TEXT, mapped_start INTEGER, mapped_end INTEGER, status TEXT NOT NULL,
    PRIMARY KEY (target, path, start_line, end_line, anchor, head, stamp)
) WITHOUT ROWID;
"""
TABLES = ("anchor_blame", "anchor_names", "anchor_map")

# (target, path, start, end, anchor commit, head commit, working-tree stamp)
MapKey = tuple[str, str, int, int, str, str, str]


def ensure_schema(conn: sqlite3.Connection) -> None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'anchor_map'").fetchone():
        return
    with _transaction(conn):
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """The index's write transaction (one writer at a time, under its lock), unless the caller already
    holds a transaction."""
    from whylog.index.sqlite import write_transaction

    if conn.in_transaction:
        yield
        return
    with write_transaction(conn):
        yield


def _write(conn: sqlite3.Connection, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
    if rows:
        with _transaction(conn):
            conn.executemany(sql, rows)


def get_blame(
    conn: sqlite3.Connection, log_path: str, log_stamp: str, head: str, lines: Iterable[int]
) -> dict[int, str]:
    """The cached anchor of each line found; "" means the line was not committed yet."""
    sql = "SELECT anchor FROM anchor_blame WHERE log_path = ? AND log_stamp = ? AND head = ? AND line = ?"
    found: dict[int, str] = {}
    for line in lines:
        row = conn.execute(sql, (log_path, log_stamp, head, line)).fetchone()
        if row is not None:
            found[line] = str(row[0])
    return found


def put_blame(conn: sqlite3.Connection, log_path: str, log_stamp: str, head: str, anchors: dict[int, str]) -> None:
    rows = [(log_path, log_stamp, head, line, anchor) for line, anchor in anchors.items()]
    _write(conn, "INSERT OR REPLACE INTO anchor_blame VALUES (?, ?, ?, ?, ?)", rows)


def get_names(conn: sqlite3.Connection, path: str, head: str, stamp: str) -> tuple[str, ...] | None:
    sql = "SELECT names FROM anchor_names WHERE path = ? AND head = ? AND stamp = ?"
    row = conn.execute(sql, (path, head, stamp)).fetchone()
    return None if row is None else tuple(str(n) for n in json.loads(row[0]))


def put_names(conn: sqlite3.Connection, path: str, head: str, stamp: str, names: Sequence[str]) -> None:
    row = (path, head, stamp, json.dumps(list(names), ensure_ascii=False))
    _write(conn, "INSERT OR REPLACE INTO anchor_names VALUES (?, ?, ?, ?)", [row])


def get(conn: sqlite3.Connection, keys: Iterable[MapKey]) -> dict[MapKey, Mapped]:
    """The cached mapping of each key found."""
    sql = (
        "SELECT mapped_path, renamed_from, mapped_start, mapped_end, status FROM anchor_map WHERE target = ?"
        " AND path = ? AND start_line = ? AND end_line = ? AND anchor = ? AND head = ? AND stamp = ?"
    )
    found: dict[MapKey, Mapped] = {}
    for key in keys:
        row = conn.execute(sql, key).fetchone()
        if row is not None:
            found[key] = Mapped(row[0], row[1], row[2], row[3], row[4])
    return found


def put(conn: sqlite3.Connection, rows: Iterable[tuple[MapKey, Mapped]]) -> None:
    values = [(*k, m.path, m.renamed_from, m.start, m.end, m.status) for k, m in rows]
    _write(conn, f"INSERT OR REPLACE INTO anchor_map VALUES ({', '.join('?' * 12)})", values)


def prune(conn: sqlite3.Connection, head: str) -> None:
    """Drop the rows of every HEAD but this one."""
    with _transaction(conn):
        for table in TABLES:
            conn.execute(f"DELETE FROM {table} WHERE head != ?", (head,))
