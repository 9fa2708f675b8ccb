"""Decisions written as full ADR files (docs/adr/NNN-title.md)."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import WORDS, day, links, sentence, title
from whylog.model import DecisionFields, Link, Record

STATUSES = ["Proposed", "Accepted", "Rejected", "Deprecated", "Superseded by ADR-009"]


def _paragraphs() -> st.SearchStrategy[str]:
    return st.lists(sentence(3, 12).map(lambda s: s + "."), min_size=1, max_size=3).map("\n\n".join)


def _bullets(min_size: int = 1) -> st.SearchStrategy[str]:
    return st.lists(sentence(), min_size=min_size, max_size=3).map(lambda xs: "\n".join("- " + x for x in xs))


def _consequences() -> st.SearchStrategy[str]:
    split = st.builds(lambda good, bad: f"### Positive\n\n{good}\n\n### Negative\n\n{bad}", _bullets(), _bullets())
    return st.one_of(st.just(""), _paragraphs(), split)


def _alternatives() -> st.SearchStrategy[str]:
    option = st.builds(lambda name, why: f"- **{name.title()}:** rejected because {why.lower()}", WORDS, sentence())
    return st.one_of(st.just(""), st.lists(option, min_size=1, max_size=3).map("\n".join))


def _links() -> st.SearchStrategy[tuple[Link, ...]]:
    earlier = st.builds(
        lambda n, name: Link(f"Builds on ADR-{n:03d} ({name})", f"ADR-{n:03d}"), st.integers(1, 999), title()
    )
    return st.tuples(st.lists(earlier, max_size=2), links()).map(lambda p: tuple(p[0]) + p[1])


def decisions() -> st.SearchStrategy[Record]:
    def build(number, title_, date, status, deciders, summary, context, decision, consequences, alternatives, links_):  # type: ignore[no-untyped-def]
        fields = DecisionFields(number, status, summary, deciders, context, decision, consequences, alternatives)
        return Record(f"ADR-{number:03d}", "decision", title_, date, fields, links=links_)

    names = st.lists(WORDS.map(str.title), min_size=1, max_size=3).map(", ".join)
    return st.builds(
        build,
        st.integers(1, 9999),
        title(),
        st.one_of(st.just(""), day()),
        st.sampled_from(STATUSES),
        st.one_of(st.just(""), names),
        st.one_of(st.just(""), sentence(3, 12)),
        _paragraphs(),
        st.one_of(st.just(""), _paragraphs()),
        _consequences(),
        _alternatives(),
        _links(),
    )
