"""What `status` reads from the synced index: feature counts, session and change claims with their lines,
open items, and a cache of git answers (blame of a claim's line, feature counts at a commit) that stay true
for as long as their keys do. No record file is read here and no envelope of a session or change decoded."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from whylog.index.sqlite import select_in, write_transaction


@dataclass(frozen=True, slots=True)
class SessionClaim:
    record_id: str
    number: int
    date: str
    path: str
    line: int  # the line holding "passing/total"
    passing: int
    total: int
    verified: bool  # the note records a passing verification


@dataclass(frozen=True, slots=True)
class ChangeClaim:
    record_id: str
    title: str
    path: str
    resolved: int
    total: int
    stated: tuple[int, int, int] | None  # (line, resolved, total) of "Blockers Resolved: N/M"
    readiness: tuple[int, int] | None  # (line, percent) of the readiness after the change


def feature_counts(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """(passing, total) over the feature list's features; None when the repo has none."""
    row = conn.execute(
        "SELECT count(*), coalesce(sum(c.value), 0) FROM records r JOIN record_claims c ON c.ref = r.rowid "
        "WHERE c.name = 'passes' AND NOT r.shadowed"
    ).fetchone()
    return (int(row[1]), int(row[0])) if row[0] else None


def session_claims(conn: sqlite3.Connection) -> list[SessionClaim]:
    """Session notes that claim a feature count, by session number and date."""
    rows = conn.execute(
        "SELECT r.id, n.value, r.date, r.path, f.line, f.value, f.total, v.value FROM records r "
        "JOIN record_claims f ON f.ref = r.rowid AND f.name = 'features' "
        "JOIN record_claims n ON n.ref = r.rowid AND n.name = 'session' "
        "JOIN record_claims v ON v.ref = r.rowid AND v.name = 'verified' "
        "WHERE r.kind = 'session' AND NOT r.shadowed ORDER BY n.value, r.date, r.path, r.start_line"
    )
    return [
        SessionClaim(str(a), int(b), str(c), str(d), int(e), int(f), int(g), bool(h)) for a, b, c, d, e, f, g, h in rows
    ]


def change_claims(conn: sqlite3.Connection) -> list[ChangeClaim]:
    """Change documents with blocker items, in file order, with what they state about them."""
    rows = conn.execute(
        "SELECT r.id, r.title, r.path, b.value, b.total, s.line, s.value, s.total, d.line, d.value "
        "FROM records r JOIN record_claims b ON b.ref = r.rowid AND b.name = 'blockers' "
        "LEFT JOIN record_claims s ON s.ref = r.rowid AND s.name = 'blockers-claimed' "
        "LEFT JOIN record_claims d ON d.ref = r.rowid AND d.name = 'readiness' "
        "WHERE NOT r.shadowed ORDER BY r.path, r.start_line"
    )
    return [
        ChangeClaim(
            str(i),
            str(t),
            str(p),
            int(done),
            int(total),
            None if sl is None else (int(sl), int(sv), int(st)),
            None if dl is None else (int(dl), int(dv)),
        )
        for i, t, p, done, total, sl, sv, st, dl, dv in rows
    ]


def open_item_rows(conn: sqlite3.Connection, record_id: str | None = None) -> list[tuple[str, str, str]]:
    """(what, record id, text) of open items: every incident's and entry's, change notes' open tasks, in
    file order; or, given `record_id`, that record's own."""
    if record_id is not None:
        sql = (
            "SELECT i.what, r.id, i.text FROM records r JOIN record_items i ON i.ref = r.rowid "
            "WHERE r.id = ? AND NOT r.shadowed ORDER BY i.rowid"
        )
        return [(str(a), str(b), str(c)) for a, b, c in conn.execute(sql, (record_id,))]
    rows = conn.execute(  # items first: there are fewer of them than records (a third of the time)
        "SELECT i.what, r.id, i.text FROM record_items i CROSS JOIN records r ON r.rowid = i.ref "
        "WHERE NOT r.shadowed AND (r.kind IN ('incident', 'entry') OR (r.kind = 'change' AND i.what = 'task')) "
        "ORDER BY r.path, r.start_line, i.rowid"
    )
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def feature_list_path(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT path FROM files WHERE family = 'features' ORDER BY path LIMIT 1").fetchone()
    return None if row is None else str(row[0])


def file_hashes(conn: sqlite3.Connection, paths: Iterable[str]) -> dict[str, str]:
    rows = select_in(conn, "SELECT path, hash FROM files WHERE path IN ({marks})", paths)
    return {str(p): str(h) for p, h in rows}


def cached_answers(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, str]:
    """Stored git answers for these keys (a key names everything its answer depends on)."""
    rows = select_in(conn, "SELECT key, value FROM git_answers WHERE key IN ({marks})", keys)
    return {str(k): str(v) for k, v in rows}


def store_answers(conn: sqlite3.Connection, answers: dict[str, str]) -> None:
    if not answers:
        return
    with write_transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO git_answers VALUES (?, ?)", sorted(answers.items()))
