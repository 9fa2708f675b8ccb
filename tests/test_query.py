from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whylog.query import Filter, QueryError, parse_query


def test_plain_question_drops_stop_words_and_ors_the_rest() -> None:
    query = parse_query("why did we move auth out of the monolith?")
    assert query.plain and query.terms == ("move", "auth", "monolith")
    assert query.match == '"move" OR "auth" OR "monolith"'


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
