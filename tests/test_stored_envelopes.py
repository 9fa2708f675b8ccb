"""`model.from_stored` reads the envelopes whylog wrote (the index's) without `from_json`'s checks: it must
give the very records `from_json` gives, for every kind and every shape of field."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whylog.markdown.readers import read_path
from whylog.model import FIELDS_BY_KIND, Record, Source, from_json, from_stored, to_json_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def records() -> st.SearchStrategy[Record]:
    kinds = st.sampled_from(sorted(FIELDS_BY_KIND))
    return kinds.flatmap(
        lambda kind: st.builds(
            Record,
            id=st.text(max_size=12),
            kind=st.just(kind),
            title=st.text(max_size=20),
            date=st.text(max_size=20),
            fields=st.from_type(FIELDS_BY_KIND[kind]),
            source=st.none() | st.builds(Source, st.text(max_size=10), st.integers(1, 9), st.integers(1, 9)),
        )
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_stored_envelopes_read_back_as_the_checked_path_reads_them(record: Record) -> None:
    envelope = json.loads(to_json_text(record))
    assert from_stored(envelope) == from_json(envelope) == record


def test_every_example_record_reads_back_the_same() -> None:
    found = 0
    for path in sorted(EXAMPLES.rglob("*")):
        if path.suffix not in (".md", ".txt", ".json") or not path.is_file():
            continue
        for record in read_path(str(path)).records:
            envelope = json.loads(to_json_text(record))
            assert from_stored(envelope) == from_json(envelope) == record
            found += 1
    assert found >= 20
