"""Decisions written as full ADR files (docs/adr/NNN-title.md)."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import WORDS, day, links, sentence, title
from whylog.model import DecisionFields, Link, Record

# (status as written, its state, the decisions that supersede it)
STATUSES = [
    ("Proposed", "proposed", ()),
    ("Accepted", "accepted", ()),
    ("Rejected", "rejected", ()),
    ("Deprecated", "deprecated", ()),
    ("Superseded by ADR-009", "superseded", ("ADR-009",)),
    ("Akzeptiert", "accepted", ()),
    ("Aceito", "accepted", ()),
    ("已采纳", "accepted", ()),
    ("Vorgeschlagen", "proposed", ()),
    ("Substituído por ADR-12", "superseded", ("ADR-012",)),
    ("Abgelehnt", "rejected", ()),
]


def _paragraphs() -> st.SearchStrategy[str]:
    return st.lists(sentence(3, 12).map(lambda s: s + "."), min_size=1, max_size=3).map("\n\n".join)


def _bullets() -> st.SearchStrategy[list[str]]:
    return st.lists(sentence(), min_size=1, max_size=3)


def _listed(items: list[str]) -> str:
    return "\n".join("- " + x for x in items)


# Consequences as text, with the good and the bad items a reader should find in it.
Consequences = tuple[str, tuple[str, ...], tuple[str, ...]]


def _consequences() -> st.SearchStrategy[Consequences]:
    split = st.builds(
        lambda good, bad: (
            f"### Positive\n\n{_listed(good)}\n\n### Negative\n\n{_listed(bad)}",
            tuple(good),
            tuple(bad),
        ),
        _bullets(),
        _bullets(),
    )
    plain = _paragraphs().map(lambda text: (text, (), ()))
    return st.one_of(st.just(("", (), ())), plain, split)


def _alternatives() -> st.SearchStrategy[tuple[str, tuple[str, ...]]]:
    """Alternatives as text, with the option names a reader should find in it."""
    option = st.builds(
        lambda name, why: (name.title(), f"- **{name.title()}:** rejected because {why.lower()}"), WORDS, sentence()
    )
    listed = st.lists(option, min_size=1, max_size=3).map(
        lambda xs: ("\n".join(x[1] for x in xs), tuple(x[0] for x in xs))
    )
    return st.one_of(st.just(("", ())), listed)


def _links() -> st.SearchStrategy[tuple[Link, ...]]:
    earlier = st.builds(
        lambda n, name: Link(f"Builds on ADR-{n:03d} ({name})", f"ADR-{n:03d}"), st.integers(1, 999), title()
    )
    return st.tuples(st.lists(earlier, max_size=2), links()).map(lambda p: tuple(p[0]) + p[1])


def decisions() -> st.SearchStrategy[Record]:
    def build(
        number,
        title_,
        date,
        status,
        deciders,
        summary,
        context,
        decision,
        consequences,
        alternatives,
        links_,
        drivers,
        confirmation,
        replaced,
    ):  # type: ignore[no-untyped-def]
        (written, state, superseded_by), (effects, good, bad), (options_text, options) = (
            status,
            consequences,
            alternatives,
        )
        fields = DecisionFields(
            number,
            written,
            summary,
            deciders,
            context,
            decision,
            effects,
            options_text,
            state=state,
            options=options,
            good=good,
            bad=bad,
            superseded_by=superseded_by,
            drivers=drivers,
            confirmation=confirmation,
            supersedes=tuple(f"ADR-{n:03d}" for n in replaced),
        )
        links_ += tuple(Link(f"Supersedes ADR-{n:03d}", f"ADR-{n:03d}") for n in replaced)
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
        st.lists(sentence(), max_size=3).map(tuple),
        st.one_of(st.just(""), sentence(3, 12)),
        st.lists(st.integers(1, 999), max_size=2, unique=True),
    )
