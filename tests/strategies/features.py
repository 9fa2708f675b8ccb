"""Features for feature_list.json. JSON can hold any text, so descriptions and steps go beyond words."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import WORDS, sentence
from whylog.markdown.readers.features import feature_id
from whylog.model import FeatureFields, Record


def any_text() -> st.SearchStrategy[str]:
    return st.one_of(sentence(), st.text(max_size=40))


def features() -> st.SearchStrategy[Record]:
    def build(
        number: int, category: str, description: str, steps: tuple[str, ...], passes: bool, extra: tuple[str, ...]
    ) -> Record:
        status, priority, notes, *verification = extra
        fields = FeatureFields(category, description, steps, passes, status, priority, tuple(verification), notes)
        return Record(feature_id(number), "feature", description, "", fields)

    return st.builds(
        build,
        st.integers(1, 100_000),
        st.one_of(st.just(""), WORDS),
        any_text(),
        st.lists(any_text(), max_size=4).map(tuple),
        st.booleans(),
        st.tuples(st.sampled_from(("", "ready_for_qa", "passing")), st.sampled_from(("", "P1")), any_text())
        .map(tuple)
        .flatmap(lambda head: st.lists(any_text(), max_size=3).map(lambda tail: (*head, *tail))),
    )
