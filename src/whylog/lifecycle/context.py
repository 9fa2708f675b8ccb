"""`context`: a brief for the start of a session, human or agent, within a token budget.

The brief holds the current context block (state, stack, standards, constraints), the open objectives,
risks and blockers, the open action items (incidents' action items, entries' prevention items), the records
relevant to the given paths (through `why`) or query (through the index), and the newest records.

Tokens are estimated as ceil(characters / 4) of the Markdown, the same on every machine. Items are filled
by rank (state, objectives, blockers, the records the paths or query name, constraints, risks, the first ten
action items, stack, standards, newest records, the other action items) and shown in section order; an item
that does not fit is left out whole. Record lines are taken strictly in their order (the named records by
relevance, then date; the newest by date, then id): once one does not fit, no later one is shown, so a short
line never stands in for a better record. Then, if room is left, the best-ranked item of the context or open
work that was left out is cut to fit, and ends with "… (cut: N more tokens, see `whylog show ID`)". The last
line states the estimated tokens and the budget.

    brief = build_brief(config, budget=800, paths=("src/auth.py",))
    print(render_markdown(brief))      # or json.dumps(brief_json(brief))
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from whylog.model import ContextFields, EntryFields, IncidentFields, Record, open_items
from whylog.repo import Config

DEFAULT_BUDGET = 2000
CHARS_PER_TOKEN = 4
ESTIMATE = "ceil(characters / 4) of the Markdown"
NEWEST = 8  # newest records offered to the brief
RELEVANT = 8  # relevant records offered per path or query
PATH_POOL = 100  # newest records naming a path that `why` looks through: a common file is named by thousands
ACTIONS = 10  # open action items ranked with the open work; the rest come after the newest records
MIN_CUT_CHARS = 60  # an item keeping less of its text than this is left out instead of cut
TITLE = "# Session brief"
SECTIONS = (
    ("context", "Current context"),
    ("objectives", "Open objectives"),
    ("risks", "Risks and blockers"),
    ("actions", "Open action items"),
    ("relevant", "Relevant records"),
    ("newest", "Newest records"),
)
CUTTABLE = ("context", "objectives", "risks", "actions")
IN_ORDER = ("relevant", "newest")  # record lines: none is taken after one that did not fit
RELEVANT_RANK = 2  # what the paths or query name: after the blockers (also rank 2), before the constraints


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the brief: its Markdown text, the record it comes from, and its fill rank (lower first)."""

    text: str
    record_id: str
    rank: int
    cut: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]
    left_out: int = 0


@dataclass(frozen=True, slots=True)
class Brief:
    sections: tuple[Section, ...]
    budget: int
    tokens: int
    left_out: int
    note: str = ""


def estimate_tokens(text: str) -> int:
    """The deterministic token estimate: ceil(characters / 4)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def build_brief(
    config: Config,
    budget: int = DEFAULT_BUDGET,
    paths: Sequence[str] = (),
    query: str | None = None,
    now: datetime | None = None,
    conn: sqlite3.Connection | None = None,
) -> Brief:
    """The brief for `config`'s repo, fitted to `budget` tokens; `conn` is the index (opened and synced
    when None). Raises QueryError for a malformed query and TargetError for a malformed path."""
    if conn is None:
        from whylog.index.sqlite import open_synced

        conn = open_synced(config)
    candidates: dict[str, list[Item]] = {key: [] for key, _ in SECTIONS}
    for item in _context_items(_search(conn, "kind:context", 1)):
        candidates[_section_of(item)].append(item)
    incidents, entries = _search(conn, "open:true kind:incident", 50), _search(conn, "open:true kind:entry", 50)
    candidates["actions"] = _action_items(incidents, entries)
    candidates["relevant"] = _relevant_items(config, conn, paths, query)
    seen = {item.record_id for item in candidates["relevant"]}
    candidates["newest"] = [item for item in _newest_items(conn) if item.record_id not in seen]
    note = f"as of {now.date().isoformat()}" if now is not None else ""
    return fit(candidates, budget, note)


def _search(conn: sqlite3.Connection, text: str, limit: int) -> list[Record]:
    from whylog.index.query import parse_query
    from whylog.index.search import run_search

    return [hit.record for hit in run_search(conn, parse_query(text), limit)]


def _section_of(item: Item) -> str:
    return {0: "context", 1: "objectives", 2: "risks", 3: "context", 4: "risks"}.get(item.rank, "context")


def _pairs(values: dict[str, str]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in values.items())


def _context_items(records: list[Record]) -> list[Item]:
    """Ranks: 0 state, 1 objectives, 2 blockers, 3 constraints, 4 risks, 6 stack, 7 standards."""
    if not records or not isinstance(records[0].fields, ContextFields):
        return []
    record, fields = records[0], records[0].fields
    items = []
    for rank, label, values in ((0, "State", fields.state), (3, "Constraints", fields.constraints)):
        if values:
            items.append(Item(f"- **{label}:** {_pairs(values)}", record.id, rank))
    items += [Item(f"- [ ] {o.text}", record.id, 1) for o in fields.objectives if not o.done]
    items += [Item(f"- [ ] {text}", record.id, 1) for what, text in open_items(record) if what == "task"]
    risks = sorted(fields.risks, key=lambda r: r.kind != "Blocker")
    items += [Item(f"- **{r.kind}:** {r.text}", record.id, 2 if r.kind == "Blocker" else 4) for r in risks]
    for rank, label, values in ((6, "Stack", fields.stack), (7, "Standards", fields.standards)):
        if values:
            items.append(Item(f"- **{label}:** {_pairs(values)}", record.id, rank))
    if fields.updated and items:
        items.insert(0, Item(f"- **Updated:** {fields.updated} (`{record.id}`)", record.id, 0))
    return items


def _action_items(incidents: list[Record], entries: list[Record]) -> list[Item]:
    """Open action items of incidents, then open prevention items of entries, newest record first: the
    first ACTIONS rank 5, the rest 10 (after the newest records), so that a long backlog leaves room."""
    items = [
        Item(f"- [ ] `{record.id}`: {text}", record.id, 5)
        for record in incidents + entries
        for _, text in open_items(record)
    ]
    return [item if n < ACTIONS else replace(item, rank=10) for n, item in enumerate(items)]


def _record_line(record: Record, extra: str = "") -> str:
    parts = [record.kind, record.date.replace("T", " ")[:16] or "undated"]
    fields = record.fields
    if isinstance(fields, EntryFields):
        if fields.type:
            parts.append(fields.type)
        if fields.confidence is not None and fields.confidence.value is not None:
            parts.append(f"confidence {fields.confidence.value}%")
    if isinstance(fields, IncidentFields) and fields.severity:
        parts.append(f"severity {fields.severity}")
    line = f"- `{record.id}` {record.title} ({', '.join(parts)})"
    return f"{line}: {extra}" if extra else line


def _relevant_items(config: Config, conn: sqlite3.Connection, paths: Sequence[str], query: str | None) -> list[Item]:
    """Records explaining each path (through `why`, over the newest PATH_POOL records naming it; newest
    first), then the best matches of the query (by relevance, then date), at RELEVANT_RANK."""
    from whylog.index.query import Filter, Query
    from whylog.index.search import run_search
    from whylog.why import explain, read_target

    items: dict[str, Item] = {}
    for path in paths:
        wanted = read_target(path, config.root)
        naming = Query(path, None, filters=(Filter("file", "=", wanted.path),))
        records = [hit.record for hit in run_search(conn, naming, PATH_POOL)]
        result = explain(config, path, records, conn)
        for match in result.matches[:RELEVANT]:
            line = _record_line(match.record, f"explains {path}")
            items.setdefault(match.record.id, Item(line, match.record.id, RELEVANT_RANK))
    if query:
        for record in _search(conn, query, RELEVANT + 1):
            if record.kind == "context":
                continue  # the brief shows it already
            line = _record_line(record, f"matches {query!r}")
            items.setdefault(record.id, Item(line, record.id, RELEVANT_RANK))
    return list(items.values())


def _newest_items(conn: sqlite3.Connection) -> list[Item]:
    """The newest records other than the context block and features (rank 9)."""
    records = [r for r in _search(conn, "", NEWEST + 2) if r.kind not in ("context", "feature")]
    return [Item(_record_line(r), r.id, 9) for r in records[:NEWEST]]


# --- fitting and rendering ----------------------------------------------------------------------------


def _footer(tokens: int, budget: int, left_out: int) -> str:
    left = f"; {left_out} item{'s' if left_out != 1 else ''} left out" if left_out else ""
    return f"_Estimated {tokens} tokens ({ESTIMATE}) of a {budget}-token budget{left}._"


def _head(note: str) -> str:
    return f"{TITLE}{f' ({note})' if note else ''}\n"


def fit(candidates: dict[str, list[Item]], budget: int, note: str = "") -> Brief:
    """Items chosen by rank until the budget's characters are spent; the Markdown stays within it."""
    total = sum(len(items) for items in candidates.values())
    room = budget * CHARS_PER_TOKEN - len(_head(note)) - len(_footer(budget, budget, total)) - 2
    titles = dict(SECTIONS)
    chosen: dict[str, list[tuple[int, Item]]] = {key: [] for key in titles}
    order = sorted(((i.rank, n, key, i) for key, items in candidates.items() for n, i in enumerate(items)), key=_key)
    skipped = []
    records_done = False
    for _, n, key, item in order:
        if key in IN_ORDER and records_done:
            continue
        frame = 1 + (0 if chosen[key] else len(titles[key]) + 5)  # newline, and the heading for a first item
        if frame + len(item.text) <= room:
            chosen[key].append((n, item))
            room -= frame + len(item.text)
        elif key in CUTTABLE:
            skipped.append((n, key, item))
        elif key in IN_ORDER:
            records_done = True
    for n, key, item in skipped:  # whole items first; then what room is left may hold a cut item
        frame = 1 + (0 if chosen[key] else len(titles[key]) + 5)
        cut = cut_item(item, room - frame)
        if cut is not None:
            chosen[key].append((n, cut))
            room -= frame + len(cut.text)
    return _assemble(candidates, chosen, budget, note)


def _key(row: tuple[int, int, str, Item]) -> tuple[int, int, int]:
    return row[0], [k for k, _ in SECTIONS].index(row[2]), row[1]


def cut_item(item: Item, room: int) -> Item | None:
    """The item cut at a word boundary to at most `room` characters, marked with what was cut; None when
    the room would keep less than MIN_CUT_CHARS of its text."""
    marker = " … (cut: {} more tokens, see `whylog show " + item.record_id + "`)"
    keep = room - len(marker) - 6  # the count of tokens has at most 6 digits more than "{}"
    if keep < MIN_CUT_CHARS:
        return None
    head = item.text[:keep]
    if " " in head:
        head = head[: head.rindex(" ")]
    rest = estimate_tokens(item.text[len(head) :])
    return replace(item, text=head.rstrip() + marker.format(rest), cut=True)


def _assemble(
    candidates: dict[str, list[Item]], chosen: dict[str, list[tuple[int, Item]]], budget: int, note: str
) -> Brief:
    sections = []
    left_out = 0
    for key, title in SECTIONS:
        shown = tuple(item for _, item in sorted(chosen[key], key=lambda pair: pair[0]))
        missing = len(candidates.get(key, [])) - len(shown)
        left_out += missing
        if shown:
            sections.append(Section(key, title, shown, missing))
    brief = Brief(tuple(sections), budget, 0, left_out, note)
    for _ in range(4):  # the footer states the tokens it is part of: settle on the fixed point
        tokens = estimate_tokens(render_markdown(brief))
        if tokens == brief.tokens:
            break
        brief = replace(brief, tokens=tokens)
    return brief


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown, ready to paste into an agent; its last line states tokens and budget."""
    parts = [_head(brief.note)]
    for section in brief.sections:
        parts.append(f"\n## {section.title}\n")
        parts += [item.text + "\n" for item in section.items]
    parts.append("\n" + _footer(brief.tokens, brief.budget, brief.left_out) + "\n")
    return "".join(parts)


def brief_json(brief: Brief) -> dict[str, Any]:
    """The same sections as JSON: key, title, items (id, text, cut) and how many items were left out."""
    sections = [
        {
            "key": s.key,
            "title": s.title,
            "items": [{"id": i.record_id, "text": i.text, "cut": i.cut} for i in s.items],
            "left_out": s.left_out,
        }
        for s in brief.sections
    ]
    return {
        "budget": brief.budget,
        "tokens": brief.tokens,
        "estimate": ESTIMATE,
        "left_out": brief.left_out,
        "sections": sections,
    }
