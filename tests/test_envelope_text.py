"""The envelope as JSON text (model.to_json_text, what the index stores) is exactly
`json.dumps(to_json(record), ensure_ascii=False)` for records of every kind, and refuses what is no
record part."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies.adr import decisions
from tests.strategies.changelog import releases
from tests.strategies.changes import changes
from tests.strategies.devlog import contexts, stories
from tests.strategies.features import features
from tests.strategies.incidents import incidents
from tests.strategies.session import sessions
from tests.strategies.syslog import entries
from whylog.model import EntryFields, Record, to_json, to_json_text

RECORDS = st.one_of(
    entries(), incidents(), decisions(), changes(), stories(), contexts(), sessions(), features(), releases()
)


@settings(max_examples=150, deadline=None)
@given(RECORDS)
def test_the_stored_envelope_is_the_envelope_as_json(record: Record) -> None:
    text = to_json_text(record)
    assert text == json.dumps(to_json(record), ensure_ascii=False)
    assert list(json.loads(text)) == ["id", "kind", "title", "date", "tags", "files", "links", "source", "fields"]


def test_text_outside_ascii_is_kept_as_written() -> None:
    record = Record(id="LOG-1", kind="entry", title="Größe — 大小 🚀", date="2026-01-02", fields=EntryFields())
    assert '"title": "Größe — 大小 🚀"' in to_json_text(record)


@pytest.mark.parametrize("value", [object(), {1, 2}, b"bytes"])
def test_what_is_no_record_part_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        to_json_text({"part": value})
