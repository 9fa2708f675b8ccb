"""The index: SQLite FTS5 under `.whylog/index.sqlite3`, a cache of the Markdown that can be deleted.

`open_index` opens it in WAL mode with a busy timeout, so several agents read and write at once. `sync`
re-reads only files whose size, mtime or content hash changed, inside one short write transaction per
batch. All SQL of whylog lives in this package.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import marshal
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whylog.model.errors import ParseError
from whylog.repo import Config, source_family, stat_source_files, state_dir

if TYPE_CHECKING:
    from whylog.markdown.claims import Claim
    from whylog.markdown.document import Document
    from whylog.markdown.scan import Lines
    from whylog.model import Record

# 6: a decision's status column holds its state (accepted for Akzeptiert); 7: an incident's severity column
# holds its level (high for SEV2), its status column its status
SCHEMA_VERSION = "11"
# 11: a record's base id (its natural id when the repo has it), a link's named record and day
# 10: the cross-file lint rules' findings kept per file
# 9: each record's links and decision supersessions as written (lint's cross-file rules), lint's cache
# 8: open items and claims (blocker counts, readiness, feature counts with their lines) stored per record
# 5: unstructured text (spans) searchable, a damaged file's warning; 4: sessions' commands
INDEX_NAME = "index.sqlite3"
BUSY_TIMEOUT_MS = 30_000
RACY_NS = 2_000_000_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, family TEXT NOT NULL, hash TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, diagnostics TEXT NOT NULL DEFAULT '[]', warning TEXT
);
CREATE INDEX IF NOT EXISTS files_warning ON files (path) WHERE warning IS NOT NULL;
CREATE TABLE IF NOT EXISTS spans (
    rowid INTEGER PRIMARY KEY, path TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS spans_path ON spans (path);
CREATE TABLE IF NOT EXISTS records (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL, kind TEXT NOT NULL, family TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL,
    path TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
    type TEXT, severity TEXT, status TEXT, confidence INTEGER, open_items INTEGER NOT NULL DEFAULT 0,
    shadowed INTEGER NOT NULL DEFAULT 0, envelope TEXT NOT NULL, base TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS records_path ON records (path);
CREATE INDEX IF NOT EXISTS records_id ON records (id COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS records_date ON records (date);
CREATE INDEX IF NOT EXISTS records_kind ON records (kind);
CREATE TABLE IF NOT EXISTS record_tags (ref INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_tags_tag ON record_tags (tag, ref);
CREATE INDEX IF NOT EXISTS record_tags_ref ON record_tags (ref);
CREATE TABLE IF NOT EXISTS record_files (ref INTEGER NOT NULL, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record_items (
    ref INTEGER NOT NULL, what TEXT NOT NULL, text TEXT NOT NULL, number INTEGER, status TEXT
);
CREATE INDEX IF NOT EXISTS record_items_ref ON record_items (ref);
CREATE TABLE IF NOT EXISTS record_claims (
    ref INTEGER NOT NULL, name TEXT NOT NULL, line INTEGER NOT NULL, value INTEGER NOT NULL, total INTEGER
);
CREATE INDEX IF NOT EXISTS record_claims_name ON record_claims (name, ref);
CREATE TABLE IF NOT EXISTS git_answers (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record_links (
    ref INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, target TEXT, named INTEGER NOT NULL, day TEXT
);
CREATE INDEX IF NOT EXISTS record_links_ref ON record_links (ref);
CREATE TABLE IF NOT EXISTS lint_cross (path TEXT PRIMARY KEY, key TEXT NOT NULL, findings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lint_cache (
    path TEXT PRIMARY KEY, hash TEXT NOT NULL, key TEXT NOT NULL, day TEXT NOT NULL, findings TEXT NOT NULL
);
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
    _wal(conn)
    conn.execute("PRAGMA synchronous = NORMAL")
    version = _schema_version(conn)
    if version != SCHEMA_VERSION:
        with write_transaction(conn):
            if version is not None:
                _drop_all(conn)
            _create(conn)
    return conn


def _wal(conn: sqlite3.Connection) -> None:
    """WAL mode. Setting it can answer "database is locked" at once, without waiting on the busy timeout,
    while another process recovers or resets the WAL file (a writer closing as this one opens), so it is
    tried again for up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


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
    tables = (
        "fts_vocab",
        "fts",
        "spans",
        "lint_cross",
        "lint_cache",
        "record_links",
        "git_answers",
        "record_claims",
        "record_items",
        "record_files",
        "record_tags",
        "records",
    )
    for name in (*tables, "files", "meta"):
        conn.execute(f"DROP TABLE IF EXISTS {name}")


class write_transaction:
    """BEGIN IMMEDIATE ... COMMIT (or ROLLBACK) under an exclusive lock on `index.sqlite3.lock`: one writer
    at a time across processes and threads, readers never blocked (WAL). SQLite's own lock would do for
    correctness, but SQLite before 3.51.3 can corrupt a WAL database when two connections write or
    checkpoint at the same moment (the "WAL-reset bug"); with one writer at a time that cannot happen."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.lock: Any = None

    def __enter__(self) -> sqlite3.Connection:
        import fcntl

        database = self.conn.execute("PRAGMA database_list").fetchone()[2]
        if database:
            self.lock = open(database + ".lock", "a+b")  # noqa: SIM115 (held until __exit__)
            fcntl.flock(self.lock.fileno(), fcntl.LOCK_EX)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise
        return self.conn

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        try:
            self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.close()  # closing the file releases the lock
            self.lock = None


BULK_INDEXES = (
    "records_path",
    "records_id",
    "records_date",
    "records_kind",
    "record_tags_tag",
    "record_tags_ref",
    "record_files_path",
    "record_files_ref",
    "record_items_ref",
    "record_claims_name",
    "record_links_ref",
    "spans_path",
)


def rebuild(conn: sqlite3.Connection, config: Config) -> SyncStats:
    """Drop everything and read every record file again. Secondary indexes are built after the rows
    are in (faster than keeping them up to date row by row), with durability relaxed until the end."""
    with write_transaction(conn):
        _drop_all(conn)
        _create(conn)
        for name in BULK_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -65536")
    try:
        stats = sync(conn, config)
    finally:
        with write_transaction(conn):
            for statement in SCHEMA.split(";"):
                if "CREATE INDEX" in statement:
                    conn.execute(statement)
        conn.execute("PRAGMA synchronous = NORMAL")
    return stats


# What lint keeps of a file it checks while the index reads it: (cache key, day, findings as JSON).
Checker = Callable[["Document"], tuple[str, str, str]]


def sync(
    conn: sqlite3.Connection, config: Config, checker: Checker | None = None, again: Collection[str] = ()
) -> SyncStats:
    """Bring the index up to date with the record files: unchanged files (same size and mtime, or same
    content hash) are not read again; deleted files lose their records. With a `checker` (lint's), each
    file read is also checked, in the same worker, and its findings kept in `lint_cache`; the files in
    `again` are read (and checked) even when unchanged."""
    listing = stat_source_files(config)
    now = time.time_ns()
    fingerprint = hashlib.blake2b(marshal.dumps(listing, 2)).hexdigest()  # version 2: no back references
    newest = max((stamp[0] for _, _, stamp in listing), default=0)
    racy = now - newest < RACY_NS  # a same-size edit could hide in the tick
    stored = conn.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
    if stored is not None and stored[0] == fingerprint and not racy and not again:
        return SyncStats(files=len(listing))
    known = {row[0]: (row[1], row[2], row[3]) for row in conn.execute("SELECT path, hash, mtime_ns, size FROM files")}
    stats = SyncStats()
    changed: list[tuple[str, str, Path, tuple[int, int]]] = []
    present: set[str] = set()
    for rel, family, stamp in listing:
        present.add(rel)
        stats.files += 1
        old = known.get(rel)
        if old is not None and (old[1], old[2]) == stamp and now - stamp[0] >= RACY_NS and rel not in again:
            continue
        changed.append((rel, family, config.root / rel, stamp))
    removed = [p for p in known if p not in present]
    changed.sort()
    complete = True
    if changed or removed:
        stats.read, stats.records, complete = _apply(conn, config, changed, removed, known, checker, again)
        stats.removed = len(removed)
    if not racy and complete:
        with write_transaction(conn):
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('listing', ?)", (fingerprint,))
    return stats


@dataclass(slots=True)
class Prepared:
    """One record file made ready for the index, in a worker process: rows, not records, cross back."""

    path: str
    family: str
    digest: str
    stamp: tuple[int, int]
    rows: list[IndexRow] | None  # None: same content as indexed, only the stamp changed
    diagnostics: list[dict[str, Any]]
    spans: list[tuple[int, int, str, str]] = dataclasses.field(default_factory=list)  # start, end, title, text
    warning: str | None = None  # JSON {line, message, hint}: the file was not read cleanly
    checked: tuple[str, str, str] | None = None  # the checker's (key, day, findings)


def prepare(item: tuple[str, str, str, tuple[int, int], str], checker: Checker | None = None) -> Prepared:
    """Read, hash and parse one file into index rows (runs in a worker process for big syncs); with a
    checker, check the document too."""
    from whylog.markdown.readers import read_bytes

    rel, family, path, stamp, known_digest = item
    recheck = known_digest.startswith(RECHECK)
    known_digest = known_digest.removeprefix(RECHECK)
    with open(path, "rb") as handle:
        data = handle.read()
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if digest == known_digest:
        if not recheck or checker is None:
            return Prepared(rel, family, digest, stamp, None, [])
        try:  # indexed already: only the checker's findings are wanted
            checked = checker(read_bytes(data, rel, family))
        except ParseError:
            checked = None
        return Prepared(rel, family, digest, stamp, None, [], checked=checked)
    try:
        document = read_bytes(data, rel, family)
    except ParseError as exc:
        warning = json.dumps({"line": exc.line, "message": exc.message, "hint": exc.hint})
        diagnostic = {"code": "FIL001", "message": str(exc), "line": exc.line}
        return Prepared(rel, family, digest, stamp, [], [diagnostic], [], warning)
    diagnostics = [{"code": d.code, "message": d.message, "line": d.source.start_line} for d in document.diagnostics]
    rows = [index_row(r, family, document.lines) for r in document.records]
    spans = [(u.start_line, u.end_line, span_title(u.text), u.text) for u in document.unstructured]
    checked = checker(document) if checker is not None else None
    return Prepared(rel, family, digest, stamp, rows, diagnostics, spans, _warning(document), checked)


def span_title(text: str) -> str:
    """What a hit on unstructured text shows as its title: its first line, shortened."""
    first = text.lstrip().split("\n", 1)[0].strip()
    return first if len(first) <= 100 else first[:99] + "…"


def _warning(document: Any) -> str | None:
    from whylog.markdown.encoding import DAMAGE_CODES

    damage = [d for d in document.diagnostics if d.code in DAMAGE_CODES]
    if not damage:
        return None
    first = damage[0]
    return json.dumps({"line": first.source.start_line, "message": first.message, "hint": first.hint})


@dataclass(frozen=True, slots=True)
class IndexRow:
    """What the index stores for one record: its records-table columns, its full-text body, and the
    rows of its tags, named paths, open items and claims."""

    id: str
    kind: str
    family: str
    title: str
    date: str
    location: tuple[str, int, int]
    type: str | None
    severity: str | None
    status: str | None
    confidence: int | None
    envelope: str
    body: str
    tags: tuple[str, ...]
    paths: tuple[str, ...]
    items: tuple[tuple[str, str, int | None, str | None], ...]  # open items: what, text, a blocker's number and status
    claims: tuple[Claim, ...]
    links: tuple[tuple[str, str, str | None, bool, str | None], ...]  # kind, text, target, named, day
    base: str  # the natural id: an entry's stamp id, else the id without a -2 suffix

    def columns(self, rowid: int) -> tuple[Any, ...]:
        """The records table's row (`shadowed` is set later, by `_mark_shadowed`)."""
        head = (rowid, self.id, self.kind, self.family, self.title, self.date, *self.location)
        tail = (self.confidence, len(self.items), self.envelope, self.base)
        return (*head, self.type, self.severity, self.status, *tail)


def _items(record: Record) -> tuple[tuple[str, str, int | None, str | None], ...]:
    """The record's open items (`model.open_items`); an open blocker keeps its number and status."""
    from whylog.model import ChangeFields, open_items

    fields = record.fields
    blockers = [item for item in fields.items if not item.resolved] if isinstance(fields, ChangeFields) else []
    rows: list[tuple[str, str, int | None, str | None]] = []
    for index, (what, text) in enumerate(open_items(record)):
        blocker = blockers[index] if what == "blocker" and index < len(blockers) else None
        rows.append((what, text, blocker.number if blocker else None, blocker.status if blocker else None))
    return tuple(rows)


def index_row(record: Record, family: str, lines: Lines | None) -> IndexRow:
    """The index's row for a record; `lines` (its file's) place its claims, when given."""
    from whylog.index.text import record_row
    from whylog.markdown.claims import claims
    from whylog.model import to_json_text

    row = record_row(record)
    return IndexRow(
        record.id,
        record.kind,
        family,
        record.title,
        record.date,
        row.location,
        row.type,
        row.severity,
        row.status,
        row.confidence,
        to_json_text(record),
        row.body,
        record.tags,
        row.paths,
        _items(record),
        tuple(claims(record, lines)),
        _links(record),
        _base(record),
    )


def _base(record: Record) -> str:
    from whylog.markdown.readers.syslog import entry_id
    from whylog.markdown.values import base_id

    return entry_id(record.date) if record.kind == "entry" and record.date else base_id(record.id)


def _links(record: Record) -> tuple[tuple[str, str, str | None, bool, str | None], ...]:
    """The record's links as its file writes them (resolved against the repo when read), with whether the
    text names a record explicitly and the day it names, and a decision's `supersedes` / `superseded-by`."""
    from whylog.markdown.values import named_record, read_date
    from whylog.model import DecisionFields

    rows: list[tuple[str, str, str | None, bool, str | None]] = []
    for link in record.links:
        named = named_record(link.text) is not None
        day = read_date(link.text) if named and link.target is None else None  # only such a link resolves by day
        rows.append(("link", link.text, link.target, named, day if day and len(day) == 10 else None))
    fields = record.fields
    if isinstance(fields, DecisionFields):
        rows += [("supersedes", t, t, True, None) for t in fields.supersedes]
        rows += [("superseded-by", t, t, True, None) for t in fields.superseded_by]
    return tuple(rows)


PARALLEL_MIN_BYTES = 4_000_000
RECHECK = "check:"  # before a known digest: read the file for the checker even when it is unchanged
SMALL_FILE = 65_536  # bytes: a file below this is read in a task with others
SMALL_CHUNK = 16


def _prepared(
    items: list[tuple[str, str, str, tuple[int, int], str]], size: int, checker: Checker | None
) -> Iterator[Prepared]:
    """Files prepared in order; in two or more worker processes when there is enough to read."""
    workers = min(os.cpu_count() or 1, 4)
    if size < PARALLEL_MIN_BYTES or workers < 2 or len(items) < 4:
        yield from (prepare(item, checker) for item in items)
        return
    import multiprocessing

    from whylog.index.text import record_row  # noqa: F401 (imported once here, not in every worker)
    from whylog.markdown.claims import claims  # noqa: F401
    from whylog.markdown.readers import load_readers

    load_readers()
    # Largest files first, one per task, results in the order they finish: one big log cannot leave a
    # worker idle. Small files (most ADRs, change notes, session notes) go SMALL_CHUNK to a task, so that
    # passing them between processes costs less than reading them.
    ordered = sorted(items, key=lambda item: -item[3][1])
    big = [item for item in ordered if item[3][1] >= SMALL_FILE]
    small = [item for item in ordered if item[3][1] < SMALL_FILE]
    import gc

    # Parsing makes no reference cycles (a whole 10,000-record corpus leaves nothing for gc.collect), so a
    # worker's cyclic collector would only walk millions of live objects for nothing: it is switched off.
    with multiprocessing.get_context("fork").Pool(workers, initializer=gc.disable) as pool:
        task = functools.partial(prepare, checker=checker)
        first = pool.imap_unordered(task, big, chunksize=1)
        rest = pool.imap_unordered(task, small, chunksize=SMALL_CHUNK)
        yield from itertools.chain(first, rest)


def _apply(
    conn: sqlite3.Connection,
    config: Config,
    changed: list[tuple[str, str, Path, tuple[int, int]]],
    removed: list[str],
    known: dict[str, tuple[str, int, int]],
    checker: Checker | None = None,
    again: Collection[str] = (),
) -> tuple[int, int, bool]:
    """Store what changed; returns files read, records stored, and whether every change could be stored
    (False when another process changed the index under a file since `known` was read)."""
    items = [(rel, family, str(path), stamp, known.get(rel, ("", 0, 0))[0]) for rel, family, path, stamp in changed]
    items = [(*item[:4], RECHECK + item[4] if item[0] in again else item[4]) for item in items]
    size = sum(stamp[1] for *_, stamp in changed)
    read = records = pending = 0
    complete = True
    decisions = bool(removed)  # a dev log or ADR file changed: which index lines are shadowed may too
    batch: list[Prepared] = []
    for prepared in _prepared(items, size, checker):
        if prepared.rows is not None:
            read += 1
            records += len(prepared.rows)
            pending += len(prepared.rows)
            decisions = decisions or prepared.family in ("adr", "devlog")
        batch.append(prepared)
        if len(batch) >= 200 or pending >= 5000:  # small transactions keep memory flat
            complete = _store(conn, config, batch, []) and complete
            batch, pending = [], 0
    complete = _store(conn, config, batch, removed) and complete
    if decisions:
        with write_transaction(conn):
            _mark_shadowed(conn)
    return read, records, complete


def _store(conn: sqlite3.Connection, config: Config, batch: list[Prepared], removed: list[str]) -> bool:
    """Write a batch in one transaction. What the caller read of the index may be stale by now (an `add`
    or another sync may have stored a file since), so each change is checked against the index as it is:
    a file is dropped only if it is still not a record file, and a file whose content was unchanged only gets
    its new stamp if the index still holds that content. Returns False when something was left for the
    next sync."""
    complete = True
    spans: list[tuple[str, int, int, str, str]] = []
    checked: list[tuple[str, str, str, str, str]] = []
    with write_transaction(conn):
        for rel in removed:
            if (config.root / rel).is_file() and source_family(config, rel) is not None:
                complete = False  # it was created again since the listing
                continue
            _delete_file(conn, rel)
            conn.execute("DELETE FROM files WHERE path = ?", (rel,))
        for item in batch:
            held = conn.execute("SELECT hash FROM files WHERE path = ?", (item.path,)).fetchone()
            if item.rows is not None:
                if held is not None:
                    _delete_file(conn, item.path)
                _insert_rows(conn, item.rows)
                spans += [(item.path, *span) for span in item.spans]
            elif held is None or held[0] != item.digest:
                complete = False
                continue
            if item.checked is not None:
                checked.append((item.path, item.digest, *item.checked))
            if item.rows is None:  # content unchanged: keep its diagnostics and warning
                conn.execute(
                    "UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?", (item.stamp[0], item.stamp[1], item.path)
                )
                continue
            conn.execute(
                "INSERT OR REPLACE INTO files (path, family, hash, mtime_ns, size, diagnostics, warning) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    item.path,
                    item.family,
                    item.digest,
                    item.stamp[0],
                    item.stamp[1],
                    json.dumps(item.diagnostics),
                    item.warning,
                ),
            )
        _insert_spans(conn, spans)
        _bump_generation(conn)
        conn.executemany("INSERT OR REPLACE INTO lint_cache VALUES (?, ?, ?, ?, ?)", checked)
    return complete


def _bump_generation(conn: sqlite3.Connection) -> None:
    """Count one more change to what the index holds ('generation' in meta): what is computed from the
    whole index (lint's cross-file findings) is kept under it."""
    conn.execute(
        "INSERT INTO meta VALUES ('generation', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
    )


def _delete_file(conn: sqlite3.Connection, rel: str) -> None:
    spans = [r[0] for r in conn.execute("SELECT rowid FROM spans WHERE path = ?", (rel,))]
    if spans:
        conn.executemany("DELETE FROM fts WHERE rowid = ?", ((r,) for r in spans))
        conn.execute("DELETE FROM spans WHERE path = ?", (rel,))
    rows = [r[0] for r in conn.execute("SELECT rowid FROM records WHERE path = ?", (rel,))]
    if not rows:
        return
    conn.executemany("DELETE FROM fts WHERE rowid = ?", ((r,) for r in rows))
    for table in ("record_tags", "record_files", "record_items", "record_claims", "record_links"):
        conn.executemany(f"DELETE FROM {table} WHERE ref = ?", ((r,) for r in rows))
    conn.execute("DELETE FROM records WHERE path = ?", (rel,))


def _insert_rows(conn: sqlite3.Connection, rows: list[IndexRow]) -> None:
    first = conn.execute("SELECT coalesce(max(rowid), 0) FROM records").fetchone()[0] + 1
    numbered = list(enumerate(rows, first))
    conn.executemany(
        "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        (row.columns(rowid) for rowid, row in numbered),
    )
    conn.executemany(
        "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", ((i, r.title, r.body) for i, r in numbered)
    )
    conn.executemany("INSERT INTO record_tags VALUES (?, ?)", ((i, t.upper()) for i, r in numbered for t in r.tags))
    conn.executemany("INSERT INTO record_files VALUES (?, ?)", ((i, p) for i, r in numbered for p in r.paths))
    conn.executemany(
        "INSERT INTO record_items VALUES (?, ?, ?, ?, ?)", ((i, *item) for i, r in numbered for item in r.items)
    )
    conn.executemany(
        "INSERT INTO record_links VALUES (?, ?, ?, ?, ?, ?)", ((i, *link) for i, r in numbered for link in r.links)
    )
    conn.executemany(
        "INSERT INTO record_claims VALUES (?, ?, ?, ?, ?)",
        ((i, c.name, c.line, c.value, c.total) for i, r in numbered for c in r.claims),
    )


def _insert_spans(conn: sqlite3.Connection, spans: list[tuple[str, int, int, str, str]]) -> None:
    """Unstructured text (path, start, end, title, text) goes into the same full-text table as records,
    under negative rowids: a search ranks both together, and anything that joins the records table (every
    filter) leaves it out. A batch's spans take one block of rowids below the lowest, inserted in ascending
    order: FTS5 writes out its pending terms whenever a rowid is not above the one before, and one such
    write per span made enough segments to slow queries down by half or more."""
    if not spans:
        return
    first = conn.execute("SELECT coalesce(min(rowid), 0) FROM spans").fetchone()[0] - len(spans)
    numbered = list(enumerate(spans, first))
    conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?)", ((i, *span[:4]) for i, span in numbered))
    conn.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, '', ?)", ((i, span[4]) for i, span in numbered))


def file_warnings(conn: sqlite3.Connection) -> list[tuple[str, int, str, str]]:
    """(path, line, message, hint) for each record file that was not read cleanly, by path."""
    rows = conn.execute("SELECT path, warning FROM files WHERE warning IS NOT NULL ORDER BY path")
    out = []
    for path, warning in rows:
        item = json.loads(warning)
        out.append((str(path), int(item["line"]), str(item["message"]), str(item["hint"])))
    return out


def warning_lines(conn: sqlite3.Connection) -> list[str]:
    """Each file warning as every door shows it: `path:line: message`, then an indented hint line."""
    return [f"{path}:{line}: {message}\n  hint: {hint}" for path, line, message, hint in file_warnings(conn)]


def span_at(conn: sqlite3.Connection, path: str, line: int) -> tuple[int, int, str] | None:
    """The unstructured span of `path` holding `line`, as (start, end, title)."""
    row = conn.execute(
        "SELECT start_line, end_line, title FROM spans WHERE path = ? AND start_line <= ? AND end_line >= ? LIMIT 1",
        (path, line, line),
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]))


def record_at(conn: sqlite3.Connection, path: str, line: int) -> Record | None:
    """The record of `path` whose lines hold `line`."""
    row = conn.execute(
        "SELECT envelope FROM records WHERE path = ? AND start_line <= ? AND end_line >= ? AND NOT shadowed "
        "ORDER BY start_line DESC LIMIT 1",
        (path, line, line),
    ).fetchone()
    if row is None:
        return None
    from whylog.model import from_stored

    return from_stored(json.loads(row[0]))


def _mark_shadowed(conn: sqlite3.Connection) -> None:
    """A decision listed in a dev log's ADR index is shadowed by the ADR file with the same id."""
    conn.execute(
        "UPDATE records SET shadowed = (family = 'devlog' AND id IN "
        "(SELECT id FROM records WHERE kind = 'decision' AND family = 'adr')) WHERE kind = 'decision'"
    )


def select_in(conn: sqlite3.Connection, sql: str, values: Iterable[Any]) -> Iterator[Any]:
    """The rows of `sql`, whose `{marks}` is an IN list, over all the distinct `values`, 500 at a time
    (SQLite limits the variables one statement may have)."""
    wanted = sorted(set(values))
    for first in range(0, len(wanted), 500):
        chunk = wanted[first : first + 500]
        yield from conn.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk)


def open_synced(config: Config, checker: Checker | None = None) -> sqlite3.Connection:
    """The index, brought up to date with the record files first (see `sync` for the checker)."""
    conn = open_index(config)
    sync(conn, config, checker)
    return conn


def named_paths(conn: sqlite3.Connection) -> list[str]:
    """Every path some record names (its files, a change's blocker files), each once."""
    return [row[0] for row in conn.execute("SELECT DISTINCT path FROM record_files")]


def newest_entry_line(conn: sqlite3.Connection, log: str) -> int | None:
    """The line where the newest entry of the log file `log` starts; None when it has none."""
    row = conn.execute(
        "SELECT start_line FROM records WHERE kind = 'entry' AND path = ? ORDER BY date DESC, start_line LIMIT 1",
        (log,),
    ).fetchone()
    return None if row is None else int(row[0])


def iter_envelopes(conn: sqlite3.Connection, where: str = "", params: Iterable[Any] = ()) -> Iterator[Record]:
    from whylog.model import from_stored

    sql = f"SELECT envelope FROM records WHERE NOT shadowed {where} ORDER BY path, start_line"
    for (envelope,) in conn.execute(sql, tuple(params)):
        yield from_stored(json.loads(envelope))


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT kind, count(*) FROM records WHERE NOT shadowed GROUP BY kind ORDER BY kind")
    return {str(kind): int(n) for kind, n in rows}


def links_resolved(conn: sqlite3.Connection, records: list[Record]) -> list[Record]:
    """`repo.resolve_links` with the repo's ids and entry days taken from the index, asking only for the
    targets and days these records' links name."""
    from whylog.markdown.values import read_date
    from whylog.repo import resolve_links as resolve

    targets = sorted({link.target for r in records for link in r.links if link.target})
    days = sorted({d for r in records for link in r.links if not link.target and (d := read_date(link.text))})
    sql = "SELECT id FROM records WHERE NOT shadowed AND id IN ({marks})"
    ids = {str(row[0]) for row in select_in(conn, sql, targets)}
    by_day: dict[str, list[str]] = {}
    for day in (d for d in days if len(d) == 10):
        # the date index, not the kind index (which would read every entry's row to compare its day)
        rows = conn.execute("SELECT id FROM records WHERE +kind = 'entry' AND date GLOB ? LIMIT 2", (f"{day}*",))
        by_day[day] = [str(row[0]) for row in rows]
    return resolve(records, ids, by_day)


def find_record(conn: sqlite3.Connection, record_id: str) -> Record | None:
    row = conn.execute(
        "SELECT envelope FROM records WHERE id = ? COLLATE NOCASE AND NOT shadowed ORDER BY path, start_line LIMIT 1",
        (record_id,),
    ).fetchone()
    if row is None:
        return None
    from whylog.model import from_stored

    return from_stored(json.loads(row[0]))


def read_record(conn: sqlite3.Connection, record_id: str) -> Record:
    """The record with this id (any case), its links resolved: what `whylog show` and MCP's `show` give.
    Raises NotFound when no record has the id."""
    from whylog.model.errors import NotFound

    record = find_record(conn, record_id)
    if record is None or record.source is None:
        raise NotFound(f"no record with id {record_id!r}", hint="`whylog list` shows the ids")
    return links_resolved(conn, [record])[0]


def records_naming(conn: sqlite3.Connection, paths: Iterable[str]) -> list[Record]:
    """Records whose files name one of `paths`, or a folder (`dir/`) that holds one of them."""
    from whylog.model import from_stored

    wanted = sorted({p.strip("/") for p in paths})
    found: dict[int, str] = {}
    for path in wanted:
        rows = conn.execute(
            "SELECT r.rowid, r.envelope FROM record_files f JOIN records r ON r.rowid = f.ref "
            "WHERE NOT r.shadowed AND (f.path = ? OR (f.path LIKE '%/' AND ? LIKE f.path || '%'))",
            (path, path),
        )
        found.update({int(rowid): envelope for rowid, envelope in rows})
    return [from_stored(json.loads(found[rowid])) for rowid in sorted(found)]


def _lines_for_claims(record: Record, data: bytes, rel: str) -> Lines | None:
    """The file's lines when the record makes claims whose lines are looked up (a session note or a change
    document added by `add`); None for every other record, which spares reading the whole file."""
    if record.kind not in ("session", "change"):
        return None
    from whylog.markdown.encoding import decode_damaged
    from whylog.markdown.scan import scan

    return scan(decode_damaged(data, rel).text, rel, markdown=not rel.endswith(".txt"))


def record_inserted(
    config: Config,
    rel: str,
    family: str,
    old: bytes | None,
    new: bytes,
    stamp: tuple[int, int],
    at_line: int,
    added: int,
    record: Record,
) -> bool:
    """Bring an existing index up to date after `add` inserted `added` lines at `at_line` of `rel`:
    later records of the file move down, the new record goes in, the file's hash becomes the new one.
    Does nothing (and returns False) when there is no index or it was not current for this file; the
    next sync then reads the file as usual."""
    if not index_path(config.root).exists():
        return False
    old_digest = None if old is None else hashlib.blake2b(old, digest_size=16).hexdigest()
    new_digest = hashlib.blake2b(new, digest_size=16).hexdigest()
    conn = open_index(config)
    try:
        with write_transaction(conn):
            row = conn.execute("SELECT hash FROM files WHERE path = ?", (rel,)).fetchone()
            straddled = conn.execute(
                "SELECT (SELECT count(*) FROM records WHERE path = ?1 AND start_line < ?2 AND end_line >= ?2) + "
                "(SELECT count(*) FROM spans WHERE path = ?1 AND start_line < ?2 AND end_line >= ?2)",
                (rel, at_line),
            ).fetchone()[0]
            if (row[0] if row else None) != old_digest or straddled:
                return False
            conn.execute(
                "UPDATE records SET start_line = start_line + ?1, end_line = end_line + ?1, envelope = json_set("
                "envelope, '$.source.start_line', start_line + ?1, '$.source.end_line', end_line + ?1) "
                "WHERE path = ?2 AND start_line >= ?3",
                (added, rel, at_line),
            )
            conn.execute(
                "UPDATE spans SET start_line = start_line + ?1, end_line = end_line + ?1 "
                "WHERE path = ?2 AND start_line >= ?3",
                (added, rel, at_line),
            )
            lines = _lines_for_claims(record, new, rel)
            _insert_rows(conn, [index_row(record, family, lines)])
            _bump_generation(conn)
            conn.execute(
                "INSERT INTO files (path, family, hash, mtime_ns, size) VALUES (?1, ?2, ?3, ?4, ?5) "
                "ON CONFLICT (path) DO UPDATE SET hash = ?3, mtime_ns = ?4, size = ?5",
                (rel, family, new_digest, *stamp),
            )
            if record.kind == "decision":
                _mark_shadowed(conn)
    finally:
        conn.close()
    return True
