from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.conftest import EXAMPLES, GOLDEN, check_golden
from tests.markdown.c1k import c1k_path
from tests.markdown.spans import unaccounted_lines
from tests.strategies.adr import decisions
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.writers import render
from whylog.model import Link

EXAMPLE_ADRS = sorted((EXAMPLES / "docs" / "adr").glob("[0-9]*.md"))


@pytest.mark.parametrize("path", EXAMPLE_ADRS, ids=lambda p: p.stem)
def test_example_adrs(path: Path, update_goldens: bool) -> None:
    doc = read_path(str(path), display=f"examples/docs/adr/{path.name}")
    assert doc.family == "adr"
    (record,) = doc.records
    assert record.id == f"ADR-{int(path.name[:3]):03d}" and record.date.startswith("2026-")
    assert record.fields.status == "Accepted" and record.fields.context and record.fields.decision
    assert doc.diagnostics == [] and doc.unstructured == []
    assert render(record) == doc.text
    assert unaccounted_lines(doc) == []
    check_golden(document_json(doc), GOLDEN / "examples" / "adr" / f"{path.stem}.json", update_goldens)


def test_example_adr_fields() -> None:
    doc = read_path(str(EXAMPLES / "docs" / "adr" / "002-pyromark-as-the-commonmark-parser.md"))
    (record,) = doc.records
    assert (record.title, record.fields.number, record.date) == ("pyromark as the CommonMark parser", 2, "2026-08-14")
    assert record.fields.deciders == "whylog maintainers"
    assert record.fields.consequences.startswith("### Positive\n\n- ")
    assert "\n\n### Negative\n\n- " in record.fields.consequences
    assert record.fields.alternatives.count("\n") == 2
    assert record.links[0] == Link("Builds on ADR-001 (Markdown files are the source of truth)", "ADR-001")


def test_generated_corpus_adrs_read_and_write_back_byte_for_byte() -> None:
    paths = sorted(c1k_path("docs/adr").glob("[0-9]*.md"))
    assert len(paths) == 30
    for number, path in enumerate(paths, 1):
        doc = read_path(str(path))
        (record,) = doc.records
        assert record.id == f"ADR-{number:03d}"
        assert record.fields.status in ("Accepted", "Proposed", "Deprecated")
        assert doc.diagnostics == [] and doc.unstructured == []
        assert render(record) == doc.text


def test_adr_index_readme_is_text_not_records() -> None:
    path = c1k_path("docs/adr/README.md")
    detected = read_path(str(path))
    assert detected.records == []
    doc = read_path(str(path), kind="adr")
    assert doc.records == []
    assert [(d.code, d.severity) for d in doc.diagnostics] == [("PRS034", "info")]
    assert [(u.start_line, u.end_line) for u in doc.unstructured] == [(3, 32)]


MADR = """# 3. Use PostgreSQL for the event store

Date: 2024-01-02

## Status

Accepted

## Context

We need durable events.

## Decision

Use PostgreSQL.

## Consequences

Backups get simpler.
"""


def test_adr_tools_variant() -> None:
    doc = read_text(MADR, "docs/adr/0003-use-postgresql.md", kind="adr")
    (record,) = doc.records
    assert (record.id, record.fields.number, record.title) == ("ADR-003", 3, "Use PostgreSQL for the event store")
    assert (record.date, record.fields.status) == ("2024-01-02", "Accepted")
    assert (record.fields.context, record.fields.decision) == ("We need durable events.", "Use PostgreSQL.")
    assert record.fields.consequences == "Backups get simpler."
    assert doc.diagnostics == [] and doc.unstructured == []


def test_madr_front_matter_and_number_from_file_name() -> None:
    text = (
        "---\nstatus: accepted\ndate: 2024-02-03\ndeciders: Ada, Linus\n---\n"
        "# Use MADR for decisions\n\n## Context and Problem Statement\n\nDecisions get lost.\n\n"
        "## Considered Options\n\n* MADR\n* Nygard\n\n## Decision Outcome\n\nChosen option: MADR.\n\n"
        "## More Information\n\nNothing.\n"
    )
    doc = read_text(text, "docs/decisions/0007-use-madr.md", kind="adr")
    (record,) = doc.records
    assert (record.id, record.title, record.date) == ("ADR-007", "Use MADR for decisions", "2024-02-03")
    assert (record.fields.status, record.fields.deciders) == ("accepted", "Ada, Linus")
    assert record.fields.alternatives == "* MADR\n* Nygard" and record.fields.decision == "Chosen option: MADR."
    assert (record.fields.state, record.fields.options) == ("accepted", ("MADR", "Nygard"))
    # More Information is a MADR section: kept with its label, no longer reported as unread
    assert doc.diagnostics == [] and [(s.label, s.text) for s in record.fields.sections] == [
        ("More Information", "Nothing.")
    ]
    assert doc.front_matter["status"] == "accepted"


def test_adr_problems_are_reported_with_their_lines() -> None:
    text = "# ADR-12: Cache keys\n\n**Status:** Maybe\n**Date:** the 40th of May\n\n## Context\n\nKeys collide.\n"
    doc = read_text(text, "docs/adr/x.md", kind="adr")
    (record,) = doc.records
    assert (record.id, record.date, record.fields.status) == ("ADR-012", "", "Maybe")
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [("PRS038", 3), ("PRS037", 4)]
    # a decision with no number is not in the ADR template; the general reader still reads it, whole
    unnumbered = read_text("# Cache keys\n\n## Context\n\nx\n\n## Decision\n\ny\n", "docs/adr/notes.md", kind="adr")
    (record,) = unnumbered.records
    assert (record.id, record.title, record.fields.context, record.fields.decision) == (
        "ADR-cache-keys",
        "Cache keys",
        "x",
        "y",
    )
    assert (record.source.start_line, record.source.end_line) == (1, 9)
    assert unnumbered.unstructured == []


@settings(max_examples=100, deadline=None)
@given(decisions())
def test_decision_round_trip(record) -> None:  # type: ignore[no-untyped-def]
    text = render(record)
    doc = read_text(text, f"docs/adr/{record.fields.number:03d}-x.md", kind="adr")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == [] and doc.diagnostics == []
    assert render(doc.records[0]) == text


@settings(max_examples=100, deadline=None)
@given(decisions())
def test_decision_round_trip_in_the_nygard_and_madr_templates(record) -> None:  # type: ignore[no-untyped-def]
    from whylog.markdown.writers.adr import TEMPLATES

    for template in ("nygard", "madr"):
        text = "".join(line + "\n" for line in TEMPLATES[template](record))
        doc = read_text(text, f"docs/decisions/{record.fields.number:04d}-x.md")
        assert [r.without_source() for r in doc.records] == [record], template
        assert doc.unstructured == [] and doc.diagnostics == [], template
