"""What lint reads from the synced index: every record's identity and place (for the cross-file rules'
candidates), links and supersessions as written, envelopes of the few records those rules look at, and
lint's own cache of each file's findings under the file's content hash."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whylog.index.sqlite import select_in, write_transaction

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
    day: str  # the day its findings hold for; "" when they do not depend on the date
    findings: str  # JSON; "" when not asked for

    def holds(self, digest: str, key: str, day: str) -> bool:
        """Whether these are the findings of that content, under that code and config, on that day."""
        return (self.hash, self.key) == (digest, key) and self.day in (day, "")


def record_files(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """path -> (family, content hash) of every record file the index holds."""
    return {str(p): (str(f), str(h)) for p, f, h in conn.execute("SELECT path, family, hash FROM files")}


def records_at(conn: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, Record]:
    from whylog.model import from_stored

    rows = select_in(conn, "SELECT rowid, envelope FROM records WHERE rowid IN ({marks})", rowids)
    return {int(r): from_stored(json.loads(e)) for r, e in rows}


def cached(conn: sqlite3.Connection, with_findings: Iterable[str] = ()) -> dict[str, Cached]:
    """What lint keeps per file; the findings themselves only for the paths in `with_findings`."""
    wanted = set(with_findings)
    rows = conn.execute("SELECT path, hash, key, day FROM lint_cache")
    kept = {str(p): Cached(str(h), str(k), str(d), "") for p, h, k, d in rows}
    for path, findings in select_in(conn, "SELECT path, findings FROM lint_cache WHERE path IN ({marks})", wanted):
        kept[str(path)] = dataclasses.replace(kept[str(path)], findings=str(findings))
    return kept


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
    """A value kept in the index's meta table ('generation': how many changes it has stored)."""
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


_LIVE_IDS = "(SELECT id FROM records WHERE NOT shadowed)"
_NATURAL = (
    f"CASE WHEN kind = 'entry' AND date != '' THEN base WHEN base != id AND base IN {_LIVE_IDS} THEN base ELSE id END"
)
_ONE_ENTRY_DAYS = (
    "(SELECT substr(date, 1, 10) FROM records WHERE kind = 'entry' AND date != '' "
    "GROUP BY substr(date, 1, 10) HAVING count(*) = 1)"
)


def shared_naturals(conn: sqlite3.Connection) -> list[tuple[RecordRow, str]]:
    """Every record whose natural id (`entry_order.natural_id`) another record has too, with that id,
    in the order `repo.load` reads them: the candidates of the duplicate-id and duplicate-number rules."""
    sql = (
        f"WITH n AS (SELECT rowid, id, kind, date, path, start_line, shadowed, {_NATURAL} AS natural FROM records) "
        "SELECT rowid, id, kind, date, path, start_line, shadowed, natural FROM n WHERE natural IN "
        "(SELECT natural FROM n GROUP BY natural HAVING count(*) > 1 AND sum(NOT shadowed) > 0) "
        "ORDER BY path, start_line"
    )
    return [
        (RecordRow(int(a), str(b), str(c), str(d), str(e), int(f), bool(g)), str(h))
        for a, b, c, d, e, f, g, h in conn.execute(sql)
    ]


def unresolved_links(conn: sqlite3.Connection) -> list[int]:
    """Records with a link that names a record explicitly and resolves to none (no record has its target,
    and a link by day alone names a day with other than one entry), or a supersession of a missing id."""
    sql = (
        "SELECT DISTINCT ref FROM record_links WHERE named AND (target IS NULL OR target NOT IN "
        f"{_LIVE_IDS}) AND NOT (kind = 'link' AND target IS NULL AND day IN {_ONE_ENTRY_DAYS})"
    )
    return [int(r) for (r,) in conn.execute(sql)]


def link_facts(conn: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, list[tuple[Any, ...]]]:
    """For each record, its links with whether their target is a record's id and their day has one entry
    (each asked once, whatever the number of links naming it)."""
    sql = "SELECT ref, kind, text, target, day FROM record_links WHERE ref IN ({marks}) ORDER BY ref, rowid"
    rows = list(select_in(conn, sql, rowids))
    ids = LiveIds(conn)
    single: dict[str, bool] = {}
    found: dict[int, list[tuple[Any, ...]]] = {}
    for ref, kind, text, target, day in rows:
        if day is not None and day not in single:
            one = "SELECT count(*) FROM (SELECT 1 FROM records WHERE +kind = 'entry' AND date GLOB ? LIMIT 2)"
            single[day] = conn.execute(one, (f"{day}*",)).fetchone()[0] == 1
        facts = (kind, text, target, target is not None and target in ids, single.get(day or "", False))
        found.setdefault(int(ref), []).append(facts)
    return found


def rows_at(conn: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, RecordRow]:
    sql = "SELECT rowid, id, kind, date, path, start_line, shadowed FROM records WHERE rowid IN ({marks})"
    rows = select_in(conn, sql, rowids)
    return {int(a): RecordRow(int(a), str(b), str(c), str(d), str(e), int(f), bool(g)) for a, b, c, d, e, f, g in rows}


def newest_session(conn: sqlite3.Connection) -> int | None:
    """The session note SES001 compares: the newest by date, then number, the first of those in file order."""
    row = conn.execute(
        "SELECT r.rowid FROM records r LEFT JOIN record_claims c ON c.ref = r.rowid AND c.name = 'session' "
        "WHERE r.kind = 'session' AND NOT r.shadowed "
        "ORDER BY r.date DESC, coalesce(c.value, 0) DESC, r.path, r.start_line LIMIT 1"
    ).fetchone()
    return None if row is None else int(row[0])


class LiveIds:
    """`id in ids` over the records the index holds (not shadowed), asked of SQLite one id at a time: the
    cross-file rules ask about a few ids, and reading all of them costs more."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.known: dict[str, bool] = {}

    def __contains__(self, record_id: object) -> bool:
        if not isinstance(record_id, str):
            return False
        if record_id not in self.known:
            sql = "SELECT 1 FROM records WHERE id = ?1 COLLATE NOCASE AND id = ?1 AND NOT shadowed LIMIT 1"
            self.known[record_id] = self.conn.execute(sql, (record_id,)).fetchone() is not None
        return self.known[record_id]
