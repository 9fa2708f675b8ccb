"""Change notes in every shape but the blockers template (issue 13, item 6): fixtures in
tests/golden/changes/, each read at the path a repo keeps it at, one record per file with its status,
date, author, tasks and links; a monthly log of dated changes stays one record per change."""

from __future__ import annotations

import pytest

from tests.conftest import GOLDEN, check_golden
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_text
from whylog.markdown.readers.change_notes import note_id
from whylog.model import ChangeFields, CheckItem, Record, open_items

FIXTURES = GOLDEN / "changes"
PATHS = {
    "openspec-proposal": "openspec/changes/add-rate-limits/proposal.md",
    "openspec-design": "openspec/changes/add-rate-limits/design.md",
    "openspec-tasks": "openspec/changes/add-rate-limits/tasks.md",
    "dated-note": "docs/changes/2026-08-14-feat-007-exportacao-de-faturas.md",
    "unreleased-front-matter": "docs/changes/unreleased/20260721-0930-resume-uploads.md",
    "header-pairs": "docs/changes/02-P1-渲染.md",
    "stage-record": "docs/changes/2026-04-02-phase-4-triggers.md",
    "monthly-folder": "changelog/2026-07/retry-webhooks.md",
    "monthly-log": "docs/changes/2026-07.md",
}


def _read(name: str) -> list[Record]:
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    document = read_text(text, PATHS[name])
    assert document.text == text and document.family == "changes"
    return document.records


def _one(name: str) -> tuple[Record, ChangeFields]:
    (record,) = _read(name)
    assert isinstance(record.fields, ChangeFields) and record.kind == "change"
    return record, record.fields


@pytest.mark.parametrize("name", sorted(PATHS))
def test_change_note_fixture_golden(name: str, update_goldens: bool) -> None:
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    check_golden(document_json(read_text(text, PATHS[name])), FIXTURES / f"{name}.json", update_goldens)


def test_every_fixture_has_its_golden() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.md")) == sorted(PATHS)


def test_openspec_files_are_one_record_each_named_by_their_change() -> None:
    ids = [_one(name)[0].id for name in ("openspec-proposal", "openspec-design", "openspec-tasks")]
    assert ids == ["CHG-add-rate-limits-proposal", "CHG-add-rate-limits-design", "CHG-add-rate-limits-tasks"]
    record, fields = _one("openspec-tasks")
    assert fields.tasks == (
        CheckItem("1.1 Add the token bucket to `src/gateway/limits.py`", True),
        CheckItem("1.2 Return 429 with Retry-After", True),
        CheckItem("1.3 Load test with 2,000 clients", False),
        CheckItem("2.1 Enable for anonymous clients", False),
        CheckItem("2.2 Announce the limits in the changelog", False),
    )
    assert [text for kind, text in open_items(record) if kind == "task"][0] == "1.3 Load test with 2,000 clients"
    record, _fields = _one("openspec-proposal")
    assert (record.title, record.date, record.source.start_line) == (  # type: ignore[union-attr]
        "Change: Add rate limits to the public API",
        "",
        1,
    )


def test_a_dated_note_takes_its_labelled_fields_and_whole_file() -> None:
    record, fields = _one("dated-note")
    assert (record.id, record.date, fields.author) == (
        "CHG-2026-08-14-feat-007-exportacao-de-faturas",
        "2026-08-14",
        "Codex",
    )
    assert fields.summary.startswith("Os donos exportam")
    assert [t.done for t in fields.tasks] == [True, True, False]
    text = (FIXTURES / "dated-note.md").read_text(encoding="utf-8")
    assert (record.source.start_line, record.source.end_line) == (1, len(text.splitlines()))  # type: ignore[union-attr]


def test_front_matter_status_and_change_id() -> None:
    record, fields = _one("unreleased-front-matter")
    assert (record.id, record.date, fields.status) == ("CHG-20260721-0930-resume-uploads", "2026-07-21", "unreleased")
    assert record.source.start_line == 1  # type: ignore[union-attr]  # the front matter is the record's


def test_status_words_in_a_header_line_and_in_labels() -> None:
    record, fields = _one("header-pairs")
    assert (record.date, fields.status) == ("2026-07-01", "🚧 进行中")
    assert fields.tasks == (CheckItem("窗口打开并显示角色", True), CheckItem("60 帧下无抖动", False))
    record, fields = _one("stage-record")
    assert (record.date, fields.status) == ("2026-04-02", "In Progress")


def test_a_note_in_a_month_folder_takes_the_month_and_its_related_links() -> None:
    record, fields = _one("monthly-folder")
    assert (record.id, record.date, fields.author) == ("CHG-2026-07-retry-webhooks", "2026-07", "Dana")
    assert [(link.text, link.target) for link in record.links] == [
        ("[Webhook guide](../../webhooks.md)", None),
        ("INC-2026-004", "INC-2026-004"),
    ]


def test_a_monthly_log_of_dated_changes_stays_a_record_per_change() -> None:
    records = _read("monthly-log")
    assert [(r.date, r.title) for r in records] == [
        ("2026-07-03", "Faster search index"),
        ("2026-07-11", "Webhook retries"),
        ("2026-07-25", "Dark mode"),
    ]


def test_a_title_alone_or_an_index_of_notes_is_no_record() -> None:
    document = read_text("# Changes\n\n", "docs/changes/empty.md")
    assert document.records == []
    index = "# Changes\n\n- [Rate limits](2026-07-01-rate-limits.md)\n- [Retries](2026-07-02-retries.md)\n"
    index += "- [Dark mode](2026-07-03-dark-mode.md)\n"
    assert read_text(index, "docs/changes/README.md").records == []


def test_note_ids() -> None:
    assert note_id("docs/changes/README.md") == "CHG-changes-readme"
    assert note_id("x/2026-01-02 Fix  it!.md") == "CHG-2026-01-02-fix-it"
    assert note_id("a/b.md", "20260101-0900-x") == "CHG-20260101-0900-x"
    assert note_id("openspec/changes/add-x/specs/auth/spec.md") == "CHG-add-x-specs-auth-spec"
    assert note_id("changelog/2026-08/retry-webhooks.md") == "CHG-2026-08-retry-webhooks"
    assert note_id("changelog/2026-08/2026-08-02-retry.md") == "CHG-2026-08-02-retry"
    assert note_id("openspec/changes/archive/2025-01-01-add-x/tasks.md") == "CHG-archive-2025-01-01-add-x-tasks"


def test_status_lists_a_change_note_s_open_tasks() -> None:
    from whylog.lifecycle.status import OpenItem
    from whylog.lifecycle.status import open_items as status_open_items

    record, _fields = _one("openspec-tasks")
    assert status_open_items([record]) == [
        OpenItem("task", "CHG-add-rate-limits-tasks", "1.3 Load test with 2,000 clients"),
        OpenItem("task", "CHG-add-rate-limits-tasks", "2.1 Enable for anonymous clients"),
        OpenItem("task", "CHG-add-rate-limits-tasks", "2.2 Announce the limits in the changelog"),
    ]


def test_labelled_values_keep_their_underscores() -> None:
    text = "# Retry webhooks\n\n**Status:** `in_progress`\n**Author:** **jane_doe**\n\n## Why\n\nBecause.\n\n- [ ] task one\n"
    fields = read_text(text, "docs/changes/2026-07-01-retry.md", "changes").records[0].fields
    assert isinstance(fields, ChangeFields)
    assert (fields.status, fields.author) == ("in_progress", "jane_doe")
