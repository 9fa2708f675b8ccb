"""Hypothesis strategies for records the canonical writers can express, one per kind.

Text is drawn from a plain alphabet of words so that it cannot be mistaken for Markdown structure; the
point of these tests is that every field survives write-then-read, not that any text is a record.
"""

from __future__ import annotations

from hypothesis import strategies as st

from whylog.model import CheckItem, FileRef, Link

WORDS = st.sampled_from(
    "alpha bravo cache pool token retry worker queue schema index latency auth deploy budget "
    "rollout shard replica session cookie header parser writer lock signal timer vector".split()
)


def sentence(min_words: int = 1, max_words: int = 8) -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=min_words, max_size=max_words).map(" ".join).map(lambda s: s[0].upper() + s[1:])


def title() -> st.SearchStrategy[str]:
    return sentence(2, 8)


def stamp() -> st.SearchStrategy[str]:
    return st.builds(
        lambda y, mo, d, h, mi: f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00Z",
        st.integers(2000, 2030),
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 23),
        st.integers(0, 59),
    )


def day() -> st.SearchStrategy[str]:
    return stamp().map(lambda s: s[:10])


def path() -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".py")


def line_ranges() -> st.SearchStrategy[tuple[tuple[int, int], ...]]:
    pair = st.tuples(st.integers(1, 500), st.integers(0, 60)).map(lambda p: (p[0], p[0] + p[1]))
    return st.lists(pair, max_size=3).map(tuple)


def file_ref() -> st.SearchStrategy[FileRef]:
    return st.one_of(
        st.builds(
            FileRef, path(), line_ranges(), st.just("modified"), st.one_of(st.just(""), sentence(1, 4).map(str.lower))
        ),
        st.builds(FileRef, path(), st.just(()), st.sampled_from(["new", "deleted"]), st.just("")),
    )


def checklist() -> st.SearchStrategy[tuple[CheckItem, ...]]:
    return st.lists(st.builds(CheckItem, sentence(), st.booleans()), max_size=4).map(tuple)


def tags() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(
        st.sampled_from(["SECURITY", "PERFORMANCE", "DATABASE", "ROLLBACK", "CVE-2024-1234"]), unique=True, max_size=3
    ).map(tuple)


def links() -> st.SearchStrategy[tuple[Link, ...]]:
    return st.lists(sentence().map(lambda t: Link(t, None)), max_size=3).map(tuple)
