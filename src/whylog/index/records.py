"""Records read from the synced index by their filter columns: what `list` asks for, answered by SQL with
its limit, so only the records shown are decoded and have their links resolved."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from whylog.index.search import path_condition

if TYPE_CHECKING:
    from whylog.model import Record


def select_records(
    conn: sqlite3.Connection,
    kinds: Iterable[str] = (),
    tags: Iterable[str] = (),
    path: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[Record]:
    """Records matching every filter given (any of the kinds, any of the tags, naming `path` as search's
    `file:` does, dated in [since, until]), newest first, records of one date in file order, undated
    records last in file order; at most `limit`, their links resolved against the whole index."""
    from whylog.index.sqlite import links_resolved
    from whylog.model import from_stored

    clauses: list[str] = ["NOT shadowed"]
    params: list[Any] = []
    kinds, tags = sorted(set(kinds)), sorted({t.upper() for t in tags})
    if kinds:
        clauses.append(f"kind IN ({', '.join('?' * len(kinds))})")
        params += kinds
    if tags:
        clauses.append(f"rowid IN (SELECT ref FROM record_tags WHERE tag IN ({', '.join('?' * len(tags))}))")
        params += tags
    if path:
        condition, values = path_condition(path)
        clauses.append(f"rowid IN (SELECT ref FROM record_files WHERE {condition})")
        params += values
    dated = since is not None or until is not None
    if since:
        clauses.append("date >= ?")
        params.append(since)
    if until:
        clauses.append("date != '' AND substr(date, 1, ?) <= ?")
        params += [len(until), until]
    where = " AND ".join(clauses)
    most = -1 if limit is None else limit
    envelopes = _envelopes(conn, f"{where} AND date != '' ORDER BY date DESC, path, start_line", params, most)
    if not dated and (limit is None or len(envelopes) < limit):
        rest = -1 if limit is None else limit - len(envelopes)
        envelopes += _envelopes(conn, f"{where} AND date = '' ORDER BY path, start_line", params, rest)
    return links_resolved(conn, [from_stored(json.loads(envelope)) for envelope in envelopes])


def _envelopes(conn: sqlite3.Connection, where: str, params: list[Any], limit: int) -> list[str]:
    sql = f"SELECT envelope FROM records WHERE {where} LIMIT ?"
    return [str(row[0]) for row in conn.execute(sql, (*params, limit))]
