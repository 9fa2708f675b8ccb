"""Session progress notes for progress/session-NNN.txt."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import WORDS, day, line_ranges, path, sentence
from whylog.markdown.readers.session import session_id
from whylog.model import (
    EnvironmentItem,
    FeatureCount,
    FileRef,
    KnownIssue,
    Record,
    SessionFields,
    VerificationCheck,
)

STATUSES = ["✅ COMPLETE (Features #12-14 passing)", "⚠️ PARTIAL (no new features passing)", "IN PROGRESS"]


def with_subitems() -> st.SearchStrategy[str]:
    """A first line and indented `- ` lines under it, as in ACCOMPLISHMENTS and KNOWN ISSUES."""
    subitems = st.lists(sentence().map(lambda s: "- " + s), max_size=3)
    return st.builds(lambda first, rest: "\n".join([first, *rest]), sentence(), subitems)


def block() -> st.SearchStrategy[str]:
    """Free text as in NEXT SESSION PRIORITIES: a label, numbered lines and indented bullets."""
    line = st.one_of(
        sentence().map(lambda s: s.upper() + ":"),
        st.builds(lambda n, s: f"{n}. {s}", st.integers(1, 9), sentence()),
        sentence().map(lambda s: "   - " + s),
        st.just(""),
    )
    return st.builds(lambda first, rest: "\n".join([first, *rest]).strip(), sentence(), st.lists(line, max_size=5))


def session_file() -> st.SearchStrategy[FileRef]:
    notes = st.lists(sentence(1, 5), max_size=3).map("; ".join)
    return st.builds(FileRef, path(), line_ranges(), st.sampled_from(["modified", "new", "deleted"]), notes)


def command() -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=1, max_size=4).map(lambda w: "cd services/" + "-".join(w) + " && make run")


def sessions() -> st.SearchStrategy[Record]:
    def build(number, project, date, fields, files):  # type: ignore[no-untyped-def]
        heading = f"{project} - SESSION {number} PROGRESS SUMMARY" if project else f"SESSION {number} PROGRESS SUMMARY"
        fields = SessionFields(project, number, *fields)
        return Record(session_id(number), "session", heading, date, fields, (), files)

    parts = st.tuples(
        st.one_of(st.just(""), sentence()),
        st.one_of(st.just(""), st.sampled_from(STATUSES)),
        st.lists(with_subitems(), max_size=4).map(tuple),
        st.lists(st.builds(VerificationCheck, sentence(), st.booleans()), max_size=5).map(tuple),
        st.one_of(st.just(""), block()),
        st.lists(st.builds(KnownIssue, with_subitems(), st.booleans()), max_size=4).map(tuple),
        st.lists(
            st.builds(EnvironmentItem, sentence(), st.booleans(), st.one_of(st.just(""), sentence())), max_size=4
        ).map(tuple),
        st.one_of(st.none(), st.builds(FeatureCount, st.integers(0, 700), st.integers(1, 700))),
        st.one_of(st.just(""), block()),
        st.lists(command(), max_size=3).map(tuple),
        st.lists(st.lists(command(), min_size=1, max_size=2).map("\n".join), max_size=2).map(tuple),
    )
    return st.builds(
        build,
        st.integers(1, 999),
        st.one_of(st.just(""), sentence(1, 3).map(str.upper)),
        day(),
        parts,
        st.lists(session_file(), max_size=4, unique_by=lambda f: f.path).map(tuple),
    )
