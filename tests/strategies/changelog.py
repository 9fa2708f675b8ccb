"""Releases the Keep a Changelog writer can express: a version (or only a day), a date, the yanked mark,
change types with items that may name issue numbers, and a compare link."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import WORDS, day, sentence
from whylog.markdown.readers.changelog import issues_of, release_id
from whylog.model import Record, ReleaseFields

TYPES = st.sampled_from(["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security", "Bug Fixes"])


def version() -> st.SearchStrategy[str]:
    number = st.integers(0, 40)
    plain = st.builds(lambda a, b, c: f"{a}.{b}.{c}", number, number, number)
    return st.one_of(plain, st.builds(lambda v, w: f"{v}-{w}.1", plain, st.sampled_from(["rc", "beta", "alpha"])))


def item() -> st.SearchStrategy[str]:
    issue = st.one_of(st.just(""), st.integers(1, 9999).map(lambda n: f" (#{n})"))
    return st.builds(lambda s, i: s + i, sentence(1, 6), issue)


def releases() -> st.SearchStrategy[Record]:
    def build(
        number: str,
        date: str,
        kind: str,
        name: str,
        yanked: bool,
        changes: dict[str, tuple[str, ...]],
        link: bool,
        untyped: tuple[str, ...],
    ) -> Record:
        if untyped:  # items above any change-type heading come first
            changes = {"": untyped, **changes}
        if kind == "unreleased":
            compare = "https://example.invalid/acme/tool/compare/v1...HEAD" if link else ""
            fields = ReleaseFields("", False, changes, compare, issues_of([t for v in changes.values() for t in v]))
            return Record("REL-unreleased", "release", "Unreleased", "", fields)
        dated_only = kind == "dated"
        version = "" if dated_only else number
        title = (name or date) if dated_only else (f"{version} — {name}" if name else version)
        items = [text for values in changes.values() for text in values]
        label = version or date
        compare = f"https://example.invalid/acme/tool/compare/{label}...HEAD" if link else ""
        fields = ReleaseFields(version, yanked, changes, compare, issues_of(items))
        return Record(release_id(version, date), "release", title, date, fields)

    changes = st.dictionaries(TYPES, st.lists(item(), min_size=1, max_size=4).map(tuple), max_size=3)
    return st.builds(
        build,
        version(),
        day(),
        st.sampled_from(["versioned", "dated", "unreleased"]),
        st.one_of(st.just(""), st.lists(WORDS, min_size=1, max_size=3).map(" ".join).map(str.title)),
        st.booleans(),
        changes,
        st.booleans(),
        st.lists(item(), max_size=2).map(tuple),
    )
