"""The index: SQLite FTS5 under `.whylog/index.sqlite3`, a cache of the Markdown that can be deleted.

`open_index` opens it in WAL mode with a busy timeout, so several agents read and write at once. `sync`
re-reads only files whose size, mtime or content hash changed, inside one short write transaction per
batch. All SQL of whylog lives in this package.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whylog.errors import ParseError
from whylog.index.text import record_row
from whylog.markdown.readers import read_text
from whylog.markdown.scan import decode
from whylog.model import Record, from_json, to_json
from whylog.repo import Config, iter_source_files, state_dir

SCHEMA_VERSION = "1"
INDEX_NAME = "index.sqlite3"
BUSY_TIMEOUT_MS = 30_000
RACY_NS = 2_000_000_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, family TEXT NOT NULL, hash TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, diagnostics TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS records (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL, kind TEXT NOT NULL, family TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL,
    path TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
    type TEXT, severity TEXT, status TEXT, confidence INTEGER, open_items INTEGER NOT NULL DEFAULT 0,
    shadowed INTEGER NOT NULL DEFAULT 0, envelope TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_path ON records (path);
CREATE INDEX IF NOT EXISTS records_id ON records (id COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS records_date ON records (date);
CREATE TABLE IF NOT EXISTS record_tags (ref INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_tags_tag ON record_tags (tag, ref);
CREATE INDEX IF NOT EXISTS record_tags_ref ON record_tags (ref);
CREATE TABLE IF NOT EXISTS record_files (ref INTEGER NOT NULL, path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_files_path ON record_files (path, ref);
CREATE INDEX IF NOT EXISTS record_files_ref ON record_files (ref);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab (fts, 'row');
"""


@dataclass(slots=True)
class SyncStats:
    files: int = 0
    read: int = 0
    removed: int = 0
    records: int = 0


def index_path(root: Path) -> Path:
    return state_dir(root) / INDEX_NAME


def open_index(config: Config) -> sqlite3.Connection:
    """The index database, created on first use; a schema from another version is rebuilt."""
    conn = sqlite3.connect(index_path(config.root), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    version = _schema_version(conn)
    if version != SCHEMA_VERSION:
        with _write(conn):
            if version is not None:
                _drop_all(conn)
            _create(conn)
    return conn


def _create(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))


def _schema_version(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def _drop_all(conn: sqlite3.Connection) -> None:
    for name in ("fts_vocab", "fts", "record_files", "record_tags", "records", "files", "meta"):
        conn.execute(f"DROP TABLE IF EXISTS {name}")


class _write:
    """BEGIN IMMEDIATE ... COMMIT (or ROLLBACK): one writer at a time, readers never blocked (WAL)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")


def rebuild(conn: sqlite3.Connection, config: Config) -> SyncStats:
    with _write(conn):
        _drop_all(conn)
        _create(conn)
    return sync(conn, config)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def sync(conn: sqlite3.Connection, config: Config) -> SyncStats:
    """Bring the index up to date with the record files: unchanged files (same size and mtime, or same
    content hash) are not read again; deleted files lose their records."""
    known = {row[0]: (row[1], row[2], row[3]) for row in conn.execute("SELECT path, hash, mtime_ns, size FROM files")}
    stats = SyncStats()
    changed: list[tuple[str, str, Path, tuple[int, int]]] = []
    present: set[str] = set()
    for path, family in iter_source_files(config):
        rel = path.relative_to(config.root).as_posix()
        present.add(rel)
        stats.files += 1
        stamp = _stat(path)
        if stamp is None:
            continue
        old = known.get(rel)
        racy = time.time_ns() - stamp[0] < RACY_NS  # written so recently that a same-size edit could hide
        if old is not None and (old[1], old[2]) == stamp and not racy:
            continue
        changed.append((rel, family, path, stamp))
    removed = [p for p in known if p not in present]
    if changed or removed:
        stats.read, stats.records = _apply(conn, changed, removed, known)
        stats.removed = len(removed)
    return stats


def _apply(
    conn: sqlite3.Connection,
    changed: list[tuple[str, str, Path, tuple[int, int]]],
    removed: list[str],
    known: dict[str, tuple[str, int, int]],
) -> tuple[int, int]:
    read = records = 0
    batch: list[tuple[str, str, str, tuple[int, int], list[Record] | None, list[Any]]] = []
    for rel, family, path, stamp in changed:
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if rel in known and known[rel][0] == digest:
            batch.append((rel, family, digest, stamp, None, []))
            continue
        read += 1
        try:
            document = read_text(decode(data, rel), rel, family)
        except ParseError as exc:
            batch.append((rel, family, digest, stamp, [], [{"code": "FIL001", "message": str(exc), "line": exc.line}]))
            continue
        diagnostics = [
            {"code": d.code, "message": d.message, "line": d.source.start_line} for d in document.diagnostics
        ]
        batch.append((rel, family, digest, stamp, document.records, diagnostics))
        records += len(document.records)
        if len(batch) >= 200:
            _store(conn, batch, [])
            batch = []
    _store(conn, batch, removed)
    return read, records


def _store(
    conn: sqlite3.Connection,
    batch: list[tuple[str, str, str, tuple[int, int], list[Record] | None, list[Any]]],
    removed: list[str],
) -> None:
    with _write(conn):
        for rel in removed:
            _delete_file(conn, rel)
            conn.execute("DELETE FROM files WHERE path = ?", (rel,))
        for rel, family, digest, stamp, records, diagnostics in batch:
            if records is not None:
                _delete_file(conn, rel)
                _insert_records(conn, family, records)
            conn.execute(
                "INSERT OR REPLACE INTO files (path, family, hash, mtime_ns, size, diagnostics) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (rel, family, digest, stamp[0], stamp[1], json.dumps(diagnostics)),
            )
        _mark_shadowed(conn)


def _delete_file(conn: sqlite3.Connection, rel: str) -> None:
    rows = [r[0] for r in conn.execute("SELECT rowid FROM records WHERE path = ?", (rel,))]
    if not rows:
        return
    conn.executemany("DELETE FROM fts WHERE rowid = ?", ((r,) for r in rows))
    conn.executemany("DELETE FROM record_tags WHERE ref = ?", ((r,) for r in rows))
    conn.executemany("DELETE FROM record_files WHERE ref = ?", ((r,) for r in rows))
    conn.execute("DELETE FROM records WHERE path = ?", (rel,))


def _insert_records(conn: sqlite3.Connection, family: str, records: list[Record]) -> None:
    start = conn.execute("SELECT coalesce(max(rowid), 0) FROM records").fetchone()[0] + 1
    rows, fts, tags, files = [], [], [], []
    for offset, record in enumerate(records):
        rowid = start + offset
        row = record_row(record)
        rows.append(
            (
                rowid,
                record.id,
                record.kind,
                family,
                record.title,
                record.date,
                *row.location,
                row.type,
                row.severity,
                row.status,
                row.confidence,
                row.open_items,
                json.dumps(to_json(record), ensure_ascii=False),
            )
        )
        fts.append((rowid, record.title, row.body))
        tags += [(rowid, tag.upper()) for tag in record.tags]
        files += [(rowid, path) for path in row.paths]
    conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)", rows)
    conn.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", fts)
    conn.executemany("INSERT INTO record_tags VALUES (?, ?)", tags)
    conn.executemany("INSERT INTO record_files VALUES (?, ?)", files)


def _mark_shadowed(conn: sqlite3.Connection) -> None:
    """A decision listed in a dev log's ADR index is shadowed by the ADR file with the same id."""
    conn.execute(
        "UPDATE records SET shadowed = (family = 'devlog' AND kind = 'decision' AND id IN "
        "(SELECT id FROM records WHERE family = 'adr')) WHERE kind = 'decision'"
    )


def iter_envelopes(conn: sqlite3.Connection, where: str = "", params: Iterable[Any] = ()) -> Iterator[Record]:
    sql = f"SELECT envelope FROM records WHERE NOT shadowed {where} ORDER BY path, start_line"
    for (envelope,) in conn.execute(sql, tuple(params)):
        yield from_json(json.loads(envelope))


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT kind, count(*) FROM records WHERE NOT shadowed GROUP BY kind ORDER BY kind")
    return {str(kind): int(n) for kind, n in rows}


def file_diagnostics(conn: sqlite3.Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, text in conn.execute("SELECT path, diagnostics FROM files ORDER BY path"):
        for item in json.loads(text):
            yield str(path), item


def remove_index(root: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = index_path(root).with_name(INDEX_NAME + suffix)
        if target.exists():
            os.remove(target)


def resolve_links(conn: sqlite3.Connection, records: list[Record]) -> list[Record]:
    """Link targets kept only when they name an indexed record; a day-only reference to an entry
    resolves when exactly one entry has that day (the same rule as `repo.resolve_links`)."""
    import dataclasses

    from whylog.markdown.values import read_date
    from whylog.model import Link

    def target(link: Link) -> str | None:
        if link.target is not None:
            row = conn.execute(
                "SELECT id FROM records WHERE id = ? AND NOT shadowed LIMIT 1", (link.target,)
            ).fetchone()
            return str(row[0]) if row else None
        day = read_date(link.text)
        if day and len(day) == 10:
            rows = conn.execute(
                "SELECT id FROM records WHERE kind = 'entry' AND substr(date, 1, 10) = ? LIMIT 2", (day,)
            )
            found = rows.fetchall()
            return str(found[0][0]) if len(found) == 1 else None
        return None

    out = []
    for record in records:
        links = tuple(Link(link.text, target(link)) for link in record.links)
        out.append(dataclasses.replace(record, links=links) if links != record.links else record)
    return out


def find_record(conn: sqlite3.Connection, record_id: str) -> Record | None:
    row = conn.execute(
        "SELECT envelope FROM records WHERE id = ? COLLATE NOCASE AND NOT shadowed ORDER BY rowid LIMIT 1", (record_id,)
    ).fetchone()
    return None if row is None else from_json(json.loads(row[0]))
