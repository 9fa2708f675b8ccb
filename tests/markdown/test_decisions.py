"""Decision records in every template: fixtures in tests/golden/decisions/, each read at the path a repo
keeps it at, with a golden of what is read and the fields each template must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GOLDEN, check_golden
from whylog.markdown.decisions import id_of_file, state_of, target_of
from whylog.markdown.document import document_json
from whylog.markdown.readers import read_text
from whylog.model import DecisionFields

FIXTURES = GOLDEN / "decisions"
# fixture -> the path it is read at
PATHS = {
    "nygard-superseded": "doc/adr/0002-keep-sessions-in-memcached.md",
    "nygard-supersedes": "doc/adr/0007-keep-sessions-in-the-database.md",
    "madr2": "docs/decisions/0003-use-feature-flags-for-risky-rollouts.md",
    "madr3": "docs/decisions/0011-choose-a-queue-for-outbound-webhooks.md",
    "madr4": "docs/decisions/0008-sign-release-artifacts.md",
    "german-front-matter": "docs/architecture/adrs/0004-bilder-ueber-cdn.md",
    "portuguese": "architecture/decisions/0003-usar-filas.md",
    "date-named": "doc/adr/20260526-split-the-reporting-page.md",
    "numbered-nr": "docs/architecture-decision-record-adrs/nr.-003-wahl-der-datenbank.md",
    "pending": "docs/adr/000-PENDING-message-broker.md",
    "decision-log": "DECISIONS.md",
    "memory-bank-decision-log": "memory-bank/decisionLog.md",
    "index": "docs/adr/index.md",
    "decision-table": "DECISIONS.md",
    "chinese": "docs/adr/0006-response-plugin.md",
}


def _read(name: str):  # type: ignore[no-untyped-def]
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    return read_text(text, PATHS[name])


@pytest.mark.parametrize("name", sorted(PATHS))
def test_decision_fixture_golden(name: str, update_goldens: bool) -> None:
    doc = _read(name)
    assert doc.text == (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    check_golden(document_json(doc), FIXTURES / f"{name}.json", update_goldens)


def _one(name: str) -> tuple[str, str, str, DecisionFields]:
    (record,) = _read(name).records
    assert isinstance(record.fields, DecisionFields)
    return record.id, record.title, record.date, record.fields


def test_nygard_status_links_resolve_both_ways() -> None:
    ident, title, date, fields = _one("nygard-superseded")
    assert (ident, title, date, fields.number) == ("ADR-002", "Keep sessions in memcached", "2021-03-04", 2)
    assert (fields.state, fields.superseded_by) == ("superseded", ("ADR-007",))
    assert fields.status.startswith("Superseded by [7. Keep sessions")
    ident, _title, _date, fields = _one("nygard-supersedes")
    assert (ident, fields.status, fields.state, fields.supersedes) == ("ADR-007", "Accepted", "accepted", ("ADR-002",))
    (record,) = _read("nygard-supersedes").records
    assert [link.target for link in record.links] == ["ADR-002"]


def test_madr2_bullet_metadata_and_positive_negative_consequences() -> None:
    ident, _title, date, fields = _one("madr2")
    assert (ident, date, fields.status, fields.state) == ("ADR-003", "2020-06-15", "accepted", "accepted")
    assert fields.deciders == "Priya Raman, Tom Okafor"
    assert fields.drivers == ("rollback within one minute", "no redeploy to switch a customer over")
    assert fields.options == ("Feature flags", "Long-lived release branch", "Blue/green deploys")
    assert fields.decision.startswith('Chosen option: "Feature flags"')
    assert (fields.good, fields.bad) == (
        ("a bad rollout is switched off in seconds",),
        ("stale flags must be cleaned up by hand",),
    )
    assert [s.label for s in fields.sections] == ["Pros and Cons of the Options"]


def test_madr3_and_madr4_front_matter_outcome_and_confirmation() -> None:
    _ident, _title, date, fields = _one("madr3")
    assert (date, fields.state, fields.deciders) == ("2023-09-01", "proposed", "platform team")
    assert fields.options == ("SQS", "RabbitMQ", "A Postgres table polled by workers")
    assert fields.good == ("Good, because retries and ordering live in one table we already back up",)
    assert fields.bad == ("Bad, because polling adds load on the primary",)
    ident, _title, date, fields = _one("madr4")
    assert (ident, date, fields.state) == ("ADR-008", "2025-01-22", "accepted")
    assert fields.deciders == "Lena Vogt, Marco Bianchi"
    assert fields.decision == 'Chosen option: "Sigstore keyless signing", because it needs no key custody.'
    assert fields.confirmation.startswith("The release workflow fails when")
    assert len(fields.good) == len(fields.bad) == 1 and "### " not in fields.decision
    assert [s.label for s in fields.sections] == ["Pros and Cons of the Options", "More Information"]


def test_other_languages_and_a_status_line_listing_every_status() -> None:
    ident, _title, date, fields = _one("german-front-matter")
    assert (ident, date, fields.status, fields.state) == ("ADR-004", "2024-05-06", "Akzeptiert", "accepted")
    assert fields.context.startswith("Bilder werden") and fields.decision.startswith("Alle Bilder")
    assert (fields.good, fields.bad) == (
        ("weniger Last auf dem Anwendungsserver",),
        ("geänderte Bilder erscheinen erst nach Ablauf des Caches",),
    )
    _ident, _title, _date, fields = _one("portuguese")
    assert (fields.status, fields.state, fields.decision[:9]) == ("Aceito", "accepted", "Os e-mail")
    ident, title, _date, fields = _one("numbered-nr")
    assert (ident, title, fields.status, fields.state) == ("ADR-003", "Wahl der Datenbank", "Akzeptiert", "accepted")
    assert (fields.context[:7], fields.decision, fields.options) == (
        "Die App",
        "Wir verwenden PostgreSQL.",
        ("MongoDB", "SQLite"),
    )


def test_date_named_and_pending_file_names() -> None:
    ident, _title, date, fields = _one("date-named")
    assert (ident, date, fields.number, fields.state) == (
        "ADR-20260526-split-the-reporting",
        "2026-05-26",
        0,
        "accepted",
    )
    assert fields.options == ("Paginate the single page", "One page per service")
    ident, _title, date, fields = _one("pending")
    assert (ident, date, fields.status, fields.state) == ("ADR-000", "2026-01-15", "RESOLVED", "accepted")


def test_decision_logs_give_a_decision_per_entry_with_its_fields() -> None:
    records = _read("decision-log").records
    states = [(r.title, r.fields.status, r.fields.state) for r in records]  # type: ignore[union-attr]
    assert states == [
        ("Adopt pnpm workspaces", "Accepted", "accepted"),
        ("Drop the Redux store", "Abgelehnt", "rejected"),
        ("Postgres row-level security", "Superseded by ADR-004", "superseded"),
    ]
    assert records[2].fields.superseded_by == ("ADR-004",)  # type: ignore[union-attr]
    assert records[0].fields.consequences == "CI installs once for every package."  # type: ignore[union-attr]
    bank = _read("memory-bank-decision-log").records
    assert [(r.date, r.fields.decision[:10]) for r in bank] == [  # type: ignore[union-attr]
        ("2026-02-01", "Keep a SQL"),
        ("2026-02-14", "Charts are"),
    ]
    assert bank[0].fields.consequences == "Cache files must be ignored by git."  # type: ignore[union-attr]


def test_an_adr_index_page_is_links_not_records() -> None:
    doc = _read("index")
    assert doc.records == [] and [d.code for d in doc.diagnostics] == ["PRS034"]
    # an index with little to link to is no record either, by its name in a decision folder
    assert read_text("# Decisions\n\nWe keep ADRs here, see the table.\n", "docs/decisions/index.md").records == []


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("Accepted", "accepted"),
        ("akzeptiert", "accepted"),
        ("angenommen", "accepted"),
        ("Aceita", "accepted"),
        ("aceptado", "accepted"),
        ("Accepté", "accepted"),
        ("已接受", "accepted"),
        ("已采纳", "accepted"),
        ("承認", "accepted"),
        ("승인", "accepted"),
        ("Принято", "accepted"),
        ("_Proposed_", "proposed"),
        ("vorgeschlagen", "proposed"),
        ("proposto", "proposed"),
        ("propuesto", "proposed"),
        ("proposé", "proposed"),
        ("提议", "proposed"),
        ("提案", "proposed"),
        ("제안", "proposed"),
        ("предложено", "proposed"),
        ("Superseded by ADR-3", "superseded"),
        ("ersetzt", "superseded"),
        ("substituído", "superseded"),
        ("reemplazado", "superseded"),
        ("remplacé", "superseded"),
        ("已取代", "superseded"),
        ("置き換え", "superseded"),
        ("대체됨", "superseded"),
        ("заменено", "superseded"),
        ("Deprecated", "deprecated"),
        ("rejected", "rejected"),
        ("abgelehnt", "rejected"),
        ("rejeitado", "rejected"),
        ("rechazado", "rejected"),
        ("rejeté", "rejected"),
        ("已拒绝", "rejected"),
        ("却下", "rejected"),
        ("거부", "rejected"),
        ("отклонено", "rejected"),
        ("Proposed | **Accepted** | Rejected", "accepted"),
        ("Maybe", ""),
        ("acceptedish", ""),
        ("", ""),
    ],
)
def test_status_words_in_every_language(word: str, state: str) -> None:
    assert state_of(word) == state


def test_decision_file_names_and_links_to_them() -> None:
    assert id_of_file("doc/adr/0021-react-testing-library.md") == "ADR-021"
    assert id_of_file("nr.-002-auswahl.md") == "ADR-002"
    assert id_of_file("000-PENDING-x.md") == "ADR-000"
    assert id_of_file("20260526-evolution-report-per-view.md") == "ADR-20260526-evolution-report-per"
    assert id_of_file("README.md") is None
    assert target_of("See [0021-react](doc/adr/0021-react-testing-library.md)") == "ADR-021"
    assert target_of("[site](https://example.com/0021-x.md)") is None
    assert target_of("builds on ADR-0009") == "ADR-009"


def test_every_fixture_has_its_golden() -> None:
    assert sorted(p.stem for p in Path(FIXTURES).glob("*.md")) == sorted(PATHS)


def test_a_decision_log_kept_as_a_table_reads_its_columns_as_fields() -> None:
    records = _read("decision-table").records
    rows = [(r.fields.status, r.fields.state, r.fields.decision) for r in records]  # type: ignore[union-attr]
    assert rows == [
        ("✅ Resolved", "accepted", "Cloudflare R2, behind signed URLs"),
        ("⏳ Open", "proposed", "Draft in `api/paging.md`"),
        ("✅ Aceito", "accepted", "bcrypt with 12 rounds"),
    ]
    labels = [s.label for s in records[0].fields.sections]  # type: ignore[union-attr]
    assert labels == ["#", "Question", "Status", "Decision"]


def test_a_chinese_adr_reads_its_impact_as_consequences_and_keeps_its_own_sections() -> None:
    doc = _read("chinese")
    (record,) = doc.records
    fields = record.fields
    assert isinstance(fields, DecisionFields)
    assert (record.id, fields.status, fields.state) == ("ADR-006", "已采纳", "accepted")
    assert fields.context.startswith("控制器") and fields.decision.startswith("引入")
    assert (fields.good, fields.bad) == (("响应策略集中管理",), ("插件顺序会影响结果",))
    assert [(s.label, s.text) for s in fields.sections] == [("约束与实践规则", "- 插件不得修改请求对象")]
    assert doc.diagnostics == []
