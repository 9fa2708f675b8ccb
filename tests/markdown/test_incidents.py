from __future__ import annotations

import dataclasses

from hypothesis import given, settings

from tests.conftest import EXAMPLES, GOLDEN, check_golden, seed_path
from tests.markdown.c1k import c1k_path
from tests.markdown.spans import unaccounted_lines
from tests.strategies.incidents import incidents
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.writers import render, render_block
from whylog.model import ActionItem, FileRef


def test_seed_incidents(update_goldens: bool) -> None:
    doc = read_path(str(seed_path("incidents.md")), display="incidents.md")
    assert doc.family == "incidents"
    first, second = doc.records
    assert [r.id for r in doc.records] == ["INC-2024-001", "INC-2024-002"]
    assert (first.kind, first.date, first.fields.severity) == ("incident", "2024-10-15", "High")
    assert first.title == "API unresponsive under moderate load - DB connection pool exhaustion"
    assert first.fields.services == ("Backend API",)
    assert len(first.fields.symptoms) == 3 and len(first.fields.root_cause) == 2
    assert first.fields.resolution[1] == "Monitored connection usage after the change to confirm resolution."
    assert first.fields.action_items == (
        ActionItem("Update engine configuration with larger pool size.", True),
        ActionItem("Add database connection pool monitoring to dashboards.", True),
    )
    assert first.files == (FileRef("backend/app/database.py"),)
    assert (first.source.start_line, first.source.end_line) == (7, 28)
    assert (second.date, second.fields.severity) == ("2024-08-22", "Medium")
    assert second.fields.services == ("Database Seeding Script",)
    assert len(second.fields.root_cause) == 1 and len(second.fields.resolution) == 3
    assert [c.done for c in second.fields.action_items] == [True]
    assert second.files == (FileRef("scripts/seed_database.py"),)
    assert [(u.start_line, u.end_line) for u in doc.unstructured] == [(3, 3)]
    assert doc.diagnostics == []
    assert unaccounted_lines(doc) == []
    check_golden(document_json(doc), GOLDEN / "seeds" / "incidents.json", update_goldens)


def test_example_incidents(update_goldens: bool) -> None:
    doc = read_path(str(EXAMPLES / "INCIDENTS.md"), display="examples/INCIDENTS.md")
    assert doc.family == "incidents"
    assert len(doc.records) >= 2 and doc.diagnostics == []
    assert all(r.date.startswith("2026-") and r.fields.action_items for r in doc.records)
    assert unaccounted_lines(doc) == []
    check_golden(document_json(doc), GOLDEN / "examples" / "INCIDENTS.json", update_goldens)


def test_generated_corpus_reads_fully() -> None:
    doc = read_path(str(c1k_path("INCIDENTS.md")), display="INCIDENTS.md")
    assert len(doc.records) == 40
    assert len({r.id for r in doc.records}) == 40
    assert [(u.start_line, u.end_line) for u in doc.unstructured] == [(3, 3)]
    assert doc.diagnostics == []
    assert all(r.fields.severity in ("Critical", "High", "Medium", "Low") for r in doc.records)
    assert all(r.fields.symptoms and r.fields.root_cause and r.fields.action_items for r in doc.records)
    ranged = [f for r in doc.records for f in r.files if f.lines]
    assert ranged and all(a <= b for f in ranged for a, b in f.lines)


def test_label_variants_headings_and_marks() -> None:
    text = (
        "# Incidents\n\n"
        "## Cache stampede after deploy\n\n"
        "Incident ID: INC-2025-007\n"
        "Date: March 3, 2025\n"
        "Severity: critical\n"
        "Services: Cache, Search API\n\n"
        "### Symptoms\n"
        "- Search latency rose to 9 s.\n"
        "- Cache hit rate fell to 2%.\n\n"
        "### Root Cause\n"
        "Every key expired at the same second because the TTL had no jitter.\n\n"
        "### Resolution\n"
        "- Added jitter in `src/cache/ttl.py` (lines 10-14).\n"
        "- Raised `max_keys` in `config/cache.yaml` and `config/cache.yaml` again.\n\n"
        "### Action Items\n"
        "- [x] Add TTL jitter\n"
        "- [ ] Alert on hit rate\n"
        "- ✅ Write the runbook\n"
        "- ⏳ Load test the cache\n"
        "- [In Progress] Review other TTLs\n"
    )
    doc = read_text(text, "INCIDENTS.md")
    (record,) = doc.records
    assert record.id == "INC-2025-007" and record.title == "Cache stampede after deploy"
    assert (record.date, record.fields.severity) == ("2025-03-03", "Critical")
    assert record.fields.services == ("Cache", "Search API")
    assert record.fields.root_cause == ("Every key expired at the same second because the TTL had no jitter.",)
    assert [c.done for c in record.fields.action_items] == [True, False, True, False, False]
    assert record.fields.action_items[4].text == "Review other TTLs"
    assert record.files == (FileRef("src/cache/ttl.py", ((10, 14),)), FileRef("config/cache.yaml"))
    assert record.source.start_line == 3
    assert doc.diagnostics == []


def test_id_heading_and_star_bullets() -> None:
    text = "### INC-2026-010: Index build took an hour\n**Severity:** Low\n**Symptoms:**\n* slow\n"
    (record,) = read_text(text, "INCIDENTS.md", kind="incident").records
    assert (record.id, record.title, record.fields.symptoms) == ("INC-2026-010", "Index build took an hour", ("slow",))


def test_incident_without_id_is_reported_and_kept_as_text() -> None:
    text = "**Incident ID:** INC-1\n**Severity:** Low\n\n---\n\n**Date:** 2026-01-01\n**Severity:** High\n**Symptoms:**\n* x\n"
    doc = read_text(text, "INCIDENTS.md")
    assert [r.id for r in doc.records] == ["INC-1"]
    (diag,) = doc.diagnostics
    assert (diag.code, diag.source.start_line) == ("PRS020", 6)
    assert "without an id" in diag.message
    assert doc.unstructured[0].start_line == 6


def test_bad_severity_date_and_unmarked_action_are_reported() -> None:
    text = (
        "**Incident ID:** INC-2026-002\n**Date:** last Tuesday\n**Severity:** Apocalyptic\n"
        "**Action Items:**\n* Check the pool\n"
    )
    doc = read_text(text, "INCIDENTS.md")
    (record,) = doc.records
    assert (record.date, record.fields.severity) == ("", "Apocalyptic")
    assert record.fields.action_items == (ActionItem("Check the pool", False),)
    found = {(d.code, d.source.start_line) for d in doc.diagnostics}
    assert found == {("PRS023", 2), ("PRS022", 3), ("PRS021", 5)}
    messages = " ".join(d.message for d in doc.diagnostics)
    assert "not a date" in messages and "High" in messages and "status" in messages


def test_text_outside_fields_is_reported() -> None:
    text = "**Incident ID:** INC-2026-003\n**Severity:** Low\nThe pager went off twice.\n"
    doc = read_text(text, "INCIDENTS.md")
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [("PRS024", 3)]


@settings(max_examples=100, deadline=None)
@given(incidents())
def test_incident_round_trip(record) -> None:  # type: ignore[no-untyped-def]
    doc = read_text(render(record), "INCIDENTS.md", kind="incident")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == [] and doc.diagnostics == []


@settings(max_examples=50, deadline=None)
@given(incidents(), incidents())
def test_two_incidents_in_a_log(a, b) -> None:  # type: ignore[no-untyped-def]
    b = dataclasses.replace(b, id=b.id + "x")
    text = "# Past Incidents Log\n\nIntro.\n\n---\n\n" + render_block(a) + render_block(b)
    doc = read_text(text, "INCIDENTS.md")
    assert [r.without_source() for r in doc.records] == [a, b]
    assert [u.text for u in doc.unstructured] == ["Intro."]
    assert doc.render() == text


def test_heading_that_only_mentions_an_incident_is_text() -> None:
    text = "## INC-2024-009 follow-up notes\n\nWe talked.\n\n**Incident ID:** INC-2024-010\n**Severity:** Low\n"
    doc = read_text(text, "INCIDENTS.md")
    assert [(r.id, r.source.start_line) for r in doc.records] == [("INC-2024-010", 5)]
    assert [(u.start_line, u.end_line) for u in doc.unstructured] == [(1, 3)] and doc.diagnostics == []


def test_section_headings_above_an_incident_are_not_its_title() -> None:
    text = (
        "# Incidents\n\n**Incident ID:** INC-1\n**Title:** First\n\n---\n\n"
        "## 2026\n\n**Incident ID:** INC-2\n**Title:** Second\n\n---\n\n"
        "Incident: the whole team was paged for an hour\n"
    )
    doc = read_text(text, "INCIDENTS.md")
    assert [(r.id, r.title, r.source.start_line) for r in doc.records] == [
        ("INC-1", "First", 3),
        ("INC-2", "Second", 10),
    ]
    assert [u.start_line for u in doc.unstructured] == [8, 15]
