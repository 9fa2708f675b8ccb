"""Running a `Query` against the index: BM25 ranking (title weighted 10 to 1 over body), filters as SQL,
and a plan that bounds how many rows BM25 has to rank, so a query stays fast at 100,000 records."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from whylog.index.query import Filter, Query, any_of

if TYPE_CHECKING:
    from whylog.model import Record

TITLE_WEIGHT = 10.0
RANK_ROWS = 2_000  # BM25 ranks at most this many rows per query (2 to 4 µs each at 100,000 records)
SNIPPET_TOKENS = 16
TITLE_POOL = 20  # a question is ranked this deep, so that a record titled exactly so can be put first
SMALL_SET = 5_000  # a tag or path filter naming at most this many records is read up front
RARE = 50  # a question's word in fewer rows is widened even into a common term, and may match as a prefix
EVERY = -(2**63)  # the lowest rowid: rank every match (unstructured text has negative rowids)
TEXT_KIND = "text"  # the kind a hit on unstructured text (no record) carries in its JSON


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the record's JSON envelope (typed on demand: importing the record model costs
    more start-up time than a whole search), its BM25 score (higher is better) and a snippet. A hit on
    text no reader structured has an envelope of kind "text" (`text_envelope`) and no record."""

    envelope: dict[str, Any]
    score: float
    snippet: str

    @property
    def record(self) -> Record:
        from whylog.model import from_stored

        return from_stored(self.envelope)


def marked(snippet: str, start: str, end: str) -> str:
    """The snippet with its matched terms between `start` and `end` (FTS5 marks them with STX and ETX)."""
    return snippet.replace("\x02", start).replace("\x03", end)


def hit_json(hit: Hit) -> dict[str, Any]:
    """A hit as `whylog search --format json` and MCP's `search` give it: the envelope, "score" and a
    "snippet" with the matched terms in **bold**."""
    return {**hit.envelope, "score": round(hit.score, 4), "snippet": marked(hit.snippet, "**", "**")}


@dataclass(frozen=True, slots=True)
class Plan:
    """How a query's text part runs: the FTS5 MATCH expression (None: filters only) and the lowest rowid
    to rank, so that BM25 scores at most RANK_ROWS rows (EVERY: every match is ranked)."""

    match: str | None
    min_rowid: int = EVERY
    terms: tuple[str, ...] = ()  # OR-ed terms of a question: a row's score is scaled by its share of them


def plan_match(conn: sqlite3.Connection, query: Query) -> Plan:
    """The plan for `query`. BM25 costs about a microsecond per matching row, so a plain question ranks
    its rarer terms and leaves out terms that would bring in more than RANK_ROWS rows (like stop words);
    when every term is that common, it asks for records holding all of them. Whatever still matches more
    than RANK_ROWS rows is ranked over the RANK_ROWS matches indexed last (highest rowids) only."""
    if query.match is None:
        return Plan(None)
    if not query.plain or not query.groups:
        return _windowed(conn, query.match)
    counts: dict[str, int] = {}
    for group in query.groups:
        part, count = _widened(conn, group)
        counts[part] = count
    parts = list(counts)
    present = [part for part in parts if counts[part]]
    if not present:
        return Plan(" OR ".join(parts))
    kept: list[str] = []
    budget = RANK_ROWS
    for part in sorted(present, key=lambda p: counts[p]):
        if counts[part] > budget:
            break
        kept.append(part)
        budget -= counts[part]
    if kept:
        ordered = tuple(p for p in present if p in kept)
        return Plan(" OR ".join(ordered), terms=ordered if len(ordered) > 1 else ())
    every = " AND ".join(present)
    return _windowed(conn, every if len(present) == 1 or _count(conn, every, 0) else " OR ".join(present))


def _widened(conn: sqlite3.Connection, group: tuple[str, ...]) -> tuple[str, int]:
    """A question's term as searched, and how many rows it matches (at most RANK_ROWS + 1; the plan treats
    it like any term). A word common as typed (more than RANK_ROWS rows) is searched as typed: its other
    forms would add little. Its short forms join it while together they match at most RANK_ROWS rows, or
    whatever they match when the word is RARE (fewer rows). A word without short forms is also searched as
    a prefix only when it is RARE and the prefix matches at most RANK_ROWS rows: FTS5 reads every row of a
    prefix's words at each use (counting, ranking, snippets)."""
    typed = _count(conn, group[0], RANK_ROWS)
    prefix = group[1:] == (group[0] + "*",)
    if typed > RANK_ROWS or len(group) == 1 or (prefix and typed >= RARE):
        return group[0], typed
    total = typed
    for form in group[1:]:  # the sum is at least the count of the union; counted only as far as needed
        if total <= RANK_ROWS:
            total += _count(conn, form, RANK_ROWS - total)
    if total <= RANK_ROWS or (typed < RARE and not prefix):
        return any_of(group), min(total, RANK_ROWS + 1)
    return group[0], typed


def _count(conn: sqlite3.Connection, match: str, most: int) -> int:
    """How many rows match, counted only up to `most` + 1 (a common term is not read to its end)."""
    sql = "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT ?)"
    return int(conn.execute(sql, (match, most + 1)).fetchone()[0])


def _windowed(conn: sqlite3.Connection, match: str) -> Plan:
    probe = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"
    row = conn.execute(probe, (match, RANK_ROWS)).fetchone()
    return Plan(match, EVERY if row is None else int(row[0]) + 1)


class Condition(NamedTuple):
    """A filter as SQL over `records r`, its parameters, and, for a filter that keeps a small set of rows
    (a tag, a path), the query of that set's rowids: a text search ranks within it without the records."""

    sql: str
    values: list[Any]
    rows: str = ""


def _filter_sql(conn: sqlite3.Connection, item: Filter) -> Condition:
    name, value = item.name, item.value
    if name == "kind":
        return Condition("r.kind = ?", [value.lower()])
    if name in ("type", "severity", "status"):
        return Condition(f"lower(r.{name}) = lower(?)", [value])
    if name == "id":
        return Condition("r.id = ? COLLATE NOCASE", [value])
    if name == "version":  # 1.2 is release 1.2 and every 1.2.x; the version is in the release's id
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition = "r.kind = 'release' AND (r.id = ? COLLATE NOCASE OR r.id LIKE ? ESCAPE '\\')"
        return Condition(condition, [f"REL-{value}", f"REL-{escaped}.%"])
    if name == "tag":
        return _set_sql(conn, "record_tags", "tag = ?", [value.upper()])
    if name == "file":
        return _set_sql(conn, "record_files", *path_condition(value))
    if name == "since":
        return Condition("r.date >= ?", [value])
    if name == "until":
        return Condition("r.date != '' AND r.date < ?", [_after(value)])
    if name == "open":
        wanted = value.lower() in ("true", "yes", "1")
        return Condition("r.open_items > 0" if wanted else "r.open_items = 0", [])
    return Condition(f"r.confidence {item.op} ?", [int(value)])


def _set_sql(conn: sqlite3.Connection, table: str, condition: str, values: list[Any]) -> Condition:
    """Records with a row in `table` meeting `condition`. A small set is read once, by index, and leads;
    a large one is checked record by record, so that a scan newest first can stop at the first few."""
    probe = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {condition} LIMIT ?)"
    if conn.execute(probe, (*values, SMALL_SET + 1)).fetchone()[0] <= SMALL_SET:
        rows = f"SELECT ref FROM {table} WHERE {condition}"
        return Condition(f"r.rowid IN ({rows})", values, rows)
    return Condition(f"EXISTS (SELECT 1 FROM {table} WHERE ref = r.rowid AND ({condition}))", values)


def path_condition(value: str) -> tuple[str, list[Any]]:
    """This path, a path under it, or a folder (`src/auth/`) that holds it; as index ranges and exact
    values, so SQLite reads only the matching paths."""
    path = value.strip("/")
    folders = [path[: i + 1] for i, char in enumerate(path) if char == "/"]
    either = f" OR path IN ({', '.join('?' * len(folders))})" if folders else ""
    return f"path = ? OR (path >= ? AND path < ?){either}", [path, path + "/", path + "0", *folders]  # "0" follows "/"


def _after(value: str) -> str:
    """The first date after the period `value` names: 2026 -> 2027, 2026-02 -> 2026-03, a day -> next day."""
    if value in ("9999", "9999-12", "9999-12-31"):
        return value + "~"  # no period follows; "~" sorts after every date and time that starts with `value`
    if len(value) == 4:
        return str(int(value) + 1)
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:])
        return f"{year + month // 12}-{month % 12 + 1:02d}"
    return (date.fromisoformat(value) + timedelta(days=1)).isoformat()


# Records of one date (two entries added within a minute, ADRs of one day) in an order of their own, not in
# the order the index happened to read their files: that changes whenever one of the files is read again.
NEWEST_FIRST = "r.date DESC, r.id DESC, r.path, r.start_line"


def run_search(conn: sqlite3.Connection, query: Query, limit: int = 20) -> list[Hit]:
    """The best `limit` records for `query`: ranked by BM25 when it has text (equal scores newest first,
    then by id), else newest first (then by id). A record whose id a plain query names outright
    (`INC-2024-001`), or whose title is the whole query, comes first."""
    conditions = [_filter_sql(conn, item) for item in query.filters]
    where = " AND ".join(["NOT r.shadowed", *(c.sql for c in conditions)])
    params = [value for c in conditions for value in c.values]
    sets = [(c.rows, c.values) for c in conditions if c.rows]  # filters that keep small sets of rows
    pool = max(limit, TITLE_POOL) if query.plain else limit
    try:
        plan = plan_match(conn, query)
        if plan.match is None:
            sql = f"SELECT r.envelope, 0.0, '' FROM records r WHERE {where} ORDER BY {NEWEST_FIRST} LIMIT ?"
            rows = conn.execute(sql, (*params, limit)).fetchall()
        else:
            if len(sets) == len(query.filters):
                top = _top_in_sets(conn, plan, sets, pool)
            else:
                top = _top_filtered(conn, plan, where, params, pool)
            rows = _hydrated(conn, plan.match, _title_first(conn, query, _ties_by_date(conn, top))[:limit])
        named = _named(conn, query, where, params)
    except sqlite3.OperationalError as exc:
        from whylog.index.query import QueryError

        raise QueryError(f"the index could not run this query ({exc})", query.text, 1) from None
    hits = [Hit(json.loads(env), -float(score), snippet) for env, score, snippet in rows]
    return _named_first(named, hits)[:limit]


def _title_first(conn: sqlite3.Connection, query: Query, top: list[Any]) -> list[Any]:
    """Ranked rows with those titled exactly as the question first (people paste titles), at the best score."""
    text = _words(query.text)
    if not query.plain or " " not in text or not top:
        return top
    sql = f"SELECT rowid, title FROM records WHERE rowid IN ({', '.join('?' * len(top))})"
    exact = {rowid for rowid, title in conn.execute(sql, _ids(top)) if _words(title) == text}
    best = top[0][1]
    return [(row[0], best) for row in top if row[0] in exact] + [row for row in top if row[0] not in exact]


def _ties_by_date(conn: sqlite3.Connection, top: list[Any]) -> list[Any]:
    """Ranked rows with equal scores put newest first, then by id (SQL broke the tie by row id, which is
    the order the index read the files in)."""
    if len({row[1] for row in top}) == len(top):
        return top
    marks = ", ".join("?" * len(top))
    sql = f"SELECT rowid, date, id, path, start_line FROM records r WHERE rowid IN ({marks})"
    keys = {row[0]: row[1:] for row in conn.execute(sql, _ids(top))}
    missing = ("", "", "", 0)
    ordered = sorted(top, key=lambda row: keys.get(row[0], missing)[2:])  # sorts are stable: the last decides
    ordered.sort(key=lambda row: keys.get(row[0], missing)[:2], reverse=True)
    return sorted(ordered, key=lambda row: row[1])


_ID = re.compile(r"[A-Za-z]+-\w+(?:-\w+)*")


def _named(conn: sqlite3.Connection, query: Query, where: str, params: list[Any]) -> list[dict[str, Any]]:
    """Envelopes of the records (passing the filters) whose ids a plain query gives as terms."""
    if not query.plain:
        return []
    sql = f"SELECT r.envelope FROM records r WHERE r.id = ? COLLATE NOCASE AND {where} LIMIT 1"
    found = (conn.execute(sql, (term, *params)).fetchone() for term in query.terms if _ID.fullmatch(term))
    return [json.loads(row[0]) for row in found if row is not None]


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _named_first(named: list[dict[str, Any]], hits: list[Hit]) -> list[Hit]:
    if not named:
        return hits
    ranked = {hit.envelope["id"]: hit for hit in hits}
    best = max((hit.score for hit in hits), default=0.0)
    unique = list({env["id"]: env for env in named}.values())
    first = [Hit(env, best, ranked[env["id"]].snippet if env["id"] in ranked else "") for env in unique]
    ids = {env["id"] for env in unique}
    return first + [hit for hit in hits if hit.envelope["id"] not in ids]


_SCORE = f"bm25(fts, {TITLE_WEIGHT}, 1.0)"


def _score(plan: Plan, rowid: str) -> tuple[str, list[str]]:
    """The score SQL (lower is better) and its parameters: BM25, scaled for a question by the share of its
    terms a row holds, so rows holding more of them come first without long rows winning on coverage
    alone. Each term's rows are read once into a set (the plan keeps only terms with few rows)."""
    if not plan.terms:
        return _SCORE, []
    covered = " + ".join(f"({rowid} IN (SELECT rowid FROM fts WHERE fts MATCH ?))" for _ in plan.terms)
    return f"{_SCORE} * ({covered}) / {len(plan.terms)}.0", list(plan.terms)


def _top_filtered(conn: sqlite3.Connection, plan: Plan, where: str, params: list[Any], limit: int) -> list[Any]:
    """Ranked matches that pass the filters. When the text is too common to rank every match, the matches
    among the RANK_ROWS passing records indexed last are ranked; if too few of those match, every match is
    read from the last indexed back instead, unranked (the filters decide)."""
    joined = f"FROM fts JOIN records r ON r.rowid = fts.rowid WHERE fts MATCH ? AND {where}"
    if plan.min_rowid == EVERY:
        score, terms = _score(plan, "fts.rowid")
        sql = f"SELECT fts.rowid, {score} AS score {joined} ORDER BY score, fts.rowid DESC LIMIT ?"
        return conn.execute(sql, (*terms, plan.match, *params, limit)).fetchall()
    edge = f"SELECT r.rowid FROM records r WHERE {where} ORDER BY r.rowid DESC LIMIT 1 OFFSET ?"
    row = conn.execute(edge, (*params, RANK_ROWS)).fetchone()
    low = 0 if row is None else int(row[0])
    subset = f"SELECT r.rowid FROM records r WHERE r.rowid >= ? AND {where}"
    sql = (
        f"SELECT rowid, {_SCORE} AS score FROM fts WHERE fts MATCH ? AND rowid >= ? AND +rowid IN ({subset}) "
        "ORDER BY score, rowid DESC LIMIT ?"
    )
    rows = conn.execute(sql, (plan.match, low, low, *params, limit)).fetchall()
    if len(rows) == limit or low == 0:
        return rows
    newest = f"SELECT fts.rowid, 0.0 {joined} ORDER BY fts.rowid DESC LIMIT ?"
    return conn.execute(newest, (plan.match, *params, limit)).fetchall()


def _top_in_sets(conn: sqlite3.Connection, plan: Plan, sets: list[tuple[str, list[Any]]], limit: int) -> list[Any]:
    """Ranked matches in every small set of rows (filters on tags and paths only), found without reading
    the records. A text too common to rank whole is ranked over the newest RANK_ROWS rows of the first
    set (read from its index); when fewer than `limit` of those match, over every row of the sets."""
    if plan.min_rowid == EVERY or not sets:
        return _top(conn, plan, limit, sets)
    subquery, values = sets[0]
    edge = f"SELECT ref FROM ({subquery}) ORDER BY ref DESC LIMIT 1 OFFSET ?"
    row = conn.execute(edge, (*values, RANK_ROWS)).fetchone()
    every = Plan(plan.match, EVERY, plan.terms)
    if row is None:
        return _top(conn, every, limit, sets)
    top = _top(conn, Plan(plan.match, int(row[0]), plan.terms), limit, sets)
    return top if len(top) == limit else _top(conn, every, limit, sets)


def _top(conn: sqlite3.Connection, plan: Plan, limit: int, sets: Sequence[tuple[str, list[Any]]] = ()) -> list[Any]:
    """Rank on the full-text table alone (a join with the records would double the cost per ranked row),
    keeping rows in every small set of `sets`, and drop shadowed records afterwards, asking for more
    when too many were dropped."""
    score, terms = _score(plan, "rowid")
    within = "".join(f" AND +rowid IN ({subquery})" for subquery, _ in sets)
    values = [value for _, set_values in sets for value in set_values]
    sql = f"SELECT rowid, {score} AS s FROM fts WHERE fts MATCH ? AND rowid >= ?{within} ORDER BY s, rowid DESC LIMIT ?"
    fetch = limit + 8
    while True:
        rows = conn.execute(sql, (*terms, plan.match, plan.min_rowid, *values, fetch)).fetchall()
        marks = ", ".join("?" * len(rows))
        shadowed = f"SELECT rowid FROM records WHERE rowid IN ({marks}) AND shadowed"
        hidden = {row[0] for row in conn.execute(shadowed, _ids(rows))}
        kept = [row for row in rows if row[0] not in hidden]
        if len(kept) >= limit or len(rows) < fetch:
            return kept[:limit]
        fetch *= 4


def _ids(rows: list[Any]) -> list[int]:
    return [int(row[0]) for row in rows]


def text_envelope(path: str, start_line: int, end_line: int, title: str) -> dict[str, Any]:
    """A hit on unstructured text, in the envelope's shape: kind "text", the id `FILE:START-END` (what
    `whylog show` takes), its first line as title, its source; no date, tags, files, links or fields.
    Search hits and `show` add the span's "text" (as readers see it: mojibake repaired)."""
    return {
        "id": f"{path}:{start_line}-{end_line}",
        "kind": TEXT_KIND,
        "title": title,
        "date": "",
        "tags": [],
        "files": [],
        "links": [],
        "source": {"path": path, "start_line": start_line, "end_line": end_line},
        "fields": {},
    }


def _hydrated(conn: sqlite3.Connection, match: str, top: list[Any]) -> list[tuple[str, float, str]]:
    """Envelopes and snippets for the ranked rows only (SQLite would build both for every ranked row)."""
    if not top:
        return []
    marks = ", ".join("?" * len(top))
    envelopes = dict(conn.execute(f"SELECT rowid, envelope FROM records WHERE rowid IN ({marks})", _ids(top)))
    texts = [rowid for rowid in _ids(top) if rowid < 0]
    if texts:
        spans = (
            f"SELECT rowid, path, start_line, end_line, title FROM spans WHERE rowid IN ({', '.join('?' * len(texts))})"
        )
        bodies = dict(
            conn.execute(f"SELECT rowid, body FROM fts WHERE rowid IN ({', '.join('?' * len(texts))})", texts)
        )
        for rowid, *span in conn.execute(spans, texts):
            envelopes[rowid] = json.dumps({**text_envelope(*span), "text": bodies.get(rowid, "")})
    snippet = f"SELECT rowid, snippet(fts, 1, '\x02', '\x03', '…', {SNIPPET_TOKENS}) FROM fts WHERE fts MATCH ?"
    # FTS5 looks each rowid up in every term's list again (merging a prefix term's lists each time): one
    # scan of the range the ranked rows span is cheaper, and bounded, as the plan ranked at most about
    # RANK_ROWS matches or the newest ones.
    ids = _ids(top)
    sql = f"{snippet} AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})"
    snippets = dict(conn.execute(sql, (match, min(ids), max(ids), *ids)))
    return [(envelopes[rowid], score, snippets.get(rowid, "")) for rowid, score in top if rowid in envelopes]
