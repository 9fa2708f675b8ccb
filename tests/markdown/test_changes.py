from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings

from tests.conftest import EXAMPLES, GOLDEN, check_golden, seed_path
from tests.markdown.corpus import assert_every_line_is_placed, corpus, scraps  # noqa: F401  (fixture)
from tests.strategies.changes import changes
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.writers import render
from whylog.model import ChangeFields, Readiness, Record

EXAMPLE = EXAMPLES / "docs" / "changes" / "2026-11-24-core-blockers.md"


def fields_of(record: Record) -> ChangeFields:
    assert isinstance(record.fields, ChangeFields)
    return record.fields


def test_seed_blockers_changelog(update_goldens: bool) -> None:
    doc = read_path(str(seed_path("blockers-changelog.md")), display="blockers-changelog.md")
    (record,) = doc.records
    fields = fields_of(record)
    assert record.id == "CHG-2025-12-15-production-blockers-resolved-week-1-2-complete"
    assert record.title == "Production Blockers Resolved (Week 1-2 Complete)"
    assert record.date == "2025-12-15"
    assert fields.author == "Claude Code (Sonnet 4.5)"
    assert fields.summary.startswith("Resolved 7 of 10 critical production blockers")
    assert [i.number for i in fields.items] == list(range(1, 11))
    assert [i.status for i in fields.items] == ["RESOLVED"] * 3 + ["PARTIAL"] + ["ALREADY RESOLVED"] * 3 + [
        "RESOLVED",
        "NOT STARTED",
        "NOT STARTED",
    ]
    assert sum(i.status in ("RESOLVED", "ALREADY RESOLVED") for i in fields.items) == 7
    assert fields.items[0].title == "Missing `sequence` Column in Events Table"
    assert fields.items[3].note == "Manual migration scripts created, Alembic setup deferred"
    assert fields.items[8].title == "No Monitoring/Metrics" and fields.items[8].files == ()
    assert fields.items[8].sections["Requirements"].startswith("- Prometheus metrics endpoint")
    assert fields.items[0].sections["Result"] == "Projections can access `event.sequence` without errors"
    first = fields.items[0].files[0]
    assert (first.path, first.change, first.note) == (
        "/workspaces/docs/database/event_store_schema.sql",
        "modified",
        "Added sequence column",
    )
    assert [f.change for f in fields.items[7].files] == ["new", "new", "new", "modified"]
    assert fields.items[4].files[0].change == "unchanged"
    assert fields.items[4].files[0].note == "Already has comprehensive validation"
    assert fields.items[6].sections["Configuration"].startswith("```python")
    assert [t.name for t in fields.testing] == ["Health Check Tests: ✅ 4/4 PASSING", "Structured Logging Verified: ✅"]
    assert fields.testing[0].command.startswith("PYTHONPATH=/workspaces doppler run")
    assert fields.testing[0].results.splitlines()[0] == "test_health_check PASSED"
    assert fields.readiness == Readiness(30, 70)
    assert fields.next_steps.startswith("### Immediate (Week 3)")
    assert len(record.links) == 4 and record.links[3].text.endswith("(2025-12-15-user-repository-fix.md)")
    assert len({f.path for f in record.files}) == len(record.files) == 13
    assert doc.diagnostics == [] and doc.unstructured == []
    assert_every_line_is_placed(doc)
    check_golden(document_json(doc), GOLDEN / "seeds" / "blockers-changelog.json", update_goldens)


def test_example_core_blockers(update_goldens: bool) -> None:
    doc = read_path(str(EXAMPLE), display="examples/docs/changes/2026-11-24-core-blockers.md")
    (record,) = doc.records
    fields = fields_of(record)
    assert record.id == "CHG-2026-11-24-core-blockers-resolved-reader-milestone"
    assert [i.title for i in fields.items][:4] == [
        "Lossless Round Trip",
        "Kind Detection",
        "Malformed Input",
        "Concurrent Writers",
    ]
    assert fields.readiness == Readiness(0, 67)
    assert doc.diagnostics == [] and doc.unstructured == []
    assert_every_line_is_placed(doc)
    check_golden(document_json(doc), GOLDEN / "examples" / "2026-11-24-core-blockers.json", update_goldens)


def test_generated_change_documents_read_as_one_record_each(corpus: Path) -> None:  # noqa: F811
    paths = sorted((corpus / "docs" / "changes").glob("*.md"))
    assert paths
    for path in paths:
        doc = read_path(str(path))
        (record,) = doc.records
        assert record.kind == "change" and fields_of(record).items and fields_of(record).testing
        assert doc.diagnostics == [] and doc.unstructured == [], path.name
        assert path.name.startswith(record.date)


def test_variants_of_labels_and_prefixes() -> None:
    text = (
        "Draft notes kept above the title.\n\n"
        "# Changelog - Cache Rework\n\n"
        "**Date**: March 4, 2026\n"
        "**Author**: Ana\n\n"
        "## Blockers\n\n"
        "#### Blocker 12 - Eviction race\n"
        "Found during load tests.\n\n"
        "**Status:** Resolved - fixed with a lock\n"
        "**Files Changed**:\n"
        "- src/cache.py (lines 10-20) - lock around evict\n"
        "- `old.py` (deleted)\n"
        "**Files Deleted**:\n"
        "- `legacy/cache.py`\n"
        "**Result**: no more races\n"
        "**Result**: and faster\n"
    )
    doc = read_text(text, "docs/changes/cache.md")
    (record,) = doc.records
    (item,) = fields_of(record).items
    assert (record.title, record.date, fields_of(record).author) == ("Cache Rework", "2026-03-04", "Ana")
    assert (item.number, item.title, item.status, item.note) == (12, "Eviction race", "RESOLVED", "fixed with a lock")
    assert [(f.path, f.lines, f.change) for f in item.files] == [
        ("src/cache.py", ((10, 20),), "modified"),
        ("old.py", (), "deleted"),
        ("legacy/cache.py", (), "deleted"),
    ]
    assert item.sections == {"": "Found during load tests.", "Result": "no more races\n\nand faster"}
    assert [(u.start_line, u.text) for u in doc.unstructured] == [(1, "Draft notes kept above the title.")]


def test_unknown_status_bad_path_and_missing_date_are_reported() -> None:
    text = (
        "# Change Log: Half done\n\n"
        "### Blocker 1: ⏳ Flaky test\n\n"
        "**Status**: **DONE-ISH** - mostly\n\n"
        "**Files Modified**:\n"
        "- see the pull request\n"
    )
    doc = read_text(text, "docs/changes/x.md")
    (record,) = doc.records
    assert record.id == "CHG-half-done" and record.date == ""
    assert fields_of(record).items[0].status == "DONE-ISH"
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [("PRS066", 1), ("PRS064", 5), ("PRS065", 8)]


def test_a_file_without_a_title_is_read_by_the_general_reader() -> None:
    doc = read_text("### Blocker 1: ✅ Something\n\n**Status**: **RESOLVED**\n", "notes.md", kind="change")
    (record,) = doc.records  # not in the change template (no title), so read as one plain change note
    assert (record.kind, record.title, record.source.start_line, record.source.end_line) == (
        "change",
        "Blocker 1: ✅ Something",
        1,
        3,
    )
    assert [(s.label, s.text) for s in record.fields.sections] == [("Status", "**RESOLVED**")]
    assert doc.unstructured == []


@settings(max_examples=100, deadline=None)
@given(changes())
def test_change_round_trip(record: Record) -> None:
    doc = read_text(render(record), "docs/changes/x.md")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == [] and doc.diagnostics == []


FRAGMENTS = [
    "# Change Log: X",
    "## Date",
    "2026-01-01",
    "## Testing",
    "### Run: ✅",
    "```bash",
    "```",
    "**Results**:",
    "### Blocker 1: ✅ A",
    "**Status**: **RESOLVED** - n",
    "**Status**: **",
    "**Files Created**:",
    "- `a.py` - b",
    "- (",
    "**Before**: 30% ready",
    "**After**: 999% ready",
    "## Related Changes",
    "- [x](y.md)",
    "---",
    "   ```",
]


@settings(max_examples=100, deadline=None)
@given(scraps(FRAGMENTS))
def test_arbitrary_text_never_fails(text: str) -> None:
    doc = read_text(text, "docs/changes/x.md", kind="change")
    spans = sorted((r.source.start_line, r.source.end_line) for r in doc.records if r.source)
    assert all(
        a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False)
    )  # the general reader may add records; never overlapping
    assert doc.render() == text
