from __future__ import annotations

from hypothesis import given, settings

from tests.conftest import EXAMPLES, GOLDEN, check_golden, seed_path
from tests.markdown.c1k import c1k_path
from tests.markdown.spans import unaccounted_lines
from tests.strategies.devlog import contexts, stories
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.writers import render, render_block
from whylog.model import CheckItem, FileRef, Link, Risk


def _by_kind(doc, kind: str) -> list:  # type: ignore[no-untyped-def]
    return [r for r in doc.records if r.kind == kind]


def test_seed_devlog(update_goldens: bool) -> None:
    doc = read_path(str(seed_path("devlog.md")), display="devlog.md")
    assert doc.family == "devlog"
    (context,) = _by_kind(doc, "context")
    decisions, stories_ = _by_kind(doc, "decision"), _by_kind(doc, "story")
    assert (context.id, context.title, context.date) == ("CTX-devlog", "Current Context", "2025-10-28")
    fields = context.fields
    assert fields.state["Active Branch"] == "`feature/websocket-pooling`"
    assert list(fields.stack) == ["Backend", "Database", "Real-time", "Auth", "Deployment", "Testing"]
    assert fields.standards["API"] == "RESTful v1, follows RFC 7807 for errors"
    assert fields.constraints["Data"] == "Soft deletes only, never hard delete user data"
    assert [o.done for o in fields.objectives] == [True, True, False, False, False]
    assert fields.objectives[0] == CheckItem("Fix WebSocket memory leak (v0.3.2)", True)
    assert [r.kind for r in fields.risks] == ["Risk", "Risk", "Blocker"]
    assert fields.risks[2].text.startswith("Mobile app team waiting")
    assert fields.entry_points["WebSocket Manager"] == "`src/websocket/manager.py`"
    assert [link.target for link in context.links] == ["ADR-003", "ADR-002", "ADR-001"]
    assert [(d.id, d.fields.number, d.date) for d in decisions] == [
        ("ADR-003", 3, "2025-10-27"),
        ("ADR-002", 2, "2025-10-21"),
        ("ADR-001", 1, "2025-10-15"),
    ]
    assert decisions[0].title == "Optimistic Locking for Task Updates"
    assert decisions[0].fields.summary == "Use version field to prevent race conditions"
    assert decisions[0].links == (Link("adr/003-optimistic-locking.md"),)
    assert [s.id for s in stories_][:2] == ["STORY-2025-10-28", "STORY-2025-10-27"]
    assert len(stories_) == 7
    assert [s.fields.shipped for s in stories_] == [
        "v0.3.2",
        "v0.3.1",
        "v0.3.0",
        "v0.2.3",
        "v0.2.2",
        "v0.2.0",
        "v0.1.0",
    ]
    first = stories_[0]
    assert first.title == "The WebSocket Memory Leak Hunt"
    assert [s.label for s in first.fields.sections] == [
        "The Problem",
        "The Investigation",
        "The Root Cause",
        "The Solution",
        "The Result",
    ]
    assert first.files == (
        FileRef("src/websocket/manager.py"),
        FileRef("src/websocket/heartbeat.py"),
        FileRef("tests/test_websocket_cleanup.py"),
    )
    assert stories_[3].files[0] == FileRef("src/auth/*.py")
    assert FileRef("Dockerfile") in stories_[6].files
    security = stories_[5].fields.sections[3]
    assert security.label == "The Security Decisions" and security.text.count("\n- ") == 3
    assert "📋" in doc.unstructured[0].text and "ðŸ" not in doc.unstructured[0].text  # mojibake repaired for reading
    assert "ðŸ“‹".encode() in seed_path("devlog.md").read_bytes() and "ðŸ“‹" in doc.render()  # never in the file
    assert [u.text.split("\n")[0] for u in doc.unstructured][1] == "## Archive"
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [("PRS093", 9)]  # one per file
    assert unaccounted_lines(doc) == []
    check_golden(document_json(doc), GOLDEN / "seeds" / "devlog.json", update_goldens)


def test_example_devlog(update_goldens: bool) -> None:
    doc = read_path(str(EXAMPLES / "DEVLOG.md"), display="examples/DEVLOG.md")
    assert doc.family == "devlog" and doc.diagnostics == []
    assert len(_by_kind(doc, "context")) == 1 and len(_by_kind(doc, "decision")) >= 2
    assert 3 <= len(_by_kind(doc, "story")) <= 4
    assert all(r.date.startswith("2026-") for r in doc.records)
    assert unaccounted_lines(doc) == []
    check_golden(document_json(doc), GOLDEN / "examples" / "DEVLOG.json", update_goldens)


def test_generated_corpus_reads_fully() -> None:
    doc = read_path(str(c1k_path("DEVLOG.md")), display="DEVLOG.md")
    counts = {kind: len(_by_kind(doc, kind)) for kind in ("context", "decision", "story")}
    assert counts == {"context": 1, "decision": 30, "story": 110}
    assert len({r.id for r in doc.records}) == 141
    assert doc.diagnostics == []
    assert [u.text.split("\n")[0] for u in doc.unstructured] == [
        "A narrative chronicle of the project journey - the decisions, discoveries, and pivots that shaped the work.",
        "## Archive",
    ]
    assert all(s.fields.shipped and s.files and s.fields.sections for s in _by_kind(doc, "story"))


CONTEXT_VARIANTS = """## Current Context

Last Updated: 2026-02-03

### Project state
- **Project:** whylog

### Stack and Tools
- **Parser:** pyromark
- pyromark is fast

### Key Decisions
- **ADR-2 (2026-01-10):** pyromark as the CommonMark parser

### Objectives
* [x] Read the seeds
* [ ] Write the index

### Risks
- **Blockers:** Waiting on the index schema
- Nobody has tried Windows

### Team
- Ada
"""


def test_context_variants_and_reports() -> None:
    doc = read_text(CONTEXT_VARIANTS, "notes/DevLog.md")
    (context,) = doc.records
    assert (context.id, context.date) == ("CTX-devlog", "2026-02-03")
    assert context.fields.state == {"Project": "whylog"} and context.fields.stack == {"Parser": "pyromark"}
    assert context.links[0].target == "ADR-002"
    assert [o.done for o in context.fields.objectives] == [True, False]
    assert context.fields.risks == (
        Risk("Blocker", "Waiting on the index schema"),
        Risk("Risk", "Nobody has tried Windows"),
    )
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [("PRS026", 10), ("PRS028", 21), ("PRS027", 23)]


def test_story_variants_and_duplicate_dates() -> None:
    text = (
        "## Daily Log - Newest First\n\n"
        "## 2026-03-02 - Second try at the lock\n\nWe tried again.\n\n**Files:** src/lock.py, docs/lock.md\n\n"
        "**Released:** v0.2.0\n\n---\n\n"
        "### 2026-03-02: First try at the lock\n\n**The Problem:** Records vanished.\n\n"
        "**Files Changed:** `src/lock.py` (lines 3-9), `Makefile`\n"
    )
    doc = read_text(text, "DEVLOG.md")
    newer, older = doc.records
    assert (newer.id, older.id) == ("STORY-2026-03-02-2", "STORY-2026-03-02")
    assert newer.fields.sections[0].label == "" and newer.fields.sections[0].text == "We tried again."
    assert newer.files == (FileRef("src/lock.py"), FileRef("docs/lock.md")) and newer.fields.shipped == "v0.2.0"
    assert older.files == (FileRef("src/lock.py", ((3, 9),)), FileRef("Makefile"))
    assert doc.unstructured == []


def test_devlog_problems_are_reported_with_their_lines() -> None:
    text = (
        "## Current Context\n\n**Last Updated:** soon\n\n---\n\n"
        "## Decisions (ADR Index)\n\n"
        "- **ADR-004 (2026-02-30):** Impossible day - Summary\n"
        "- Use tabs, not spaces\n"
        "- **ADR-005:** No date - Fine\n\n"
        "---\n\n"
        "### 2026-13-01: A story in the thirteenth month\n\n**The Problem:** None.\n"
    )
    doc = read_text(text, "DEVLOG.md")
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [
        ("PRS025", 3),
        ("PRS030", 9),
        ("PRS029", 10),
        ("PRS031", 15),
    ]
    assert all("expected" in d.message or d.hint for d in doc.diagnostics)
    context, adr4, adr5 = doc.records
    assert (context.fields.updated, context.date) == ("soon", "")
    assert (adr4.date, adr5.date, adr5.title, adr5.fields.summary) == ("", "", "No date", "Fine")
    assert [(u.start_line, u.end_line) for u in doc.unstructured] == [(10, 10), (15, 17)]


@settings(max_examples=100, deadline=None)
@given(contexts())
def test_context_round_trip(record) -> None:  # type: ignore[no-untyped-def]
    doc = read_text(render(record), "DEVLOG.md", kind="context")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == [] and doc.diagnostics == []


@settings(max_examples=100, deadline=None)
@given(stories())
def test_story_round_trip(record) -> None:  # type: ignore[no-untyped-def]
    doc = read_text(render(record), "DEVLOG.md", kind="story")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == [] and doc.diagnostics == []


@settings(max_examples=50, deadline=None)
@given(contexts(), stories(), stories())
def test_a_whole_devlog(context, newer, older) -> None:  # type: ignore[no-untyped-def]
    text = (
        "# Development Log\n\nIntro.\n\n---\n\n"
        + render_block(context)
        + "## Daily Log - Newest First\n\n"
        + render_block(newer)
        + render_block(older)
    )
    doc = read_text(text, "DEVLOG.md")
    assert [r.kind for r in doc.records] == ["context", "story", "story"]
    assert doc.records[0].without_source() == context
    assert [r.title for r in doc.records[1:]] == [newer.title, older.title]
    assert [u.text for u in doc.unstructured] == ["Intro."]
    assert doc.render() == text


def test_sections_without_separators_end_where_the_next_part_starts() -> None:
    text = (
        "## Current Context\n\n**Last Updated:** 2026-01-01\n\n### Project State\n- **Project:** whylog\n\n"
        "### 2026-01-02: A story right after the context\n\n**The Problem:** No separator.\n\n"
        "## Decisions\n- **ADR-001 (2026-01-01):** Markdown is the truth - The index is a cache\n"
        "### 2026-01-01: A story right after the index\n**The Result:** Read.\n"
    )
    doc = read_text(text, "DEVLOG.md")
    assert [(r.id, r.source.start_line, r.source.end_line) for r in doc.records] == [
        ("CTX-devlog", 1, 6),
        ("STORY-2026-01-02", 8, 10),
        ("ADR-001", 13, 13),
        ("STORY-2026-01-01", 14, 15),
    ]
    assert doc.diagnostics == [] and doc.unstructured == []
