"""Search on a generated corpus (bench/synthetic.py, 1,000 records, fixed seed): queries whose
answers are read straight from the generated files come back first, and every filter returns exactly the
records whose envelopes match it, in the numbers the generator's manifest gives."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bench.synthetic import write_corpus

from whylog.index.query import parse_query
from whylog.index.search import run_search
from whylog.index.sqlite import open_index, rebuild
from whylog.repo import Config

SIZE, SEED = 1000, 7
EVERYTHING = 1_000_000
Envelope = dict[str, Any]


@dataclass(frozen=True)
class Corpus:
    root: Path
    manifest: dict[str, Any]

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def logs(self) -> list[Path]:
        return sorted(self.root.glob("SYSTEM_LOG*.md"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    out = tmp_path_factory.mktemp("corpus") / "repo"
    return Corpus(out, write_corpus(out, SIZE, SEED).as_json())


@pytest.fixture(scope="module")
def conn(corpus: Corpus) -> Iterator[sqlite3.Connection]:
    config = Config(corpus.root)
    connection = open_index(config)
    rebuild(connection, config)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def universe(conn: sqlite3.Connection) -> list[Envelope]:
    """Every record the index lists (the query without text or filters)."""
    return search(conn, "", EVERYTHING)


def search(conn: sqlite3.Connection, text: str, limit: int = 10) -> list[Envelope]:
    return [hit.envelope for hit in run_search(conn, parse_query(text), limit)]


def ids(envelopes: list[Envelope]) -> list[str]:
    return [str(e["id"]) for e in envelopes]


# ---- answers read from the generated files ------------------------------------------------------------

HEADING = re.compile(r"^## (\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}) UTC - (.+)$", re.M)


def entries(corpus: Corpus) -> list[tuple[str, str]]:
    """(id, title) of the system-log entries whose minute no other entry shares (those get -2 ids)."""
    found = [(f"LOG-{d}-{h}{m}", title) for log in corpus.logs() for d, h, m, title in HEADING.findall(log.read_text())]
    minutes = Counter(i for i, _ in found)
    return [(i, title) for i, title in found if minutes[i] == 1]


def incidents(corpus: Corpus) -> list[tuple[str, str]]:
    block = r"^\*\*Incident ID:\*\* (INC-\d{4}-\d{3})\n(?:\*\*(?!Title)[^\n]*\n)*\*\*Title:\*\* (.+)$"
    return re.findall(block, corpus.text("INCIDENTS.md"), re.M)


def decisions(corpus: Corpus) -> list[tuple[str, str]]:
    files = sorted((corpus.root / "docs/adr").glob("[0-9]*.md"))
    heads = (p.read_text(encoding="utf-8").splitlines()[0] for p in files)
    return [(m.group(1), m.group(2)) for m in (re.match(r"# (ADR-\d+): (.+)", h) for h in heads) if m]


def stories(corpus: Corpus) -> list[tuple[str, str]]:
    found = re.findall(r"^### (\d{4}-\d{2}-\d{2}): (.+)$", corpus.text("DEVLOG.md"), re.M)
    days = Counter(day for day, _ in found)
    return [(f"STORY-{day}", title) for day, title in found if days[day] == 1]


def spread(items: list[tuple[str, str]], count: int = 5) -> list[tuple[str, str]]:
    """`count` items with a title no other item has, from across the list (first, last and between), so no
    one part of a file is favoured."""
    titles = Counter(title for _, title in items)
    items = [item for item in items if titles[item[1]] == 1]
    assert len(items) >= count
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


# ---- known answers first ------------------------------------------------------------------------------


def test_an_entry_title_finds_that_entry_first(conn: sqlite3.Connection, corpus: Corpus) -> None:
    for record_id, title in spread(entries(corpus), 8):
        assert ids(search(conn, title, 3))[0] == record_id, title


def test_an_incident_title_or_id_finds_that_incident_first(conn: sqlite3.Connection, corpus: Corpus) -> None:
    for record_id, title in spread(incidents(corpus)):
        assert ids(search(conn, title, 3))[0] == record_id, title
        assert ids(search(conn, record_id, 3))[0] == record_id
        assert ids(search(conn, f"what happened in {record_id.lower()}?", 3))[0] == record_id


def test_an_adr_title_or_id_finds_that_decision_first(conn: sqlite3.Connection, corpus: Corpus) -> None:
    for record_id, title in spread(decisions(corpus)):
        first = search(conn, title, 3)[0]
        assert (first["id"], first["kind"], first["source"]["path"][:9]) == (record_id, "decision", "docs/adr/")
        assert ids(search(conn, record_id, 3))[0] == record_id


def test_a_story_title_finds_that_story_first(conn: sqlite3.Connection, corpus: Corpus) -> None:
    for record_id, title in spread(stories(corpus)):
        assert ids(search(conn, title, 3))[0] == record_id, title


def test_a_number_written_once_in_the_corpus_finds_its_entry_alone(conn: sqlite3.Connection, corpus: Corpus) -> None:
    files = (p for p in corpus.root.rglob("*") if p.is_file() and ".whylog" not in p.parts)
    counts = Counter(_numbers("\n".join(p.read_text(encoding="utf-8") for p in files)))
    checked = 0
    for record_id, _ in entries(corpus)[:200]:
        once = [n for n in _numbers(_entry_text(corpus, record_id)) if counts[n] == 1]
        if once:
            assert ids(search(conn, once[0])) == [record_id], once[0]
            checked += 1
    assert checked >= 5


def _numbers(text: str) -> list[str]:
    """Numbers of 4 to 6 digits that cannot be a year or an hhmm (entry ids hold those: LOG-...-1126)."""
    found = re.findall(r"(?<![\w.-])\d{4,6}(?![\w.-])", text)
    return [n for n in found if len(n) > 4 or (int(n[:2]) > 23 and not n.startswith(("19", "20"))) or int(n[2:]) > 59]


def _entry_text(corpus: Corpus, record_id: str) -> str:
    day, hhmm = record_id[4:14], record_id[15:]
    head = f"## {day} {hhmm[:2]}:{hhmm[2:]} UTC - "
    for log in corpus.logs():
        text = log.read_text(encoding="utf-8")
        if head in text:
            return text.split(head, 1)[1].split("\n## ", 1)[0]
    raise AssertionError(f"no heading {head!r}")


@pytest.mark.parametrize("phrase", ["connection pool exhausted", "deadlock detected", "circuit breaker"])
def test_a_phrase_finds_only_records_holding_those_words_in_order(conn: sqlite3.Connection, phrase: str) -> None:
    hits = search(conn, f'"{phrase}"', EVERYTHING)
    words = r"\W+".join(phrase.split())
    assert hits and all(re.search(words, json.dumps(h, ensure_ascii=False), re.I) for h in hits)


@pytest.mark.parametrize("term", ["latency", "regression"])
def test_a_term_in_most_records_still_gives_a_full_page(
    conn: sqlite3.Connection, universe: list[Envelope], term: str
) -> None:
    holding = [e for e in universe if term in json.dumps(e).lower()]
    assert len(holding) > len(universe) / 4  # the generator makes these common on purpose
    hits = search(conn, term, 20)
    assert len(hits) == 20 and all(term in json.dumps(h).lower() for h in hits)


def test_a_question_of_common_words_ranks_records_holding_all_of_them(conn: sqlite3.Connection) -> None:
    hits = search(conn, "why did the latency regression come back after the rollout?", 5)
    assert hits and all(all(w in json.dumps(h).lower() for w in ("latency", "regression", "rollout")) for h in hits)


# ---- filters: exactly the matching records ------------------------------------------------------------


def _fields(env: Envelope) -> dict[str, Any]:
    fields: dict[str, Any] = env["fields"]
    return fields


def _paths(env: Envelope) -> list[str]:
    paths = [f["path"] for f in env["files"]]
    if env["kind"] == "change":
        paths += [f["path"] for item in _fields(env)["items"] for f in item["files"]]
    return [p if p.endswith("/") else p.strip("/") for p in paths]


def _names(env: Envelope, path: str) -> bool:
    return any(p == path or p.startswith(path + "/") or (p.endswith("/") and path.startswith(p)) for p in _paths(env))


def _open(env: Envelope) -> bool:
    """Open prevention or action items, objectives, blockers, unresolved change items or known issues."""
    f, kind = _fields(env), env["kind"]
    if kind == "entry":
        return any(not p["done"] for p in f["prevention"])
    if kind == "incident":
        return any(not a["done"] for a in f["action_items"])
    if kind == "context":
        return any(not o["done"] for o in f["objectives"]) or any(r["kind"] == "Blocker" for r in f["risks"])
    if kind == "change":
        return any(i["status"] not in ("RESOLVED", "ALREADY RESOLVED") for i in f["items"])
    if kind == "session":
        return any(not i["resolved"] for i in f["known_issues"])
    return False


def _confidence(env: Envelope) -> int | None:
    value = _fields(env).get("confidence") if env["kind"] == "entry" else None
    return None if value is None else int(value["value"])


FILTERS: list[tuple[str, Callable[[Envelope], bool]]] = [
    ("kind:incident", lambda e: e["kind"] == "incident"),
    ("kind:decision", lambda e: e["kind"] == "decision"),
    ('type:"bug fix"', lambda e: e["kind"] == "entry" and _fields(e)["type"].lower() == "bug fix"),
    ("type:Incident", lambda e: e["kind"] == "entry" and _fields(e)["type"] == "Incident"),
    ("tag:SECURITY", lambda e: "SECURITY" in {t.upper() for t in e["tags"]}),
    ("tag:rollback", lambda e: "ROLLBACK" in {t.upper() for t in e["tags"]}),
    ("severity:high", lambda e: e["kind"] == "incident" and _fields(e)["severity"].lower() == "high"),
    ("file:backend/auth", lambda e: _names(e, "backend/auth")),
    ("file:Dockerfile", lambda e: _names(e, "Dockerfile")),
    ("since:2026-01", lambda e: e["date"] >= "2026-01"),
    ("until:2019-06", lambda e: e["date"] != "" and e["date"] < "2019-07"),
    ("since:2020-01 until:2020-03", lambda e: "2020-01" <= e["date"] < "2020-04"),
    ("confidence<80", lambda e: (c := _confidence(e)) is not None and c < 80),
    ("confidence>=95 kind:entry", lambda e: (c := _confidence(e)) is not None and c >= 95),
    ("open:true", _open),
    ("open:false kind:incident", lambda e: e["kind"] == "incident" and not _open(e)),
    (
        "kind:incident severity:critical open:true",
        lambda e: e["kind"] == "incident" and _open(e) and _fields(e)["severity"] == "Critical",
    ),
]


@pytest.mark.parametrize("query, wanted", FILTERS, ids=[q for q, _ in FILTERS])
def test_a_filter_returns_exactly_the_records_that_match_it(
    conn: sqlite3.Connection, universe: list[Envelope], query: str, wanted: Callable[[Envelope], bool]
) -> None:
    expected = {e["id"] for e in universe if wanted(e)}
    found = search(conn, query, EVERYTHING)
    assert expected and set(ids(found)) == expected
    assert len(found) == len(expected)  # each record once
    dates = [e["date"] for e in found]
    assert dates == sorted(dates, reverse=True)  # filters alone: newest first


@pytest.mark.parametrize(
    "query, key",
    [
        ("kind:entry", "syslog"),
        ("kind:incident", "incident"),
        ("kind:decision", "adr"),
        ("kind:story", "devlog"),
        ("kind:session", "session"),
        ("kind:change", "change"),
    ],
)
def test_kind_counts_match_the_manifest(conn: sqlite3.Connection, corpus: Corpus, query: str, key: str) -> None:
    assert len(search(conn, query, EVERYTHING)) == corpus.manifest["records"][key]


@pytest.mark.parametrize(
    "kind", ["Implementation", "Bug Fix", "Architecture Change", "Configuration", "Documentation", "Incident"]
)
def test_type_counts_match_the_manifest(conn: sqlite3.Connection, corpus: Corpus, kind: str) -> None:
    assert len(search(conn, f'type:"{kind}"', EVERYTHING)) == corpus.manifest["syslog_types"][kind]


def test_severity_and_confidence_counts_match_the_files(conn: sqlite3.Connection, corpus: Corpus) -> None:
    high = corpus.text("INCIDENTS.md").count("\n**Severity:** High\n")
    assert len(search(conn, "severity:high", EVERYTHING)) == high
    logs = "".join(log.read_text(encoding="utf-8") for log in corpus.logs())
    low = [int(v) for v in re.findall(r"^\*\*Confidence:\*\* (\d+)%", logs, re.M) if int(v) < 80]
    assert len(search(conn, "confidence<80", EVERYTHING)) == len(low) > 0


def test_open_true_and_false_split_every_record(conn: sqlite3.Connection, universe: list[Envelope]) -> None:
    split = len(search(conn, "open:true", EVERYTHING)) + len(search(conn, "open:false", EVERYTHING))
    assert split == len(universe)


@pytest.mark.parametrize(
    "query, kind, word",
    [
        ("kind:incident latency", "incident", "latency"),
        ('type:"bug fix" deadlock', "entry", "deadlock"),
        ("tag:PERFORMANCE throughput", "entry", "throughput"),
        ("kind:decision since:2024-01 cache", "decision", "cache"),
    ],
)
def test_text_with_filters_ranks_only_matching_records(
    conn: sqlite3.Connection, query: str, kind: str, word: str
) -> None:
    hits = search(conn, query, 20)
    assert hits and all(h["kind"] == kind and word in json.dumps(h).lower() for h in hits)
