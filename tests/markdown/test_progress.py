"""Agent progress notes and feature lists in the shapes harnesses write: fixtures in tests/golden/progress/,
each read at the path a repo keeps it at, with a golden of what is read."""

from __future__ import annotations

import pytest

from tests.conftest import GOLDEN, check_golden
from whylog.markdown.document import Document, document_json
from whylog.markdown.readers import read_text
from whylog.model import FeatureCount, FeatureFields, SessionFields

FIXTURES = GOLDEN / "progress"
PATHS = {
    "session-banners.txt": "claude-progress.txt",
    "verification-blocks.txt": "claude-progress.txt",
    "progress-sessions.md": "PROGRESS.md",
    "handoff.md": "HANDOFF.md",
    "status-table.txt": "claude-progress.txt",
    "box-banners.txt": "claude-progress.txt",
    "features-keyed.json": "feature_list.json",
    "features-wrapped.json": "feature_list.json",
    "features-list.json": "feature_list.json",
}


def _read(name: str) -> Document:
    return read_text((FIXTURES / name).read_text(encoding="utf-8"), PATHS[name])


def _sessions(name: str) -> list[SessionFields]:
    out = [r.fields for r in _read(name).records]
    assert all(isinstance(f, SessionFields) for f in out)
    return out  # type: ignore[return-value]


@pytest.mark.parametrize("name", sorted(PATHS))
def test_progress_fixture_golden(name: str, update_goldens: bool) -> None:
    doc = _read(name)
    assert doc.text == (FIXTURES / name).read_text(encoding="utf-8")
    stem = name.rsplit(".", 1)[0]
    check_golden(document_json(doc), FIXTURES / f"{stem}.golden.json", update_goldens)


def test_session_banners_give_a_session_each_with_number_date_status_and_count() -> None:
    doc = _read("session-banners.txt")
    assert [(r.id, r.date) for r in doc.records] == [("SES-194", "2026-02-01"), ("SES-195", "2026-02-02")]
    first, second = _sessions("session-banners.txt")
    assert (first.number, first.status, first.next) == (194, "276/276 features passing (100.0%)", "wire the reset link")
    assert first.accomplishments == ("Fixed the email regex", "Added tests for empty passwords")
    assert (first.features, second.features) == (FeatureCount(276, 276), FeatureCount(270, 276))
    assert doc.diagnostics == []


def test_repeated_dated_blocks_are_sessions_without_numbers() -> None:
    doc = _read("verification-blocks.txt")
    assert [(r.date, r.title) for r in doc.records] == [
        ("2026-01-14T18:02:00Z", "Verification #12 (2026-01-14 18:02)"),
        ("2026-01-15T12:25:00Z", "Verification #13 (2026-01-15 12:25)"),
    ]
    assert doc.diagnostics == []


def test_markdown_sessions_give_their_numbers_and_feature_counts() -> None:
    first, second = _sessions("progress-sessions.md")
    assert (first.number, first.status, first.accomplishments) == (12, "in progress", ("Built the export button",))
    assert (second.number, second.features) == (13, FeatureCount(41, 45))


def test_a_handoff_with_dated_session_headings_gives_a_session_each() -> None:
    doc = _read("handoff.md")
    assert [(r.kind, r.date, f.number) for r, f in zip(doc.records, _sessions("handoff.md"), strict=True)] == [
        ("session", "2026-07-20", 5),
        ("session", "2026-07-21", 6),
    ]


def test_feature_lists_in_the_shapes_harnesses_write() -> None:
    keyed = _read("features-keyed.json")
    assert [(r.id, r.title) for r in keyed.records] == [
        ("INFRA-001", "Project scaffold"),
        ("AUTH-002", "Magic-link sign-in"),
    ]
    fields = keyed.records[0].fields
    assert isinstance(fields, FeatureFields)
    assert (fields.status, fields.passes, fields.priority, fields.category) == (
        "ready_for_qa",
        False,
        "0",
        "infrastructure",
    )
    assert fields.verification == ("npm test passes", "/api/health answers ok")
    assert [d.message for d in keyed.diagnostics] == [
        "feature INFRA-001 (and 1 more feature): key 'evidence' is kept in the file but not read"
    ]
    assert keyed.unstructured == []
    wrapped = _read("features-wrapped.json")
    assert [(r.id, r.title, r.fields.passes) for r in wrapped.records if isinstance(r.fields, FeatureFields)] == [
        ("CART-1", "Add to cart", False),
        ("FEAT-2", "Checkout", True),
    ]
    bare = _read("features-list.json")
    assert [(r.id, r.title) for r in bare.records] == [("FEAT-1", "Search by title"), ("FEAT-2", "Export as CSV")]


def test_a_markdown_note_keeps_its_status_table_and_takes_its_first_dated_heading() -> None:
    (record,) = _read("status-table.txt").records
    (fields,) = _sessions("status-table.txt")
    assert (record.title, record.date) == ("Shop progress", "2026-02-06T07:45:00Z")
    assert [s.label for s in fields.sections] == ["現在の状態（2026-02-06 16:45 JST）", "次のタスク"]
    assert "| **Gateway** | 🟡 移行作業中 |" in fields.sections[0].text


def test_box_drawing_banners_and_dash_session_lines() -> None:
    (record,) = _read("box-banners.txt").records
    (fields,) = _sessions("box-banners.txt")
    assert (record.title, record.date, fields.project) == ("ORCHARD - AGENT PROGRESS LOG", "2026-04-02", "Orchard")
    assert [s.label for s in fields.sections] == [
        "HOW TO USE THIS FILE",
        "SESSION LOG",
        "SESSION: 2026-04-02 (Initial setup)",
    ]


def test_a_feature_is_added_inside_a_wrapped_list_and_refused_in_a_keyed_object() -> None:
    from whylog.markdown.writers.features import insert_feature
    from whylog.model import Record
    from whylog.model.errors import WriteError

    record = Record("FEAT-3", "feature", "Pay by card", "", FeatureFields(description="Pay by card", passes=False))
    text = (FIXTURES / "features-wrapped.json").read_text(encoding="utf-8")
    written = read_text(insert_feature(text, record), "feature_list.json")
    assert [r.id for r in written.records] == ["CART-1", "FEAT-2", "FEAT-3"]
    assert written.records[-1].without_source() == record
    keyed = (FIXTURES / "features-keyed.json").read_text(encoding="utf-8")
    with pytest.raises(WriteError, match="keyed by position or name"):
        insert_feature(keyed, record)


def test_a_single_markdown_session_with_one_dated_part_stays_one_session() -> None:
    text = "# SHOP - SESSION 7 PROGRESS SUMMARY\n\nDate: 2026-03-01\n\n## Accomplishments\n\n- Built the cart\n\n## 2026-03-01 deploy\n\nok\n"
    (record,) = read_text(text, "progress/session-007.md").records
    assert (record.id, record.kind, record.date) == ("SES-007", "session", "2026-03-01")
