"""Running a `Query` against the index: BM25 ranking (title weighted 10 to 1 over body), filters as SQL,
and a plan that keeps near-universal terms from forcing every row to be ranked."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from whylog.query import Filter, Query

if TYPE_CHECKING:
    from whylog.model import Record

TITLE_WEIGHT = 10.0
COMMON_SHARE = 0.3  # a term in more than this share of records is too common to rank by
SNIPPET_TOKENS = 16


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the record's JSON envelope (typed on demand: importing the record model costs
    more start-up time than a whole search), its BM25 score (higher is better) and a snippet."""

    envelope: dict[str, Any]
    score: float
    snippet: str

    @property
    def record(self) -> Record:
        from whylog.model import from_json

        return from_json(self.envelope)


def _tokens(conn: sqlite3.Connection, text: str) -> list[str]:
    """`text` through the index's own tokenizer (so stems match the index), via a temporary table."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.qtok USING fts5 (x, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.qvocab USING fts5vocab (temp, qtok, 'row')")
    conn.execute("DELETE FROM temp.qtok")
    conn.execute("INSERT INTO temp.qtok (x) VALUES (?)", (text,))
    return [row[0] for row in conn.execute("SELECT term FROM temp.qvocab")]


def plan_match(conn: sqlite3.Connection, query: Query) -> tuple[str | None, bool]:
    """The MATCH expression to run and whether BM25 can tell the results apart. For a plain question,
    terms found in most records are dropped while rarer ones remain; when only common terms are left,
    results are ordered newest first instead of ranked."""
    if query.match is None or not query.plain:
        return query.match, True
    total = conn.execute("SELECT count(*) FROM records").fetchone()[0] or 1
    kept: list[str] = []
    common: list[str] = []
    for part in dict.fromkeys(query.match.split(" OR ")):
        stems = _tokens(conn, part.strip('"*'))
        docs = [_doc_count(conn, s) for s in stems] or [0]
        (common if min(docs) > COMMON_SHARE * total else kept).append(part)
    if kept:
        return " OR ".join(kept), True
    return " OR ".join(common), False


def _doc_count(conn: sqlite3.Connection, stem: str) -> int:
    row = conn.execute("SELECT doc FROM fts_vocab WHERE term = ?", (stem,)).fetchone()
    return int(row[0]) if row else 0


def _filter_sql(item: Filter) -> tuple[str, list[Any]]:
    name, value = item.name, item.value
    if name == "kind":
        return "r.kind = ?", [value.lower()]
    if name in ("type", "severity", "status"):
        return f"lower(r.{name}) = lower(?)", [value]
    if name == "id":
        return "r.id = ? COLLATE NOCASE", [value]
    if name == "tag":
        return "EXISTS (SELECT 1 FROM record_tags t WHERE t.ref = r.rowid AND t.tag = ?)", [value.upper()]
    if name == "file":
        prefix = value.strip("/")
        return (
            "EXISTS (SELECT 1 FROM record_files f WHERE f.ref = r.rowid AND (f.path = ? OR f.path LIKE ? ESCAPE '\\'"
            " OR (f.path LIKE '%/' AND ? LIKE f.path || '%')))",
            [prefix, _like(prefix) + "/%", prefix],
        )
    if name == "since":
        return "r.date >= ?", [value]
    if name == "until":
        return "r.date != '' AND r.date < ?", [_after(value)]
    if name == "open":
        wanted = value.lower() in ("true", "yes", "1")
        return ("r.open_items > 0" if wanted else "r.open_items = 0"), []
    return f"r.confidence {item.op} ?", [int(value)]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _after(value: str) -> str:
    """The first date after the period `value` names: 2026 -> 2027, 2026-02 -> 2026-03, a day -> next day."""
    if len(value) == 4:
        return str(int(value) + 1)
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:])
        return f"{year + month // 12}-{month % 12 + 1:02d}"
    return (date.fromisoformat(value) + timedelta(days=1)).isoformat()


def run_search(conn: sqlite3.Connection, query: Query, limit: int = 20) -> list[Hit]:
    where, params = ["NOT r.shadowed"], []
    for item in query.filters:
        sql, values = _filter_sql(item)
        where.append(sql)
        params += values
    match, ranked = plan_match(conn, query)
    if match is None:
        sql = (
            f"SELECT r.envelope, 0.0, '' FROM records r WHERE {' AND '.join(where)} "
            "ORDER BY r.date DESC, r.rowid DESC LIMIT ?"
        )
        rows = conn.execute(sql, (*params, limit)).fetchall()
    else:
        order = "score" if ranked else "fts.rowid DESC"
        sql = (
            f"SELECT r.envelope, bm25(fts, {TITLE_WEIGHT}, 1.0) AS score, "
            f"snippet(fts, 1, '\x02', '\x03', '…', {SNIPPET_TOKENS}) FROM fts JOIN records r ON r.rowid = fts.rowid "
            f"WHERE fts MATCH ? AND {' AND '.join(where)} ORDER BY {order} LIMIT ?"
        )
        try:
            rows = conn.execute(sql, (match, *params, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            from whylog.query import QueryError

            raise QueryError(f"the index could not run this query ({exc})", query.text, 1) from None
    return [Hit(json.loads(env), -float(score), snippet) for env, score, snippet in rows]
