"""The `why` cache tables: rows round-trip, keys keep HEADs apart, prune keeps one HEAD, and writes work on
both a default connection and the index's autocommit one, inside or outside a caller's transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from whylog.git import Mapped
from whylog.index import anchors
from whylog.index.sqlite import open_index
from whylog.repo import Config


def _memory(tmp_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(":memory:")


def _index(tmp_path: Path) -> sqlite3.Connection:
    return open_index(Config(tmp_path))


@pytest.fixture(params=[_memory, _index], ids=["memory", "index"])
def conn(request: pytest.FixtureRequest, tmp_path: Path) -> sqlite3.Connection:
    opened: sqlite3.Connection = request.param(tmp_path)
    anchors.ensure_schema(opened)
    anchors.ensure_schema(opened)
    return opened


def test_mapped_rows_round_trip_by_key(conn: sqlite3.Connection) -> None:
    key = ("src/new.py", "src/old.py", 10, 12, "a" * 40, "b" * 40, "index|stamp")
    other_head = (*key[:5], "c" * 40, key[6])
    gone = ("src/new.py", "src/new.py", 1, 1, "a" * 40, "b" * 40, "index|stamp")
    rows = [
        (key, Mapped("src/new.py", "src/old.py", 13, 15, "shifted")),
        (gone, Mapped("x", None, None, None, "deleted")),
    ]
    anchors.put(conn, rows)
    assert anchors.get(conn, [key, other_head, gone]) == dict(rows)


def test_blame_and_names_round_trip(conn: sqlite3.Connection) -> None:
    anchors.put_blame(conn, "SYSTEM_LOG.md", "stamp", "h1", {12: "a" * 40, 30: ""})
    assert anchors.get_blame(conn, "SYSTEM_LOG.md", "stamp", "h1", [12, 13, 30]) == {12: "a" * 40, 30: ""}
    assert anchors.get_blame(conn, "SYSTEM_LOG.md", "other", "h1", [12]) == {}
    anchors.put_names(conn, "src/naïve.py", "h1", "s", ("src/naïve.py", "src/café.py"))
    assert anchors.get_names(conn, "src/naïve.py", "h1", "s") == ("src/naïve.py", "src/café.py")
    assert anchors.get_names(conn, "src/naïve.py", "h2", "s") is None
    anchors.put_names(conn, "unknown.py", "h1", "s", ())
    assert anchors.get_names(conn, "unknown.py", "h1", "s") == ()


def test_prune_keeps_only_the_current_head(conn: sqlite3.Connection) -> None:
    for head in ("h1", "h2"):
        anchors.put_blame(conn, "LOG.md", "s", head, {1: "a" * 40})
        anchors.put_names(conn, "a.py", head, "s", ("a.py",))
        anchors.put(conn, [(("a.py", "a.py", 1, 2, "x", head, "s"), Mapped("a.py", None, 1, 2, "exact"))])
    anchors.prune(conn, "h2")
    for table in anchors.TABLES:
        assert conn.execute(f"SELECT DISTINCT head FROM {table}").fetchall() == [("h2",)]


def test_writes_join_a_transaction_the_caller_holds(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    anchors.put_blame(conn, "LOG.md", "s", "h", {1: "a" * 40})
    assert conn.in_transaction
    conn.execute("ROLLBACK")
    assert anchors.get_blame(conn, "LOG.md", "s", "h", [1]) == {}
