"""Plain questions find a record written with another form of their words: a short form and its long form
(postgres and PostgreSQL, k8s and Kubernetes, oom and "out of memory", ...) through query.SHORT_FORMS, and
a word that is the start of a longer one (elastic, Elasticsearch). A small repo of one decision per form,
written by the test."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from whylog.index.query import SHORT_FORMS, parse_query
from whylog.index.search import run_search
from whylog.index.sqlite import open_synced
from whylog.repo import read_config

# every record has the same words but its form, so that only its form tells it apart
ADR = """# ADR-{number:03d}: Notes on {form}

**Status:** Accepted
**Date:** 2026-02-{day:02d}

## Context

We wrote down how {form} behaves here.

## Decision

Keep it.
"""
PREFIXES = [("elastic", "Elasticsearch"), ("kafka", "KafkaConsumer lag"), ("grafan", "Grafana dashboards")]
FORMS = [form for group in SHORT_FORMS for form in group] + [written for _, written in PREFIXES]
PAIRS = [(asked, written) for group in SHORT_FORMS for asked, written in permutations(group, 2)]


def _id(form: str) -> str:
    return f"ADR-{FORMS.index(form) + 1:03d}"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forms")
    folder = root / "docs" / "adr"
    folder.mkdir(parents=True)
    for number, form in enumerate(FORMS, 1):
        text = ADR.format(number=number, form=form, day=number % 28 + 1)
        (folder / f"{number:03d}-notes.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def conn(repo: Path) -> Iterator[sqlite3.Connection]:
    connection = open_synced(read_config(repo))
    yield connection
    connection.close()


def _found(conn: sqlite3.Connection, question: str) -> list[str]:
    return [hit.envelope["id"] for hit in run_search(conn, parse_query(question), 20)]


@pytest.mark.parametrize("asked, written", PAIRS, ids=[f"{a}->{w}" for a, w in PAIRS])
def test_a_form_finds_the_record_written_with_another(conn: sqlite3.Connection, asked: str, written: str) -> None:
    assert _id(written) in _found(conn, asked)
    assert _id(written) in _found(conn, f"what do we know about {asked}?")
    assert _found(conn, f'"{asked}"') == [_id(asked)]  # a quoted phrase means only what it says


@pytest.mark.parametrize(
    "asked, written",
    [
        ("repos", "repository"),
        ("dependencies", "deps"),
        ("configs", "cfg"),
        ("databases", "db"),
        ("Load Balancers", "lb"),
    ],
)
def test_a_plural_finds_the_other_forms(conn: sqlite3.Connection, asked: str, written: str) -> None:
    assert _id(written) in _found(conn, asked)


@pytest.mark.parametrize("asked, written", PREFIXES, ids=[a for a, _ in PREFIXES])
def test_a_word_finds_the_longer_words_it_starts(conn: sqlite3.Connection, asked: str, written: str) -> None:
    assert _found(conn, asked)[:1] == [_id(written)]


def test_a_prefix_is_a_plain_question_s_only(conn: sqlite3.Connection) -> None:
    assert _found(conn, "elastic") == [_id("Elasticsearch")]
    assert _found(conn, '"elastic"') == [] and _found(conn, "elastic OR kubernetes") == [_id("kubernetes")]


def test_the_cli_answers_a_question_in_short_forms(repo: Path) -> None:
    status, out, _ = run_cli(["-C", str(repo), "search", "why did we pick postgres over mongo", "--format", "json"])
    assert status == 0
    ids = [hit["id"] for hit in json.loads(out)]
    assert {_id("postgresql"), _id("mongodb"), _id("postgres"), _id("mongo")} <= set(ids)


SINGLE = [form for form in FORMS if form.isalnum()]
WORDS = st.sampled_from(SINGLE + ["why", "did", "the", "of", "k8s*", "-oom", "AND", "(", ")", '"', "db:", "x-y"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, max_size=8))
def test_any_question_in_short_forms_finds_every_form_it_names(conn: sqlite3.Connection, words: list[str]) -> None:
    """Whatever the mix, the search runs (a valid FTS5 expression) or the grammar says why; a plain question
    finds the records written with any form of each short form it asks about."""
    from whylog.index.query import QueryError

    try:
        query = parse_query(" ".join(words))
    except QueryError:
        return
    found = {hit.envelope["id"] for hit in run_search(conn, query, 200)}
    if query.plain and '"' not in words:
        asked = [w for w in words if w in SINGLE]
        wanted = {_id(form) for word in asked for group in SHORT_FORMS if word in group for form in group}
        assert wanted <= found


def test_a_short_form_finds_its_long_form_when_that_is_too_common_to_rank_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 100,000 generated records "postgresql" is in more rows than a search ranks whole (RANK_ROWS); the
    question still finds them, ranked like any common word (over the newest RANK_ROWS matches)."""
    import whylog.index.search as search

    folder = tmp_path / "docs" / "adr"
    folder.mkdir(parents=True)
    for number in range(1, 6):
        text = ADR.format(number=number, form="PostgreSQL", day=number)
        (folder / f"{number:03d}-notes.md").write_text(text, encoding="utf-8")
    monkeypatch.setattr(search, "RANK_ROWS", 3)  # five matches: too many to rank whole
    conn = open_synced(read_config(tmp_path))
    try:
        found = [hit.envelope["id"] for hit in run_search(conn, parse_query("why did we pick postgres?"), 10)]
    finally:
        conn.close()
    assert found[:3] == ["ADR-005", "ADR-004", "ADR-003"]  # the newest RANK_ROWS, equal scores newest first
