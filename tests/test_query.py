from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whylog.index.query import Filter, QueryError, parse_query


def test_plain_question_drops_stop_words_and_ors_the_rest() -> None:
    query = parse_query("why did we move auth out of the monolith?")
    assert query.plain and query.terms == ("move", "auth", "monolith")
    # each term with the phrases that find it: a short form with the other forms of its group, another
    # word of five letters or more as a prefix too
    assert query.groups == (('"move"',), ('"auth"', '"authentication"', '"authn"'), ('"monolith"', '"monolith"*'))
    assert query.match == '"move" OR ("auth" OR "authentication" OR "authn") OR ("monolith" OR "monolith"*)'


def test_words_that_make_a_short_form_together_are_one_term() -> None:
    query = parse_query("what caused the Out Of Memory outage")
    assert query.terms == ("caused", "Out Of Memory", "outage")
    assert ('"Out Of Memory"', '"oom"', '"oomkilled"') in query.groups
    assert parse_query("dependencies of the repos").groups == (
        ('"dependencies"', '"deps"'),
        ('"repos"', '"repository"'),
    )


def test_a_phrase_a_prefix_or_an_operator_query_is_searched_as_written() -> None:
    assert parse_query('"out of memory" k8s*').match == '"out of memory" OR "k8s"*'
    assert parse_query("postgres AND mongo").match == '"postgres" AND "mongo"'
    assert parse_query("postgres AND mongo").groups == ()


def test_filters_phrases_prefixes_and_comparisons() -> None:
    query = parse_query(
        'type:"bug fix" tag:SECURITY file:src/auth since:30d confidence<80 "pool exhausted" sess*',
        today=date(2026, 11, 24),
    )
    assert query.filters == (
        Filter("type", "=", "bug fix"),
        Filter("tag", "=", "SECURITY"),
        Filter("file", "=", "src/auth"),
        Filter("since", "=", "2026-10-25"),
        Filter("confidence", "<", "80"),
    )
    assert query.match == '"pool exhausted" OR "sess"*'


def test_boolean_operators_make_a_structured_match() -> None:
    query = parse_query("pool AND (redis OR postgres) -mysql")
    assert not query.plain
    assert query.match == '"pool" AND ( "redis" OR "postgres" ) NOT "mysql"'


@pytest.mark.parametrize(
    "text, column, message",
    [
        ('pool "exhausted', 6, "never closed"),
        ("colour:red pool", 1, "unknown field 'colour'"),
        ("(pool OR redis", 1, "never closed"),
        ("pool)", 5, "without a matching"),
        ("since:yesterday", 7, "is not a date"),
        ("NOT pool", 1, "NOT needs a term"),
        ("pool OR", 7, "needs a term after it"),
        ("open:maybe", 1, "open:true or open:false"),
    ],
)
def test_errors_point_at_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert caught.value.column == column
    assert message in caught.value.message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError:
        return
    assert query.match is None or query.match.strip()
