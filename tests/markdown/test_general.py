"""The general reader on the layouts real logs use; fixtures written here in each shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whylog.markdown.readers import detect_family, read_text


def _summary(text: str, path: str, kind: str | None = None) -> list[tuple[str, str, int, int]]:
    document = read_text(text, path, kind)
    assert document.render() == text
    return [(r.title, r.date, r.source.start_line, r.source.end_line) for r in document.records if r.source]


def test_dated_h2_entries_with_labels_in_another_language() -> None:
    text = (
        "# 系統日誌\n\n## 2026-08-21 - ver 2.9.4 修正登入\n\n**影響檔案:**\n- `src/login.ts`\n\n**修改項目:**\n1. 修正\n\n---\n\n"
        "## 2026-08-20 - ver 2.9.3 新增匯出\n\n**影響檔案:**\n- `src/export.ts`\n"
    )
    document = read_text(text, "SYSTEM_LOG.md")
    assert [(r.kind, r.title, r.date) for r in document.records] == [
        ("entry", "ver 2.9.4 修正登入", "2026-08-21"),
        ("entry", "ver 2.9.3 新增匯出", "2026-08-20"),
    ]
    first = document.records[0]
    assert [f.path for f in first.files] == ["src/login.ts"]
    assert [s.label for s in first.fields.sections] == ["影響檔案", "修改項目"]
    assert first.fields.actions == ("1. 修正",)


def test_h3_entries_under_a_day_heading_take_the_day() -> None:
    text = (
        "# Incidents\n\n## 2026-08-08\n\n### 30. Sync job stalled\n\n**증상**\n- jobs queued\n\n**원인**\n- lock held\n\n"
        "### 29. Export empty\n\n**원인**: bad filter\n\n## 2026-08-07\n\n### 28. Login loop\n\ntext\n"
    )
    document = read_text(text, "INCIDENTS.md")
    assert [(r.title, r.date) for r in document.records] == [
        ("30. Sync job stalled", "2026-08-08"),
        ("29. Export empty", "2026-08-08"),
        ("28. Login loop", "2026-08-07"),
    ]
    assert document.records[0].fields.root_cause == ("lock held",)
    assert document.records[0].fields.symptoms == ("jobs queued",)
    assert document.records[1].fields.root_cause == ("bad filter",)


def test_day_first_dates_and_run_in_labels() -> None:
    text = "## 07/07/2026 — Raft elections\n\n**What I did:** timers.\n\n## 18/06/2026 — Log replication\n\n**What I did:** RPCs.\n"
    assert _summary(text, "docs/DEVLOG.md") == [
        ("Raft elections", "2026-07-07", 1, 3),
        ("Log replication", "2026-06-18", 5, 7),
    ]


def test_a_flat_list_of_dated_lines_gives_a_record_per_line() -> None:
    text = "# Kernel log\n\n- 2026-06-19: paging works\n  - tested on qemu\n- 2026-06-19: timer irq\n- 2026-06-20: scheduler\n"
    assert _summary(text, "DEVELOPMENT_LOG.md") == [
        ("paging works", "2026-06-19", 3, 4),
        ("timer irq", "2026-06-19", 5, 5),
        ("scheduler", "2026-06-20", 6, 6),
    ]


def test_timestamp_lines_and_bracketed_dates() -> None:
    text = "[2026-06-15] Added login. 다음: tests\n\n[2026-06-16 09:30] Fixed cache\n검증: ok\n"
    assert _summary(text, "claude-progress.txt") == [
        ("Added login. 다음: tests", "2026-06-15", 1, 1),
        ("Fixed cache", "2026-06-16T09:30:00Z", 3, 4),
    ]


def test_a_log_kept_as_one_table_gives_a_record_per_row() -> None:
    text = "# Decisions\n\n| # | Topic | Date | Decision |\n|---|---|---|---|\n| 1 | Hosting | 2026-05-01 | Use one VM |\n| 2 | Auth | 2026-05-03 | Magic links |\n"
    assert _summary(text, "DECISIONS.md") == [("Use one VM", "2026-05-01", 5, 5), ("Magic links", "2026-05-03", 6, 6)]


def test_undated_repeated_headings_and_numbered_headings() -> None:
    text = "# Backend log\n\n## STEP 1 — Schema ✅\n\nx\n\n## STEP 2 — API ✅\n\ny\n\n## STEP 3 — Auth\n\nz\n"
    assert [t for t, *_ in _summary(text, "SYSTEM_LOG.md")] == [
        "STEP 1 — Schema ✅",
        "STEP 2 — API ✅",
        "STEP 3 — Auth",
    ]


def test_a_document_in_a_folder_of_records_is_one_record() -> None:
    text = (
        "---\nstatus: accepted\ndate: 2026-05-26\n---\n# Evolution report per compiler\n\n## Context and Problem Statement\n\n"
        "Reports are long.\n\n## Decision Outcome\n\nSplit them.\n\n| metric | 2026-01-01 |\n|---|---|\n| size | 3 |\n"
    )
    document = read_text(text, "doc/adr/20260526-evolution-report.md")
    (record,) = document.records
    assert (record.kind, record.title, record.date) == ("decision", "Evolution report per compiler", "2026-05-26")
    assert record.fields.context == "Reports are long."
    assert record.fields.decision.startswith("Split them.\n\n| metric |")  # the table belongs to its section


def test_a_postmortem_dated_by_its_file_name() -> None:
    text = "# Prod latency regression\n\n- Severity: high\n\n## Root cause\n\nN+1 query.\n\n## Resolution\n\nEager loading.\n"
    (record,) = read_text(text, "docs/postmortems/2026-07-01-prod-latency.md").records
    assert (record.kind, record.date, record.fields.root_cause, record.fields.resolution) == (
        "incident",
        "2026-07-01",
        ("N+1 query.",),
        ("Eager loading.",),
    )


def test_an_index_page_is_no_record() -> None:
    text = "# Decisions\n\n- [ADR 1](0001-a.md)\n- [ADR 2](0002-b.md)\n- [ADR 3](0003-c.md)\n"
    assert read_text(text, "docs/decisions/README.md").records == []


def test_an_empty_log_is_no_record() -> None:
    assert read_text("# Development Log\n\nNewest first.\n\n## Archive\n\nNothing yet.\n", "DEVLOG.md").records == []


@pytest.mark.parametrize("order", ["newest", "oldest", "mixed"])
def test_newest_first_oldest_first_and_mixed_files(order: str) -> None:
    days = {"newest": [3, 2, 1], "oldest": [1, 2, 3], "mixed": [2, 3, 1]}[order]
    text = "".join(f"## 2026-01-0{d} - Day {d}\n\nbody {d}\n\n" for d in days)
    document = read_text(text, "JOURNAL.md")
    assert [r.title for r in document.records] == [f"Day {d}" for d in days]
    assert len({r.id for r in document.records}) == 3


def test_placeholder_dates_are_reported_not_read() -> None:
    text = "## SESSION #1 - [12/01/2026]\n\nwork\n\n## SESSION #2 - [Date]\n\nXX:XX\n"
    document = read_text(text, "JOURNAL.md")
    assert [r.date for r in document.records] == ["2026-01-12"]
    assert [(d.code, d.source.start_line) for d in document.diagnostics] == [("PRS040", 5)]


@pytest.mark.parametrize(
    ("path", "family"),
    [
        ("System_Log.md", "syslog"),
        ("docs/SYSTEM_LOG.md", "syslog"),
        ("Logs/2026-05.md", "syslog"),
        ("DEVELOPMENT_LOG.md", "devlog"),
        ("docs/10-DEVLOG.md", "devlog"),
        ("devlog/2025-11-17.md", "devlog"),
        ("JOURNAL.md", "devlog"),
        ("memory-bank/activeContext.md", "memory"),
        ("memory-bank/decisionLog.md", "adr"),
        ("docs/ADR/0001-x.md", "adr"),
        ("architecture/decisions/0002-x.md", "adr"),
        ("docs/architecture/adrs/0005-x.md", "adr"),
        ("DECISIONS.md", "adr"),
        ("POSTMORTEMS.md", "incidents"),
        ("docs/postmortems/2026-07-01-x.md", "incidents"),
        ("docs/incidents/006-x.md", "incidents"),
        ("PROGRESS.md", "session"),
        ("SESSION_NOTES.md", "session"),
        ("HANDOFF.md", "session"),
        ("claude-progress.txt", "session"),
        ("openspec/changes/add-forms/proposal.md", "changes"),
        ("CHANGES.md", "changes"),
        ("CHANGELOG.md", "changelog"),
        ("feature_list.json", "features"),
    ],
)
def test_family_by_name_in_any_case(path: str, family: str) -> None:
    assert detect_family("", path) == family
    assert detect_family("", path.upper() if not path.endswith(".json") else path) == family


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "## 2026-01-02 - A",
                "### 30. B",
                "- 2026-06-19: c",
                "**Root cause:** d",
                "| 2026-01-01 | e |",
                "|---|---|",
                "---",
                "",
                "text",
                "# T",
                "```",
                "[2026-01-01] f",
                "## STEP 1",
                "Статус: ok",
                "2026年3月4日",
            ]
        ),
        max_size=30,
    ).map("\n".join)
)
def test_arbitrary_text_reads_losslessly_without_overlap(text: str) -> None:
    for path in ("SYSTEM_LOG.md", "docs/adr/0001-x.md", "notes.md", "progress.txt"):
        document = read_text(text, path)
        assert document.render() == text
        spans = sorted((r.source.start_line, r.source.end_line) for r in document.records if r.source)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
        assert all(r.title for r in document.records)


def test_bracketed_tags_caps_labels_and_key_value_pairs_are_sections() -> None:
    text = (
        "## 2026-02-01 - Cache fix\n\nISSUE: stale reads\nCAUSE: no invalidation\n[FIX] purge on write\n"
        "status=done; owner=ops\n**Intent.** Keep reads fresh.\n"
    )
    (record,) = read_text(text, "SYSTEM_LOG.md").records
    assert [(s.label, s.text) for s in record.fields.sections] == [
        ("ISSUE", "stale reads"),
        ("CAUSE", "no invalidation"),
        ("FIX", "purge on write"),
        ("status", "done"),
        ("owner", "ops"),
        ("Intent", "Keep reads fresh."),
    ]
    assert record.fields.hypothesis == "no invalidation"  # CAUSE means root cause
    assert record.fields.actions == ("purge on write",)  # FIX means resolution


def test_a_small_log_of_undated_headings_and_an_undated_table_log() -> None:
    text = "# INCIDENTS\n\n## Known issues\n\n### Issue 1: no samples\nImpact: drift.\n\n### Issue 2: no resume\nImpact: manual.\n"
    assert [r.title for r in read_text(text, "INCIDENTS.md").records] == ["Issue 1: no samples", "Issue 2: no resume"]
    table = "# Open decisions\n\n| # | Topic | Status |\n|---|---|---|\n| 1 | Scoring tiers | ✅ Resolved |\n| 2 | Paging style | ⏳ Open |\n"
    assert [(r.title, r.source.start_line) for r in read_text(table, "DECISIONS.md").records] == [
        ("Scoring tiers", 5),
        ("Paging style", 6),
    ]


def test_an_archive_or_index_heading_is_no_entry() -> None:
    text = "# Dev log\n\n## Daily Log\n\n## Archive\n\n- nothing archived yet\n\n## Index\n\n- none\n"
    assert read_text(text, "DEVLOG.md").records == []


def test_a_record_cut_by_another_rule_still_takes_the_date_its_heading_shows() -> None:
    text = (
        "# Log\n\n## STEP 1 — Schema\n\nx\n\n## STEP 2 — API\n\ny\n\n## Hotfix — login\n\nz\n\n"
        "## Session Log — 2026-05-27 (Dialog overhaul)\n\nw\n"
    )
    dates = [r.date for r in read_text(text, "SYSTEM_LOG.md").records]
    assert dates == ["", "", "", "2026-05-27"]


LABELLED_ITEMS = """# Error log and lessons

## History
1. **ISSUE:** Blank page on start (aka the white screen).
   - **CAUSE:** A provider threw before the first render.
   - **FIX:** Wrapped the tree in an error boundary.

2. **Problem:** Sync never finished.
   - **Solution:** Retried with backoff.

## Rules
1. **NEVER** ship debug borders.
2. **KEEP IT SMALL:** one change per commit.

- **Issue:** Tabs lost their state
  - **Root cause:** keys were indexes
"""


def test_a_log_of_labelled_items_gives_a_record_per_item() -> None:
    """No dates and no entry headings: top-level items that open with a label and hold labelled lines the
    synonym table knows are the entries; a list of rules (labels, but none it knows, no nested labels) is not."""
    document = read_text(LABELLED_ITEMS, "SYSTEM_LOG.md")
    assert document.render() == LABELLED_ITEMS
    assert [(r.title, r.source.start_line, r.source.end_line) for r in document.records if r.source] == [
        ("Blank page on start (aka the white screen)", 4, 6),
        ("Sync never finished", 8, 9),
        ("Tabs lost their state", 15, 16),
    ]
    first = document.records[0]
    assert [(s.label, s.text) for s in first.fields.sections] == [
        ("ISSUE", "Blank page on start (aka the white screen)."),
        ("CAUSE", "A provider threw before the first render."),
        ("FIX", "Wrapped the tree in an error boundary."),
    ]
    assert first.fields.observation == "Blank page on start (aka the white screen)."
    assert first.fields.hypothesis == "A provider threw before the first render."
    assert [u.start_line for u in document.unstructured] == [3, 11]


def test_labelled_items_outside_a_log_stay_one_document() -> None:
    document = read_text(LABELLED_ITEMS.replace("# Error log and lessons", "# Notes"), "docs/notes/widget.md", "entry")
    assert len(document.records) == 1


BASELINE_AND_LOG = """# Machine decisions

## Storage {{{
**STATUS:** BASELINE
**DECISION:**
- btrfs for root
**RATIONALE:**
- snapshots }}}

## Overview
How this file is kept: **Status:** one line per change.

---

## [2026-04-06] - input fix {{{

### CONTEXT
- a key repeats

### DECISION
- a udev rule }}}

## [2026-04-07] - network hardening {{{

### DECISION
- a firewall }}}
"""


def test_undated_sections_with_known_labels_beside_dated_entries_are_entries() -> None:
    """The dated headings set the entries' level; an undated section at that level holding two labels the
    synonym table knows is an entry too (no date), one holding fewer is the log's preamble."""
    assert _summary(BASELINE_AND_LOG, "SYSTEM_LOG.md") == [
        ("Storage", "", 3, 8),
        ("input fix", "2026-04-06", 15, 21),
        ("network hardening", "2026-04-07", 23, 26),
    ]


def test_a_file_named_for_its_day_is_that_days_entry() -> None:
    """Its headings are its sections, not entries of their own; brackets in its title stay paired."""
    text = (
        "# [Day 2] Trading bot - first article\n\n**Date**: 2025-11-17\n**Status**: on track\n\n"
        "## Done today\n\n- [x] pushed the config\n\n## Tomorrow\n\n- write tests\n\n## Notes (misc)\n\ntext\n"
    )
    document = read_text(text, "devlog/2025-11-17.md", "story")
    assert [(r.title, r.date, r.source.start_line, r.source.end_line) for r in document.records if r.source] == [
        ("[Day 2] Trading bot - first article", "2025-11-17", 1, 16)
    ]
    assert [s.label for s in document.records[0].fields.sections][:4] == ["Date", "Status", "Done today", "Tomorrow"]


def test_a_note_between_dated_entries_is_an_entry_and_a_weekday_goes_with_its_date() -> None:
    text = (
        "# DEVLOG\n\n## Entry 001 - Project start (Sunday 5th April 2026)\n\nSet it up.\n\n"
        "## Notes on the cloud side\n\nLong thoughts.\n\n## Entry 002 - Schema (Monday 6th April 2026)\n\nWrote it.\n\n"
        "## Next steps\n\n- more\n"
    )
    assert _summary(text, "docs/DEVLOG.md") == [
        ("Entry 001 - Project start", "2026-04-05", 3, 5),
        ("Notes on the cloud side", "", 7, 9),
        ("Entry 002 - Schema", "2026-04-06", 11, 13),
    ]


def test_one_document_with_front_matter_holds_its_front_matter() -> None:
    text = "---\ntitle: ECS unification\ndate: 2026-02-09\n---\n\n# 004: ECS unification\n\n## What was built\n\nA world.\n"
    assert _summary(text, "docs/devlog/004-ecs-unification.md", "story") == [("ECS unification", "2026-02-09", 1, 10)]


def test_a_day_heading_alone_takes_its_title_from_its_first_bold_line() -> None:
    text = "# 개발 로그\n\n## 2026-07-15\n**1. 폴더 구조 개편**\n- **문제 인식**: 파일이 너무 큼\n\n## 2026-07-17\n본문 첫 줄\n- more\n"
    assert [t for t, *_ in _summary(text, "DEVELOPMENT_LOG.md")] == ["1. 폴더 구조 개편", "본문 첫 줄"]


def test_a_date_label_dates_an_undated_heading() -> None:
    text = "# DEVLOG\n\n## Day 14\nDate: 2026-01-05\n\nAuth.\n\n## Day 15\n**Date:** 06/01/2026\n\nBilling.\n\n## Day 16\n\nDeploy.\n"
    assert _summary(text, "DEVLOG.md") == [
        ("Day 14", "2026-01-05", 3, 6),
        ("Day 15", "2026-01-06", 8, 11),
        ("Day 16", "", 13, 15),
    ]


def test_banner_lines_in_a_text_log_start_dated_entries() -> None:
    text = "=== 2026-01-05 ===\nDid the login page.\nNext: tests.\n\n--- 2026-01-06 ---\nTests written.\n"
    assert _summary(text, "notes/JOURNAL.txt") == [
        ("Did the login page", "2026-01-05", 1, 3),
        ("Tests written", "2026-01-06", 5, 6),
    ]


PARTIAL_ENTRIES = """# System log

## 2026-02-03 11:00 - Session store
**Type:** Configuration
**Affected Files:**
- `src/session.py` (lines 1-9)
**Result:**
- works

## 2026-02-02 09:00 - Invoice rounding
**Result:** fixed, no Type written

## How to write an entry

Example:

## 2026-01-01 00:00 - Title of the change
**Type:** Bug Fix
"""


def test_a_dated_heading_short_of_the_template_is_still_an_entry_but_an_example_is_not() -> None:
    document = read_text(PARTIAL_ENTRIES, "SYSTEM_LOG.md")
    assert document.render() == PARTIAL_ENTRIES
    assert [(r.title, r.source.start_line) for r in document.records if r.source] == [
        ("Session store", 3),
        ("Invoice rounding", 10),
    ]
    assert {(d.code, d.source.start_line) for d in document.diagnostics} >= {("PRS011", 10), ("PRS011", 17)}
    assert [u.start_line for u in document.unstructured] == [13]


def test_dated_lines_under_an_examples_heading_show_the_format() -> None:
    text = (
        "# 変更履歴\n\n## 例\n\n- 2024-03-01 [RELEASE] m1\n- 2023-02-01 [ADD] patch\n\n"
        "## タイムライン\n\n- 2026-08-20 [UPDATE] removed a patch\n  - @a\n- 2026-07-31 [FIX] build error\n"
        "- 2026-07-02 [ADD] arm64 build\n"
    )
    assert [(t, d) for t, d, *_ in _summary(text, "CHANGES.md")] == [
        ("[UPDATE] removed a patch", "2026-08-20"),
        ("[FIX] build error", "2026-07-31"),
        ("[ADD] arm64 build", "2026-07-02"),
    ]


def test_an_index_page_of_a_record_folder_is_no_record() -> None:
    """A README in a folder of postmortems that links to the files beside it lists the records; its own
    sections (severity levels, a template) are text, reported, not incidents."""
    text = (
        "# Incident reports\n\n| RCA | Title |\n|---|---|\n| 002 | [DNS timeout](./002-dns-timeout.md) |\n"
        "| 001 | [Disk full](001-disk-full.md) |\n\n## Severity levels\n\n| Level | Meaning |\n|---|---|\n"
        "| High | down |\n\n## RCA template\n\n## Root cause\n\n## Action items\n"
    )
    document = read_text(text, "docs/incidents/README.md", "incidents")
    assert document.records == []
    assert document.render() == text
    assert [(u.start_line, u.end_line) for u in document.unstructured] == [(3, 18)]
    changelog = "# Changes\n\n## 1.2.0 (2026-01-05)\n\n- Fixed [#12](https://example.org/12)\n\n## 1.1.0 (2025-12-01)\n\n- Added x\n"
    assert [r.kind for r in read_text(changelog, "docs/changes/README.md", "changes").records] == ["release"] * 2
