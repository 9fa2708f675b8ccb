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
