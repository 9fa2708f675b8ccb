"""The Current Context block and daily stories of DEVLOG.md."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import WORDS, checklist, day, file_ref, links, sentence, title
from whylog.markdown.readers.devlog import story_id
from whylog.markdown.readers.devlog_context import context_id
from whylog.model import ContextFields, Link, Record, Risk, StoryFields, StorySection

STORY_LABELS = [
    "The Problem",
    "The Investigation",
    "The Root Cause",
    "The Decision",
    "Why This Works",
    "The Result",
    "The Lesson",
    "The Security Decisions",
]


def _pairs() -> st.SearchStrategy[dict[str, str]]:
    label = st.lists(WORDS, min_size=1, max_size=3).map(lambda w: " ".join(w).title())
    return st.dictionaries(label, sentence(), max_size=4)


def _adr_link() -> st.SearchStrategy[Link]:
    def build(number: int, date: str, name: str) -> Link:
        target = f"ADR-{number:03d}"
        slug = name.lower().replace(" ", "-")
        return Link(f"**{target} ({date}):** {name} [→ Full ADR](adr/{number:03d}-{slug}.md)", target)

    return st.builds(build, st.integers(1, 999), day(), title())


def contexts(path: str = "DEVLOG.md") -> st.SearchStrategy[Record]:
    def build(updated, state, stack, standards, constraints, objectives, risks, entry_points, adrs, others):  # type: ignore[no-untyped-def]
        fields = ContextFields(updated, state, stack, standards, constraints, objectives, risks, entry_points)
        return Record(context_id(path), "context", "Current Context", updated, fields, links=tuple(adrs) + others)

    risk = st.builds(Risk, st.sampled_from(["Risk", "Blocker"]), sentence())
    return st.builds(
        build,
        day(),
        _pairs(),
        _pairs(),
        _pairs(),
        _pairs(),
        checklist(),
        st.lists(risk, max_size=3).map(tuple),
        _pairs(),
        st.lists(_adr_link(), max_size=3),
        links(),
    )


def _section_text() -> st.SearchStrategy[str]:
    bullets = st.lists(sentence(), min_size=1, max_size=3).map(lambda xs: "\n".join("- " + x for x in xs))
    return st.one_of(sentence(1, 12), bullets)


def stories() -> st.SearchStrategy[Record]:
    def build(date, title_, lead, sections, files, shipped):  # type: ignore[no-untyped-def]
        ordered = ((StorySection("", lead),) if lead else ()) + tuple(sections)
        return Record(story_id(date), "story", title_, date, StoryFields(ordered, shipped), files=tuple(files))

    version = st.builds(lambda a, b, c: f"v{a}.{b}.{c}", st.integers(0, 3), st.integers(0, 20), st.integers(0, 20))
    return st.builds(
        build,
        day(),
        title(),
        st.one_of(st.just(""), sentence()),
        st.lists(st.builds(StorySection, st.sampled_from(STORY_LABELS), _section_text()), max_size=5),
        st.lists(file_ref(), max_size=4),
        st.one_of(st.just(""), version),
    )
