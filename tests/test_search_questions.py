"""Plain questions about the seeds' content find their record in the top three; the search command's
grammar errors, JSON and text output through the CLI."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import SEED_PLACES, copy_seeds
from whylog.cli import main
from whylog.index.query import parse_query
from whylog.index.search import run_search
from whylog.index.sqlite import open_index, sync
from whylog.model import ENVELOPE_KEYS
from whylog.repo import Config

PLACES = SEED_PLACES
CHANGE = "CHG-2025-12-15-production-blockers-resolved-week-1-2-complete"

# (question, the records any one of which answers it); each must come in the top three
QUESTIONS = [
    # SYSTEM_LOG.md (the system-log template's five entries)
    ("why did we move auth out of the monolith?", {"LOG-2026-03-17-1645"}),
    ("what happened last time the connection pool ran out?", {"LOG-2026-03-18-0915", "INC-2024-001"}),
    ("when did the database crash?", {"LOG-2026-03-15-2230"}),
    ("what caused the out of memory outage?", {"LOG-2026-03-15-2230"}),
    ("why was shared_buffers reduced?", {"LOG-2026-03-15-2230"}),
    ("why is nginx running more than one worker process?", {"LOG-2026-03-16-1120"}),
    ("how do we sign the JWT tokens when users log in?", {"LOG-2026-03-19-1432"}),
    ("when was the payment service supposed to be extracted?", {"LOG-2026-03-17-1645"}),
    ("how many users were affected by the production outage?", {"LOG-2026-03-15-2230"}),
    # INCIDENTS.md
    ("why did the seeding script fail with a duplicate email?", {"INC-2024-002"}),
    ("what was the root cause of the QueuePool limit errors?", {"INC-2024-001"}),
    ("has the Faker library ever caused problems?", {"INC-2024-002"}),
    ("why did the API return 500 errors under load?", {"INC-2024-001"}),
    # DEVLOG.md: decisions, stories and the current context
    ("what did we decide about auth tokens?", {"ADR-002"}),
    ("why did we choose PostgreSQL instead of MongoDB?", {"ADR-001"}),
    ("why did we pick postgres over mongo", {"ADR-001"}),  # short forms of the title's words
    ("how do we stop two people overwriting the same task?", {"ADR-003", "STORY-2025-10-27"}),
    ("why was the websocket server leaking memory?", {"STORY-2025-10-28"}),
    ("how do clients authenticate over websockets?", {"STORY-2025-10-25"}),
    ("how did we make task search faster?", {"STORY-2025-10-19"}),
    ("why did we switch from sessions to JWT?", {"STORY-2025-10-21", "ADR-002"}),
    ("which password hashing algorithm do we use?", {"STORY-2025-10-15", "STORY-2025-10-21"}),
    ("what was in the first MVP release?", {"STORY-2025-10-09"}),
    ("what is the mobile team waiting for?", {"CTX-devlog"}),
    ("what are the known risks with websocket connection pooling?", {"CTX-devlog"}),
    ("why did we deprecate the polling endpoint?", {"STORY-2025-10-25"}),
    # docs/changes: the blockers change document
    ("why were projections failing with missing sequence numbers?", {CHANGE}),
    ("which production blockers are still not started?", {CHANGE}),
    ("how much overhead does the JSON request logging add?", {CHANGE}),
    # progress/session-006.txt
    ("what did session 6 accomplish?", {"SES-006"}),
    ("why are we on python 3.12 rather than 3.14?", {"SES-006"}),
    ("in what order do FastAPI middlewares run?", {"SES-006"}),
    ("how does the config load env files for docker and kubernetes?", {"SES-006"}),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_seeds(tmp_path_factory.mktemp("seeds"), PLACES)


@pytest.fixture(scope="module")
def conn(seeded: Path) -> Iterator[sqlite3.Connection]:
    config = Config(seeded)
    connection = open_index(config)
    sync(connection, config)
    yield connection
    connection.close()


def top_ids(conn: sqlite3.Connection, text: str, limit: int = 3) -> list[str]:
    return [str(hit.envelope["id"]) for hit in run_search(conn, parse_query(text), limit)]


def test_every_seed_record_is_indexed(conn: sqlite3.Connection) -> None:
    wanted = set().union(*(ids for _, ids in QUESTIONS))
    assert wanted <= {str(hit.envelope["id"]) for hit in run_search(conn, parse_query(""), 1000)}


@pytest.mark.parametrize("question, expected", QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_question_finds_its_record_in_the_top_three(
    conn: sqlite3.Connection, question: str, expected: set[str]
) -> None:
    found = top_ids(conn, question)
    assert expected & set(found), f"{question!r}: expected one of {sorted(expected)} in the top three, got {found}"


def test_there_are_at_least_25_questions() -> None:
    assert len(QUESTIONS) >= 25


@pytest.mark.parametrize(
    "word, form, expected",
    [
        ("crashes", "crash", "LOG-2026-03-15-2230"),  # the entry says "Crash" and "crashed"
        ("authenticated", "authent", "LOG-2026-03-19-1432"),
        ("seeded", "seeding", "INC-2024-002"),
    ],
)
def test_stemming_finds_other_forms_of_a_word(conn: sqlite3.Connection, word: str, form: str, expected: str) -> None:
    hits = run_search(conn, parse_query(word), 50)
    assert expected in [h.envelope["id"] for h in hits]
    assert all(form in json.dumps(h.envelope).lower() for h in hits)
    assert not any(word in json.dumps(h.envelope).lower() for h in hits if h.envelope["id"] == expected)


def test_stop_words_alone_still_search(conn: sqlite3.Connection) -> None:
    assert parse_query("what is this?").match is not None  # nothing but stop words: searched as given


# ---- the search command -------------------------------------------------------------------------------


def run(args: list[str]) -> tuple[int, str, str]:
    """The real entry point (with its exit-code mapping), output captured."""
    result = CliRunner().invoke(_entry, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx: click.Context) -> None:
    main(list(ctx.args))


@pytest.mark.parametrize(
    "query, column, message",
    [
        ('pool "exhausted', 6, 'a quote that is never closed; expected a closing "'),
        ("colour:red pool", 1, "unknown field 'colour'"),
        ("pool OR NOT redis", 9, "NOT right after OR needs a term between them"),
        ("(pool OR redis", 1, "'(' is never closed"),
        ("pool AND", 8, "AND at the end needs a term after it"),
        ("since:yesterday", 7, "'yesterday' is not a date"),
        ("pool ()", 7, "empty parentheses"),
    ],
)
def test_search_grammar_errors_exit_2_and_point_at_the_column(
    seeded: Path, query: str, column: int, message: str
) -> None:
    code, out, err = run(["-C", str(seeded), "search", query])
    assert (code, out) == (2, "")
    first, hint, caret = err.splitlines()
    assert first.startswith(f"whylog: error: query: column {column}: ") and message in first
    assert hint == f"  hint: {query}"
    assert caret.index("^") - len("        ") == column - 1  # the caret sits under the column


def test_search_json_has_the_envelope_score_and_snippet(seeded: Path) -> None:
    code, out, _ = run(["-C", str(seeded), "search", "--format", "json", "connection pool exhaustion"])
    assert code == 0
    hits = json.loads(out)
    assert {h["id"] for h in hits[:2]} == {"LOG-2026-03-18-0915", "INC-2024-001"}
    for hit in hits:
        assert set(hit) == {*ENVELOPE_KEYS, "score", "snippet"}
        assert isinstance(hit["score"], float) and hit["score"] > 0
        assert isinstance(hit["snippet"], str)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert "**pool**" in hits[0]["snippet"].lower() or "**connection**" in hits[0]["snippet"].lower()


def test_search_text_lists_rows_with_marked_snippets(seeded: Path) -> None:
    code, out, _ = run(["-C", str(seeded), "search", "--limit", "1", "Faker"])
    assert code == 0
    row, snippet = out.splitlines()
    assert row.split()[:2] == ["INC-2024-002", "incident"]
    assert snippet.startswith("    ") and "[Faker]" in snippet


def test_search_with_no_match_exits_1(seeded: Path) -> None:
    code, out, err = run(["-C", str(seeded), "search", "kind:incident", "zeppelin"])
    assert (code, out, err) == (1, "", "whylog: no records match\n")
