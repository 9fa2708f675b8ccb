"""Memory banks (memory-bank/*.md): fixtures in tests/golden/memory/, each read at the path a memory bank
keeps it at, with a golden of what is read and the fields each file must give."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GOLDEN, check_golden
from whylog.markdown.document import Document, document_json
from whylog.markdown.readers import read_text
from whylog.markdown.readers.memory import is_template, section_state, task_state
from whylog.markdown.scan import scan
from whylog.model import ContextFields, DecisionFields, SessionFields, TaskItem, open_items

FIXTURES = GOLDEN / "memory"
# fixture -> the path it is read at
PATHS = {
    "active-context": "memory-bank/activeContext.md",
    "progress-cline": "memory-bank/progress.md",
    "progress-log": "memory-bank/progress.md",
    "tasks-log": "memory-bank/tasks.md",
    "projectbrief-fr": "memory-bank/projectbrief.md",
    "decision-log-zh": "memory-bank/decisionLog.md",
    "decision-log-groups": "memory-bank/decisionLog.md",
    "decision-log-headings": "memory-bank/decisionLog.md",
    "audit-log": "memory-bank/auditLog.md",
    "session-log": "memory-bank/sessionLog.md",
    "template-roo": "memory-bank/productContext.md",
    "template-cline": "memory-bank/techContext.md",
    "template-decision-log": "memory-bank/decisionLog.md",
}


def _read(name: str) -> Document:
    return read_text((FIXTURES / f"{name}.md").read_text(encoding="utf-8"), PATHS[name])


@pytest.mark.parametrize("name", sorted(PATHS))
def test_memory_fixture_golden(name: str, update_goldens: bool) -> None:
    doc = _read(name)
    assert doc.text == (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    check_golden(document_json(doc), FIXTURES / f"{name}.json", update_goldens)


def test_a_context_file_is_one_context_record_with_its_sections_and_newest_date() -> None:
    doc = _read("active-context")
    (record,) = doc.records
    assert (record.id, record.kind, record.title) == ("CTX-activecontext", "context", "Active Context: Ledger")
    assert isinstance(record.fields, ContextFields)
    assert record.date == record.fields.updated == "2026-03-05T10:12:40Z"  # the appended update, not the title's
    assert [s.label for s in record.fields.sections] == ["Current Focus", "Recent Changes", "Open Questions"]
    assert record.fields.tasks == (
        TaskItem("Should exports of more than 1 GB be split?", "open", "Open Questions"),
        TaskItem("Keep the CSV header row", "done", "Open Questions"),
    )
    assert doc.unstructured == [] and doc.diagnostics == []


def test_cline_progress_gives_what_works_what_is_left_and_known_issues_as_tasks() -> None:
    (record,) = _read("progress-cline").records
    assert isinstance(record.fields, ContextFields)
    states = [(t.text, t.state, t.section) for t in record.fields.tasks]
    assert states == [
        ("Sign-in with email and password", "done", "What Works"),
        ("CSV export", "done", "What Works"),
        ("Password reset", "open", "What's Left to Build"),
        ("CSV import", "open", "What's Left to Build"),
        ("Dark mode", "in_progress", "What's Left to Build"),
        ("The session expires too early on Safari", "open", "Known Issues"),
    ]
    assert record.date == "2026-05-02"
    assert ("task", "Dark mode") in open_items(record) and ("task", "CSV export") not in open_items(record)


def test_dated_progress_and_session_logs_read_as_sessions() -> None:
    doc = _read("progress-log")
    assert [(r.kind, r.date) for r in doc.records] == [
        ("session", "2026-07-15T01:20:00Z"),
        ("session", "2026-07-16T09:05:00Z"),
    ]
    sessions = _read("session-log").records
    assert [(r.kind, r.fields.number) for r in sessions if isinstance(r.fields, SessionFields)] == [
        ("session", 3),
        ("session", 4),
    ]
    assert isinstance(sessions[1].fields, SessionFields) and sessions[1].fields.features is not None
    assert (sessions[1].fields.features.passing, sessions[1].fields.features.total) == (20, 20)


def test_tasks_and_audit_logs_read_as_their_entries() -> None:
    assert [(r.kind, r.date[:10]) for r in _read("tasks-log").records] == [
        ("story", "2026-05-03"),
        ("story", "2026-05-05"),
    ]
    assert [r.kind for r in _read("audit-log").records] == ["entry", "entry", "entry"]


def test_a_decision_log_entry_gives_its_rationale_and_implications() -> None:
    first, second = _read("decision-log-zh").records
    assert isinstance(first.fields, DecisionFields)
    assert (first.kind, first.title, first.date) == ("decision", "采用 SQLite 作为本地缓存", "2026-08-02T12:51:30Z")
    assert (first.fields.rationale, first.fields.consequences) == ("离线可用，部署简单", "需要处理多进程写入锁")
    assert second.date.startswith("2026-08-03")


def test_repeated_label_groups_are_a_decision_each() -> None:
    doc = _read("decision-log-groups")
    assert [(r.kind, r.title, r.source.start_line if r.source else 0) for r in doc.records] == [
        ("decision", "Одна страница проекта с вкладками вместо отдельных страниц", 9),
        ("decision", "MongoDB как основная база данных", 24),
    ]
    first = doc.records[0].fields
    assert isinstance(first, DecisionFields)
    assert first.decision == "* Одна страница проекта с вкладками вместо отдельных страниц"
    assert first.rationale.startswith("* Меньше переходов")
    assert [s.label for s in first.sections] == ["Решение", "Обоснование", "Детали реализации"]


def test_an_entry_heading_over_label_headings_is_a_decision_dated_by_its_date_section() -> None:
    (record,) = _read("decision-log-headings").records
    assert isinstance(record.fields, DecisionFields)
    assert (record.title, record.date) == ("Fila única para notificações", "2026-03-28")
    assert record.fields.rationale == "- Evitar mensagens duplicadas entre os serviços"
    assert record.fields.consequences == "- O serviço de e-mail passa a consumir da fila"


@pytest.mark.parametrize("name", ["template-roo", "template-cline", "template-decision-log"])
def test_a_never_filled_template_reads_as_no_record_and_says_so(name: str) -> None:
    doc = _read(name)
    assert doc.records == [] and doc.unstructured == []
    assert [d.code for d in doc.diagnostics] == ["PRS080"]
    assert doc.diagnostics[0].source.start_line == 1


def test_a_filled_section_or_a_long_introduction_is_no_template() -> None:
    filled = "# Tech Context\n\n## Technologies Used\n- Python 3.12\n\n## Setup\n- [ ]\n"
    assert not is_template(scan(filled), 1)
    intro = "# Notes\n\n" + "A line of real notes.\n" * 5 + "\n## Later\n\n*\n"
    assert not is_template(scan(intro), 1)
    assert is_template(scan("# Notes\n\n## Later\n\n- [Describe it]\n- TBD\n"), 1)
    assert is_template(scan("# System Patterns\n\n*\n"), 1)  # a title alone
    assert not is_template(scan("# System Patterns\n\nOne service, one queue.\n"), 1)


def test_a_memory_bank_readme_is_no_record() -> None:
    text = "# Memory bank\n\n- [Brief](projectbrief.md)\n- [Progress](progress.md)\n"
    document = read_text(text, "memory-bank/README.md")
    assert document.records == [] and document.unstructured != []
    dated = "# Memory bank\n\n## 2026-01-02 Setup\n\nFiles: activeContext.md\n\n## 2026-01-05 Update\n\nMore.\n"
    assert read_text(dated, "memory-bank/README.md").records == []  # its dated notes are no entries either


@pytest.mark.parametrize(
    ("text", "state"),
    [("[x] a", "done"), ("[ ] a", "open"), ("[-] a", "in_progress"), ("[~] a", "in_progress"), ("[!] a", "blocked")]
    + [("✅ a", "done"), ("🚧 a", "in_progress"), ("⛔ a", "blocked"), ("a", None)],
)
def test_task_marks(text: str, state: str | None) -> None:
    assert task_state(text) == (state, "a")


def test_section_headings_in_other_languages_give_states() -> None:
    assert section_state("Ce qui fonctionne") == "done"
    assert section_state("已知问题") == "open"
    assert section_state("В работе") == "in_progress"
    assert section_state("Architecture") is None


def test_memory_bank_files_are_found_by_name(tmp_path: Path) -> None:
    from whylog.markdown.readers import detect_family

    assert detect_family("# x\n", "memory-bank/systemPatterns.md") == "memory"
    assert detect_family("# x\n", "projectbrief.md") == "memory"
    assert detect_family("# x\n", "memory-bank/progress.md") == "memory"
    assert detect_family("# x\n", "memory-bank/decisionLog.md") == "adr"


def test_a_decision_log_handed_to_the_memory_family_still_reads_as_decisions() -> None:
    text = (FIXTURES / "decision-log-zh.md").read_text(encoding="utf-8")
    doc = read_text(text, "memory-bank/decisionLog.md", kind="memory")  # a `memory-bank/*.md` glob
    assert [r.kind for r in doc.records] == ["decision", "decision"]
    assert doc.records == _read("decision-log-zh").records


LINES = st.sampled_from(
    [
        "",
        "# Active Context (2026-04-07)",
        "## What Works",
        "## Решение",
        "## Обоснование",
        "#### Data da Decisão",
        "*",
        "- [Describe it]",
        "- [x] done",
        "- [-] doing",
        "- plain",
        "[2026-05-03 16:47:47] - ## Task: x",
        "- 原因：y",
        "2026-03-28",
        "<!-- c -->",
        "```",
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, max_size=25).map("\n".join))
def test_arbitrary_memory_bank_text_reads_losslessly_without_overlap(text: str) -> None:
    for path in sorted(set(PATHS.values())):
        document = read_text(text, path)
        assert document.render() == text
        spans = sorted((r.source.start_line, r.source.end_line) for r in document.records if r.source)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
        assert all(r.title for r in document.records)
