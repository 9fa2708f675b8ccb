from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings

from tests.conftest import EXAMPLES, GOLDEN, check_golden, seed_path
from tests.markdown.corpus import assert_every_line_is_placed, corpus, scraps  # noqa: F401  (fixture)
from tests.strategies.session import sessions
from whylog.markdown.dates import find_date
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.writers import render
from whylog.model import FeatureCount, Record, SessionFields, VerificationCheck

EXAMPLE = EXAMPLES / "progress" / "session-001.txt"


def fields_of(record: Record) -> SessionFields:
    assert isinstance(record.fields, SessionFields)
    return record.fields


def test_seed_session_progress(update_goldens: bool) -> None:
    doc = read_path(str(seed_path("session-progress.txt")), display="session-progress.txt")
    assert doc.family == "session"
    (record,) = doc.records
    fields = fields_of(record)
    assert (record.id, record.title, record.date) == (
        "SES-006",
        "AUTOGRAPH V3 - SESSION 6 PROGRESS SUMMARY",
        "2024-12-22",
    )
    assert (fields.project, fields.number) == ("AUTOGRAPH V3", 6)
    assert fields.role == "Infrastructure Features - Logging, Configuration, and Migrations"
    assert fields.status == "✅ COMPLETE (Features #12-14 passing)"
    assert len(fields.accomplishments) == 4
    assert fields.accomplishments[0].splitlines()[:2] == [
        "FEATURE #12: DISTRIBUTED LOGGING WITH CORRELATION IDs",
        "- Implemented structured JSON logging across all services",
    ]
    assert fields.features == FeatureCount(14, 679)
    assert len(fields.verification) == 22 and all(c.passed for c in fields.verification)
    assert fields.verification[0].text == "Correlation ID generated and returned in headers"
    assert [i.resolved for i in fields.known_issues] == [True, False, False, False, False]
    assert fields.known_issues[0].text.splitlines()[0] == "Correlation ID middleware order"
    oks = [(e.name, e.ok, e.detail) for e in fields.environment]
    assert oks[0] == ("PostgreSQL 16.6", True, "Running on port 5432")
    assert ("Git Service", False, "Not started yet") in oks
    assert sum(not e.ok for e in fields.environment) == 6 and len(oks) == 23
    assert fields.next.startswith("IMMEDIATE (Session 7):\n1. Implement Feature #15")
    assert fields.lessons.startswith("1. FastAPI Middleware Order")
    assert fields.commands[0] == "docker-compose up -d postgres redis minio"
    assert fields.commands[-1] == 'pkill -f "uvicorn src.main:app"' and len(fields.commands) == 17
    assert fields.verification_commands == ()  # the next session's commands are not checks
    assert [(f.path, f.change) for f in record.files[3:5]] == [(".env.local", "new"), (".env.docker", "new")]
    assert record.files[0].note.startswith("Added StructuredLogger class; Added correlation_id_middleware")
    assert record.files[-2].note == "features #12, #13, #14 marked as passing"
    assert doc.diagnostics == [] and doc.unstructured == []
    assert_every_line_is_placed(doc)
    check_golden(document_json(doc), GOLDEN / "seeds" / "session-progress.json", update_goldens)


def test_example_session_001(update_goldens: bool) -> None:
    doc = read_path(str(EXAMPLE), display="examples/progress/session-001.txt")
    (record,) = doc.records
    fields = fields_of(record)
    assert (record.id, record.date, fields.project) == ("SES-001", "2026-11-24", "WHYLOG")
    assert fields.features == FeatureCount(6, 12)
    assert [c.passed for c in fields.verification].count(False) == 1
    assert [i.resolved for i in fields.known_issues] == [True, False, False]
    assert doc.diagnostics == [] and doc.unstructured == []
    assert_every_line_is_placed(doc)
    check_golden(document_json(doc), GOLDEN / "examples" / "session-001.json", update_goldens)


def test_generated_sessions_read_as_one_record_each(corpus: Path) -> None:  # noqa: F811
    paths = sorted((corpus / "progress").glob("session-*.txt"))
    assert paths
    for path in paths:
        doc = read_path(str(path))
        (record,) = doc.records
        assert record.id == "SES-" + path.stem.split("-")[1]
        assert fields_of(record).features is not None and record.date
        assert doc.diagnostics == [] and doc.unstructured == [], path.name


VERIFIED_NOTE = """\
================================================================================
DEMO - SESSION 3 PROGRESS SUMMARY
================================================================================

Date: 2026-11-26

================================================================================
VERIFICATION TESTS PERFORMED
================================================================================

✅ Feature #1: pool
   - Pool holds 20 connections ✅
   - Verify: `pytest tests/test_pool.py -q` ✅

```bash
pytest tests/test_pool.py \\
  -q
make check
```

   ```
   ruff check src
   ```

================================================================================
COMMANDS FOR NEXT SESSION
================================================================================

Start Services:
  nohup make serve &
"""


def test_code_blocks_in_the_verification_section_are_its_commands_not_checks() -> None:
    doc = read_text(VERIFIED_NOTE, "progress/session-003.txt")
    fields = fields_of(doc.records[0])
    assert [c.text for c in fields.verification] == [
        "Pool holds 20 connections",
        "Verify: `pytest tests/test_pool.py -q`",
    ]
    assert fields.verification_commands == ("pytest tests/test_pool.py \\\n  -q\nmake check", "ruff check src")
    assert fields.commands == ("nohup make serve &",)
    assert doc.diagnostics == [] and doc.unstructured == []


MARKDOWN_NOTE = """\
# WHYLOG - SESSION 2 PROGRESS SUMMARY

**Date:** 2026-11-25
**Status:** IN PROGRESS

## Accomplishments

1. ✅ Search index
   - FTS5 table per repo

## Verification

- Query by tag ✅
- Query by file ❌

## Known Issues

1. ✅ RESOLVED: slow first query
2. bm25 on common terms

## Commands

```bash
# rebuild the index
whylog search --rebuild
```

## Files

- `src/whylog/index/sqlite.py` (new)
"""


def test_markdown_session_note() -> None:
    doc = read_text(MARKDOWN_NOTE, "progress/session-002.md")
    assert doc.family == "session"
    (record,) = doc.records
    fields = fields_of(record)
    assert (record.id, record.date, fields.status) == ("SES-002", "2026-11-25", "IN PROGRESS")
    assert fields.accomplishments == ("Search index\n- FTS5 table per repo",)
    assert [(c.text, c.passed) for c in fields.verification] == [("Query by tag", True), ("Query by file", False)]
    assert [(i.text, i.resolved) for i in fields.known_issues] == [
        ("slow first query", True),
        ("bm25 on common terms", False),
    ]
    assert fields.commands == ("# rebuild the index", "whylog search --rebuild")
    assert [(f.path, f.change) for f in record.files] == [("src/whylog/index/sqlite.py", "new")]


def test_missing_number_date_and_bad_file_lines_are_reported() -> None:
    text = (
        "=====\nPROGRESS NOTES\n=====\n\nDate: someday\n\n"
        "=====\nFILES CREATED/MODIFIED\n=====\n\n- a file I forgot the name of\n- src/app.py (new)\n"
    )
    doc = read_text(text, "progress/notes.txt")
    (record,) = doc.records
    assert record.id == "SES-notes" and record.title == "PROGRESS NOTES" and record.date == ""
    assert [(d.code, d.source.start_line) for d in doc.diagnostics] == [("PRS067", 2), ("PRS068", 2), ("PRS069", 11)]
    assert [f.path for f in record.files] == ["src/app.py"]


def test_session_number_from_the_session_line_and_failed_checks() -> None:
    text = (
        "=====\nNIGHTLY NOTES\n=====\n\nDate: 2026-01-02\nSession: 12 of Many\n\n"
        "=====\nVERIFICATION TESTS PERFORMED\n=====\n\n"
        "⚠️ Feature #3\n   - Import works ✅\n   - Export fails ❌\n   - Retry flaky ⚠️\n"
    )
    (record,) = read_text(text, "progress/n.txt").records
    assert record.id == "SES-012"
    assert [c.passed for c in fields_of(record).verification] == [True, False, False]


def test_a_verification_command_holding_a_fence_round_trips() -> None:
    commands = ("cat <<'X'\n  ````\nX", "make check")
    fields = SessionFields(number=2, verification=(VerificationCheck("It works"),), verification_commands=commands)
    record = Record("SES-002", "session", "SESSION 2 PROGRESS SUMMARY", "2026-01-01", fields)
    doc = read_text(render(record), "progress/session-002.txt")
    assert [r.without_source() for r in doc.records] == [record]


@settings(max_examples=100, deadline=None)
@given(sessions())
def test_session_round_trip(record: Record) -> None:
    doc = read_text(render(record), "progress/session-001.txt")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == [] and doc.diagnostics == []


FRAGMENTS = [
    "=" * 80,
    "X - SESSION 3 PROGRESS SUMMARY",
    "ACCOMPLISHMENTS",
    "Date: May 1, 2026",
    "Session: x",
    "✅ 1. A",
    "   - b ✅",
    "KNOWN ISSUES",
    "1. ✅ RESOLVED:",
    "ENVIRONMENT STATUS",
    "⚠️  X - y",
    "✅",
    "FILES CREATED/MODIFIED",
    "- a.py (new)",
    "  * note",
    "Dockerfile (",
    "COMMANDS FOR NEXT SESSION",
    "  make",
    "```",
    "# T - SESSION 1",
    "## Files",
    "3/0 features now passing",
    "Features passing tests: 1 /",
]


@settings(max_examples=100, deadline=None)
@given(scraps(FRAGMENTS))
def test_arbitrary_text_never_fails(text: str) -> None:
    doc = read_text(text, "progress/x.txt", kind="session")
    # one record, unless the note is a log of sessions: two or more titles naming a session or a date
    heads = [line for line in text.splitlines() if "SESSION 1" in line or find_date(line) is not None]
    if len(heads) < 2:
        assert len(doc.records) <= 1
    spans = sorted((r.source.start_line, r.source.end_line) for r in doc.records if r.source)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_a_plain_text_note_and_a_markdown_log_read_one_feature_count_alike() -> None:
    """One parser for `14/679 tests passing` and `Features passing: 20 / 679` in both shapes; a labelled
    count wins over a bare one in the same note."""
    note = "=====\nProj - SESSION 3 PROGRESS SUMMARY\n=====\nDate: 2026-02-01\n\n3/4 features now passing\nFeatures passing tests: 14 / 679\n"
    assert read_text(note, "progress/session-003.txt", "session").records[0].fields.features == FeatureCount(14, 679)
    bare = "=====\nProj - SESSION 4 PROGRESS SUMMARY\n=====\nDate: 2026-02-02\n\n14/679 tests passing\n"
    log = "# Progress\n\n## Session 3 - 2026-02-01\n\n14/679 tests passing\n\n## Session 4 - 2026-02-02\n\nmore\n"
    assert read_text(bare, "progress/session-004.txt", "session").records[0].fields.features == FeatureCount(14, 679)
    assert read_text(log, "PROGRESS.md").records[0].fields.features == FeatureCount(14, 679)
