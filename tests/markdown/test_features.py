from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, GOLDEN, check_golden
from tests.markdown.corpus import corpus  # noqa: F401  (fixture)
from tests.strategies.features import features
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.writers import render
from whylog.markdown.writers.features import insert_feature, next_feature_id, render_feature
from whylog.model import FeatureFields, Record
from whylog.model.errors import ParseError, WriteError

EXAMPLE = EXAMPLES / "feature_list.json"


def fields_of(record: Record) -> FeatureFields:
    assert isinstance(record.fields, FeatureFields)
    return record.fields


def test_example_feature_list(update_goldens: bool) -> None:
    doc = read_path(str(EXAMPLE), display="examples/feature_list.json")
    assert doc.family == "features"
    assert [r.id for r in doc.records] == [f"FEAT-{n}" for n in range(1, 13)]
    assert sum(fields_of(r).passes for r in doc.records) == 6
    first = doc.records[0]
    assert first.title == fields_of(first).description
    assert first.title.startswith("whylog parse FILE") and fields_of(first).category == "core"
    assert (first.source.start_line, first.source.end_line) == (2, 13)
    assert doc.diagnostics == [] and doc.unstructured == []
    check_golden(document_json(doc), GOLDEN / "examples" / "feature_list.json", update_goldens)


def test_each_feature_is_its_canonical_text() -> None:
    doc = read_path(str(EXAMPLE))
    for record in doc.records:
        assert record.source is not None
        written = [doc.lines.line(n) for n in range(record.source.start_line, record.source.end_line + 1)]
        written[-1] = written[-1].removesuffix(",")
        assert written == ["  " + line for line in render_feature(record)]


def test_generated_feature_list(corpus: Path) -> None:  # noqa: F811
    doc = read_path(str(corpus / "feature_list.json"))
    assert doc.records and doc.diagnostics == [] and doc.unstructured == []
    assert [r.id for r in doc.records] == [f"FEAT-{n}" for n in range(1, len(doc.records) + 1)]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('[\n  {"id": 1}\n  {"id": 2}\n]\n', 3, "column 3: expected ',' or ']'"),
        ('[\n  {"id": 1,}\n]\n', 2, "column 12: expected property name"),
        ('[\n  {"id": 1},\n]\n', 3, "column 1: expected value"),
        ('[\n  {"id": 1}\n', 3, "column 1: expected ',' or ']'"),
        ('{"features": []}\n{}', 2, "expected the end of the file"),
        ("", 1, "the file is empty"),
        ('"one feature"', 1, "expected '['"),
        ("[" * 100_000, 1, "nested too deeply"),
        ("[" + "9" * 5000 + "]", 1, "number is too long"),
    ],
)
def test_invalid_json_is_a_parse_error_with_line_and_column(text: str, line: int, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_text(text, "feature_list.json")
    assert caught.value.line == line and caught.value.path == "feature_list.json"
    assert expected in caught.value.message
    assert caught.value.hint


def test_elements_of_the_wrong_shape_are_reported_and_skipped() -> None:
    text = (
        "[\n"
        '  {"id": 1, "description": "ok", "steps": [], "passes": true},\n'
        "  42,\n"
        '  {"id": 3, "passes": "yes"},\n'
        '  {"id": 4, "steps": ["a", 5]},\n'
        '  {"id": true},\n'
        '  {"description": "no id", "owner": "ana"}\n'
        "]\n"
    )
    doc = read_text(text, "feature_list.json")
    assert [r.id for r in doc.records] == ["FEAT-1", "FEAT-6"]
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [
        ("PRS060", 3),
        ("PRS061", 4),
        ("PRS061", 5),
        ("PRS061", 6),
        ("PRS062", 7),
    ]
    assert "'passes' is a string; expected true or false" in doc.diagnostics[1].message
    assert "'steps' is an array holding an integer" in doc.diagnostics[2].message
    assert [(u.start_line, u.end_line) for u in doc.unstructured] == [(3, 6)]


def test_duplicate_ids_get_suffixes() -> None:
    doc = read_text('[{"id": 2}, {"id": 2}]', "feature_list.json")
    assert [r.id for r in doc.records] == ["FEAT-2", "FEAT-2-2"]


def test_insert_changes_only_the_last_closing_line() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    number = next_feature_id(text)
    assert number == 13
    fields = FeatureFields("query", "whylog search answers in milliseconds", ("Search a 100,000 record corpus",), False)
    record = Record(f"FEAT-{number}", "feature", fields.description, "", fields)
    new = insert_feature(text, record)
    old_lines, new_lines = text.splitlines(), new.splitlines()
    closing = len(old_lines) - 1  # the last element's `  }`, just above `]`
    assert new_lines[: closing - 1] == old_lines[: closing - 1]
    assert new_lines[closing - 1] == old_lines[closing - 1] + ","
    assert new_lines[-1] == old_lines[-1] == "]"
    doc = read_text(new, "feature_list.json")
    assert doc.records[-1].without_source() == record and doc.diagnostics == []
    assert [r.without_source() for r in doc.records[:-1]] == [
        r.without_source() for r in read_text(text, "f.json").records
    ]
    with pytest.raises(WriteError, match="feature id 13 is taken"):
        insert_feature(new, record)


@pytest.mark.parametrize("text", ["[]\n", "[\n]\n", "[\r\n]\r\n", '[{"id": 1}]'])
def test_insert_into_empty_and_compact_lists(text: str) -> None:
    record = Record("FEAT-7", "feature", "Seven", "", FeatureFields("core", "Seven", (), True))
    doc = read_text(insert_feature(text, record), "feature_list.json")
    assert doc.records[-1].without_source() == record
    assert doc.unstructured == []


@settings(max_examples=100, deadline=None)
@given(features())
def test_feature_round_trip(record: Record) -> None:
    doc = read_text(render(record), "feature.json")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == [] and doc.diagnostics == []


@settings(max_examples=50, deadline=None)
@given(st.lists(features(), min_size=1, max_size=4, unique_by=lambda r: r.id))
def test_features_appended_one_by_one_read_back_in_order(records: list[Record]) -> None:
    text = "[]\n"
    for record in records:
        text = insert_feature(text, record)
    doc = read_text(text, "feature_list.json")
    assert [r.without_source() for r in doc.records] == records
    assert doc.diagnostics == [] and doc.unstructured == []


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_only_ever_raises_parse_error(text: str) -> None:
    try:
        read_text(text, "feature_list.json")
    except ParseError:
        pass


def test_a_feature_id_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(WriteError, match="not FEAT-<number>"):
        render_feature(Record("FEAT-x", "feature", "x", "", FeatureFields()))
