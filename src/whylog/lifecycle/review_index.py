"""The review of a period, and its inputs read from the index instead of every record file: the period's
records decoded from their envelopes, and for the rest (previous counts, problem keys of the lookback window,
open items, open blockers, records that followed the period's entries) only the columns and JSON parts
needed. `review` sits here, above `lifecycle.review` (what a review computes from its inputs), because it
picks the source: the index, or every record file when the index cannot be used."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from datetime import date
from typing import Any

from whylog.index.sqlite import iter_envelopes, open_index, sync
from whylog.lifecycle.review import (
    OPEN_BLOCKER,
    PROBLEM_TYPES,
    Inputs,
    OpenBlocker,
    Review,
    aged_rows,
    assemble,
    keys_from,
    lookback,
    record_inputs,
)
from whylog.lifecycle.review_calibration import FOLLOW_DAYS, LOW_CONFIDENCE, record_paths, stated_confidence
from whylog.lifecycle.review_period import Period, before_end, bounded, end_key, previous_period, within
from whylog.lifecycle.status import open_items
from whylog.model import FIELDS_BY_KIND, EntryFields, FileRef, Link, Record
from whylog.model.bounds import shift_day
from whylog.repo import Collection, Config, load

_DAY_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"
_SPAN = "NOT r.shadowed AND r.date >= ? AND r.date < ?"
_INCIDENT = "(r.kind = 'incident' OR (r.kind = 'entry' AND r.type = 'Incident'))"
_TROUBLE = (
    "(r.kind = 'incident' OR (r.kind = 'entry' AND (r.type = 'Incident' OR r.title LIKE 'revert%' "
    "OR (r.type = 'Bug Fix' AND r.rowid IN (SELECT ref FROM record_tags WHERE upper(tag) = 'ROLLBACK')))))"
)


def review(
    config: Config, period: Period, collection: Collection | None = None, conn: sqlite3.Connection | None = None
) -> Review:
    """The review of `period`: from `collection` when given, else from the index (`conn`, synced by the
    caller, or opened and synced here) so that only the records the review needs are read; without a usable
    index, from every record file."""
    if collection is None:
        try:
            return assemble(read_inputs(conn, period) if conn is not None else index_inputs(config, period))
        except sqlite3.Error:
            collection = load(config, skip_errors=True)
    return assemble(record_inputs(collection.records, period))


def index_inputs(config: Config, period: Period) -> Inputs:
    conn = open_index(config)
    try:
        conn.execute("PRAGMA cache_size = -65536")
        sync(conn, config)
        return read_inputs(conn, period)
    finally:
        conn.close()


def read_inputs(conn: sqlite3.Connection, period: Period) -> Inputs:
    if date.min == period.start or date.max == period.end:
        first, last = conn.execute(
            "SELECT min(date), max(date) FROM records WHERE NOT shadowed AND date GLOB ?", (_DAY_GLOB,)
        ).fetchone()
        period = bounded(period, _day(first), _day(last))
    before = previous_period(period)
    now = [r for r in iter_envelopes(conn, "AND date >= ? AND date < ?", _bounds(period)) if within(r, period)]
    return Inputs(
        period=period,
        now=now,
        before=None if before is None else _tally(conn, before),
        problems=_problems(conn, lookback(period)),
        aged=_aged(conn, period),
        blockers=_blockers(conn, period),
        later=_later(conn, now, period),
    )


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _bounds(period: Period) -> tuple[str, str]:
    return period.start.isoformat(), end_key(period)


def _tally(conn: sqlite3.Connection, period: Period) -> tuple[Counter[str], Counter[str]]:
    kinds: Counter[str] = Counter()
    types: Counter[str] = Counter()
    sql = f"SELECT r.kind, r.type, count(*) FROM records r WHERE {_SPAN} GROUP BY r.kind, r.type"
    for kind, entry_type, n in conn.execute(sql, _bounds(period)):
        kinds[kind] += n
        if kind == "entry":
            types[entry_type or "(none)"] += n
    return kinds, types


def _problems(conn: sqlite3.Connection, window: Period) -> dict[str, set[tuple[str, str]]]:
    """Incidents and bug-fix / incident entries of the window with their keys, from columns and JSON parts."""
    where = f"{_SPAN} AND (r.kind = 'incident' OR (r.kind = 'entry' AND r.type IN (?, ?)))"
    params = (*_bounds(window), *PROBLEM_TYPES)
    paths = _paths(conn, f"SELECT r.rowid FROM records r WHERE {where}", params)
    sql = (  # one json_extract with three paths reads each envelope once
        "SELECT r.rowid, r.id, r.title, json_extract(r.envelope, '$.fields.root_cause', '$.fields.observation', "
        f"'$.fields.services') FROM records r WHERE {where}"
    )
    keys: dict[str, set[tuple[str, str]]] = {}
    for rowid, record_id, title, parts in conn.execute(sql, params):
        cause, observation, services = json.loads(parts)
        text = " ".join([title, *(cause or ()), observation or ""])
        keys[record_id] = keys_from(paths.get(rowid, []), services or [], text)
    return keys


def _paths(conn: sqlite3.Connection, rowids: str, params: tuple[Any, ...]) -> dict[int, list[str]]:
    """The file paths (slashes stripped) of the records selected by the `rowids` query."""
    found: dict[int, list[str]] = {}
    for ref, path in conn.execute(f"SELECT ref, path FROM record_files WHERE ref IN ({rowids})", params):
        if path.strip("/") and path.strip("/") not in found.setdefault(ref, []):
            found[ref].append(path.strip("/"))
    return found


def _aged(conn: sqlite3.Connection, period: Period) -> tuple[Any, ...]:
    """Open items as `whylog status` finds them: the current context's, then incidents' action items and
    entries' prevention items left unchecked, of records dated before the period ends (or undated)."""
    contexts = [
        r for r in iter_envelopes(conn, "AND kind = 'context'") if before_end(_day(r.date) or period.start, period)
    ]
    days = {r.id: _day(r.date) for r in contexts}
    items = [(i.kind, i.record_id, i.text, days.get(i.record_id)) for i in open_items(contexts)]
    for kind, label in (("incident", "action-item"), ("entry", "prevention")):
        sql = (
            "SELECT r.id, r.date, i.text FROM record_items i CROSS JOIN records r ON r.rowid = i.ref "
            "WHERE NOT r.shadowed AND r.kind = ? AND i.what = ? ORDER BY r.path, r.start_line, i.rowid"
        )
        for record_id, when, text in conn.execute(sql, (kind, label)):
            day = _day(when)
            if before_end(day or period.start, period):
                items.append((label, record_id, text, day))
    return aged_rows(items, period)


def _blockers(conn: sqlite3.Connection, period: Period) -> tuple[OpenBlocker, ...]:
    sql = (
        "SELECT r.id, r.date, i.number, i.text, i.status FROM record_items i CROSS JOIN records r ON r.rowid = i.ref "
        "WHERE NOT r.shadowed AND r.kind = 'change' AND i.what = 'blocker' AND i.status IN (?, ?) "
        "ORDER BY r.path, r.start_line, i.rowid"
    )
    rows = []
    for record_id, when, number, title, status in conn.execute(sql, OPEN_BLOCKER):
        day = _day(when)
        if day is not None and before_end(day, period):
            rows.append(OpenBlocker(record_id, number, title, status))
    return tuple(rows)


def _later(conn: sqlite3.Connection, now: list[Record], period: Period) -> list[Record]:
    """Records after the period that may follow its entries, as light records (see `_light`): records
    naming the files of a low-confidence entry and rollbacks and incidents naming the files of an entry
    that states a confidence, within FOLLOW_DAYS; incidents from the period's start on (they may link an
    entry by id or day)."""
    stated = [(r, stated_confidence(r)) for r in now]
    low = sorted({p for r, value in stated if value is not None and value < LOW_CONFIDENCE for p in record_paths(r)})
    some = sorted({p for r, value in stated if value is not None for p in record_paths(r)})
    start, end = _bounds(period)
    horizon = end_key(Period(period.label, period.start, shift_day(period.end, FOLLOW_DAYS + 1)))
    found = _light(conn, low, "r.date >= ? AND r.date < ?", (end, horizon))
    found.update(_light(conn, some, f"r.date >= ? AND r.date < ? AND {_TROUBLE}", (end, horizon)))
    found.update(_light(conn, None, f"r.date >= ? AND {_INCIDENT}", (start,)))
    return _resolve(list(found.values()), now)


def _resolve(records: list[Record], now: list[Record]) -> list[Record]:
    """Day-only links (`Incident: 2026-03-18 08:00 UTC`) resolved to the period's entry of that day when it
    is the only entry of that day (the rule of `repo.resolve_links`); other links stay as written."""
    from whylog.markdown.values import read_date

    by_day: dict[str, list[str]] = {}
    for record in now:
        if record.kind == "entry":
            by_day.setdefault(record.date[:10], []).append(record.id)
    out = []
    for record in records:
        links = []
        for link in record.links:
            day = read_date(link.text) if link.target is None else None
            ids = by_day.get(day or "", [])
            links.append(Link(link.text, ids[0]) if len(ids) == 1 else link)
        out.append(dataclasses.replace(record, links=tuple(links)))
    return out


def _light(conn: sqlite3.Connection, paths: list[str] | None, where: str, params: tuple[Any, ...]) -> dict[int, Record]:
    """Records matching `where` (and naming one of `paths`, when given, which are then the only files kept)
    with id, kind, title, date, entry type, tags, links and files; their other fields left empty."""
    columns = (
        # one json_extract with two paths reads the envelope once and gives [tags, links]
        "SELECT r.rowid, r.id, r.kind, r.title, r.date, r.type, json_extract(r.envelope, '$.tags', '$.links'), "
        "f.path FROM records r "
    )
    rows: list[Any] = []
    if paths is None:
        rows += conn.execute(
            f"{columns}LEFT JOIN record_files f ON f.ref = r.rowid WHERE NOT r.shadowed AND {where}", params
        )
    for first in range(0, len(paths or []), 400):
        names = [n for p in (paths or [])[first : first + 400] for n in (p, p + "/")]
        sql = f"{columns}JOIN record_files f ON f.ref = r.rowid WHERE +f.path IN ({','.join('?' * len(names))})"
        rows += conn.execute(f"{sql} AND NOT r.shadowed AND {where}", (*names, *params))
    found: dict[int, Record] = {}
    files: dict[int, list[str]] = {}
    for rowid, record_id, kind, title, when, entry_type, parts, path in rows:
        if path and path.strip("/") not in files.setdefault(rowid, []):
            files[rowid].append(path.strip("/"))
        if rowid not in found:
            fields = EntryFields(type=entry_type or "") if kind == "entry" else FIELDS_BY_KIND[kind]()
            tags, link_items = json.loads(parts)
            found[rowid] = Record(
                id=record_id,
                kind=kind,
                title=title,
                date=when,
                fields=fields,
                tags=tuple(tags or ()),
                links=tuple(Link(item.get("text", ""), item.get("target")) for item in link_items or ()),
            )
    return {
        rowid: dataclasses.replace(r, files=tuple(FileRef(p) for p in files.get(rowid, [])))
        for rowid, r in found.items()
    }
