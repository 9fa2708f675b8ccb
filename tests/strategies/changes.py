"""Change documents for docs/changes/*.md."""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from tests.strategies import WORDS, day, line_ranges, links, path, sentence, title
from whylog.markdown.readers.changes import change_id
from whylog.model import BLOCKER_STATUSES, BlockerItem, ChangeFields, FileRef, Readiness, Record, TestRun

LABELS = ["Solution", "Result", "Decision", "Requirements", "Behavior", "Existing Features", "Usage"]


def paragraph() -> st.SearchStrategy[str]:
    """One line of prose, or a short list of bullets."""
    bullets = st.lists(sentence().map(lambda s: "- " + s), min_size=1, max_size=4).map("\n".join)
    return st.one_of(sentence(), bullets)


def change_file() -> st.SearchStrategy[FileRef]:
    note = st.one_of(st.just(""), sentence(1, 5))
    change = st.sampled_from(["modified", "new", "unchanged", "deleted"])
    return st.builds(FileRef, path().map(lambda p: "/workspaces/" + p), line_ranges(), change, note)


def blocker() -> st.SearchStrategy[BlockerItem]:
    status = st.sampled_from(BLOCKER_STATUSES)
    note = st.one_of(st.just(""), sentence())
    files = st.lists(change_file(), max_size=4, unique_by=lambda f: f.path).map(tuple)
    sections = st.dictionaries(st.sampled_from(LABELS), paragraph(), max_size=3)
    return st.builds(BlockerItem, st.just(0), title(), status, note, files, sections)


def test_run() -> st.SearchStrategy[TestRun]:
    name = st.builds(lambda s, n, t: f"{s} Tests: ✅ {n}/{t} PASSING", title(), st.integers(0, 9), st.integers(9, 12))
    command = st.lists(WORDS, min_size=1, max_size=4).map(lambda w: "pytest tests/" + "_".join(w) + ".py -x")
    results = st.lists(WORDS.map(lambda w: f"test_{w} PASSED"), max_size=4).map("\n".join)
    return st.builds(TestRun, name, st.one_of(st.just(""), command), results)


def readiness() -> st.SearchStrategy[Readiness | None]:
    percent = st.one_of(st.none(), st.integers(0, 100))
    return st.one_of(st.none(), st.builds(Readiness, percent, percent).filter(lambda r: r != Readiness()))


def changes() -> st.SearchStrategy[Record]:
    def build(date, title_, author, summary, items, testing, ready, next_steps, links_):  # type: ignore[no-untyped-def]
        items = tuple(dataclasses.replace(item, number=n) for n, item in enumerate(items, 1))
        files: dict[str, FileRef] = {}
        for item in items:
            for ref in item.files:
                files.setdefault(ref.path, ref)
        fields = ChangeFields(author, summary, items, testing, ready, next_steps)
        return Record(change_id(date, title_), "change", title_, date, fields, (), tuple(files.values()), links_)

    return st.builds(
        build,
        day(),
        title(),
        st.one_of(st.just(""), sentence(1, 3)),
        st.one_of(st.just(""), sentence()),
        st.lists(blocker(), max_size=4),
        st.lists(test_run(), max_size=2).map(tuple),
        readiness(),
        st.one_of(st.just(""), paragraph()),
        links(),
    )
