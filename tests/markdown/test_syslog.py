from __future__ import annotations

import dataclasses

from hypothesis import given, settings

from tests.conftest import GOLDEN, check_golden, seed_path
from tests.strategies.syslog import entries
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.writers import render, render_block


def test_seed_system_log_template(update_goldens: bool) -> None:
    path = seed_path("system-log-template.md")
    doc = read_path(str(path), display="system-log-template.md")
    assert [r.title for r in doc.records] == [
        "Implemented User Authentication with JWT",
        "Fixed Database Connection Pool Exhaustion",
        "Migrated from Monolith to Microservices (Phase 1: Auth Service)",
        "Increased Nginx Worker Processes for Better Concurrency",
        "POST-MORTEM: 2-Hour Production Outage (Database Crash)",
    ]
    first, _, third, _, incident = doc.records
    assert first.date == "2026-03-19T14:32:00Z"
    assert [(f.path, f.lines, f.change) for f in first.files[:3]] == [
        ("backend/auth/jwt_handler.py", (), "new"),
        ("backend/api/middleware.py", ((15, 45),), "modified"),
        ("backend/models/user.py", ((23, 28),), "modified"),
    ]
    assert first.fields.confidence.value == 95
    assert third.files[0].path == "services/auth/" and third.files[0].change == "new"
    assert incident.fields.type == "Incident"
    assert incident.fields.timeline[0].time == "20:15 UTC"
    assert [c.done for c in incident.fields.prevention] == [False, False, False]
    assert doc.front_matter == {"last_updated": "2026-05-15", "pc2e_version": "1.0", "trigger": "always_on"}
    check_golden(document_json(doc), GOLDEN / "seeds" / "system-log-template.json", update_goldens)


def test_variants_of_labels_dates_and_levels() -> None:
    text = (
        "# Log\n\n"
        "### [2026-01-05T08:00+02:00] Fixed cache eviction race\n"
        "Type: bug fix\n"
        "### Affected Files\n"
        "- src/cache.py (lines 10-20, 40-42)\n"
        "- `old.py` (deleted)\n"
        "Result: cache stable\n"
        "**Confidence**: 70% — not load tested\n"
    )
    doc = read_text(text, "LOG.md", kind="entry")
    (record,) = doc.records
    assert record.date == "2026-01-05T06:00:00Z"
    assert record.fields.type == "Bug Fix"
    assert record.files[0].lines == ((10, 20), (40, 42))
    assert record.files[1].change == "deleted"
    assert record.fields.result == "cache stable"
    assert (record.fields.confidence.value, record.fields.confidence.reason) == (70, "not load tested")


def test_bad_confidence_is_reported_with_its_line() -> None:
    text = "## 2026-01-05 08:00 UTC - Tuned pool size for workers\n**Type:** Configuration\n**Confidence:** high\n"
    doc = read_text(text, "SYSTEM_LOG.md")
    (record,) = doc.records
    assert record.fields.confidence.value is None and record.fields.confidence.reason == "high"
    (diag,) = [d for d in doc.diagnostics if d.code == "PRS003"]
    assert diag.source.start_line == 3
    assert "percentage" in diag.message


def test_same_minute_ids_stay_stable_when_a_newer_one_is_added_above() -> None:
    one = "## 2026-01-05 08:00 UTC - First change of the morning\n**Type:** Implementation\n**Result:**\nok\n---\n\n"
    two = "## 2026-01-05 08:00 UTC - Second change of the morning\n**Type:** Implementation\n**Result:**\nok\n---\n\n"
    older = read_text(
        "# Log\n\n"
        + one
        + "## 2025-01-01 08:00 UTC - Older entry in the log\n**Type:** Documentation\n**Result:**\nok\n"
    )
    newer = read_text(
        "# Log\n\n"
        + two
        + one
        + "## 2025-01-01 08:00 UTC - Older entry in the log\n**Type:** Documentation\n**Result:**\nok\n"
    )
    ids_before = {r.title: r.id for r in older.records}
    ids_after = {r.title: r.id for r in newer.records}
    assert (
        ids_after["First change of the morning"] == ids_before["First change of the morning"] == "LOG-2026-01-05-0800"
    )
    assert ids_after["Second change of the morning"] == "LOG-2026-01-05-0800-2"


@settings(max_examples=150, deadline=None)
@given(entries())
def test_entry_round_trip(record) -> None:  # type: ignore[no-untyped-def]
    doc = read_text(render(record), "SYSTEM_LOG.md", kind="entry")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == []


@settings(max_examples=50, deadline=None)
@given(entries(), entries())
def test_two_entries_in_a_log(a, b) -> None:  # type: ignore[no-untyped-def]
    b = dataclasses.replace(b, id=b.id + "x")
    text = "# SYSTEM_LOG\n\n" + render_block(a) + render_block(b)
    doc = read_text(text, "SYSTEM_LOG.md")
    assert [r.title for r in doc.records] == [a.title, b.title]
    assert doc.render() == text


def test_dotfiles_in_a_file_list_are_paths() -> None:
    from whylog.markdown.readers.files import read_listed_file
    from whylog.model import FileRef

    assert read_listed_file("`.gitattributes` (new file)") == FileRef(".gitattributes", (), "new")
    assert read_listed_file(".env.example") == FileRef(".env.example")
    assert read_listed_file(". Then we moved on") is None
    assert read_listed_file("...") is None
