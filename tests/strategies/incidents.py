"""Incidents for INCIDENTS.md."""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from tests.strategies import WORDS, checklist, day, links, path, sentence, stamp, title
from whylog.markdown.postmortems import durations
from whylog.markdown.readers.incidents import SEVERITIES
from whylog.model import ActionItem, FileRef, IncidentFields, Record, TimelineEvent


def _resolution_step() -> st.SearchStrategy[tuple[str, FileRef | None]]:
    """A resolution bullet, sometimes naming a file in backticks (which the reader adds to `files`)."""
    span = st.one_of(
        st.just(()), st.tuples(st.integers(1, 400), st.integers(0, 50)).map(lambda p: ((p[0], p[0] + p[1]),))
    )

    def mention(verb: str, file: str, lines: tuple[tuple[int, int], ...], rest: str) -> tuple[str, FileRef]:
        where = f" (lines {lines[0][0]}-{lines[0][1]})" if lines else ""
        return f"{verb} `{file}`{where} to {rest.lower()}", FileRef(file, lines)

    plain = sentence().map(lambda text: (text, None))
    named = st.builds(mention, st.sampled_from(["Updated", "Patched", "Wrote"]), path(), span, sentence(1, 4))
    return st.one_of(plain, named)


def _files(steps: list[tuple[str, FileRef | None]]) -> tuple[FileRef, ...]:
    seen: dict[str, FileRef] = {}
    for _, ref in steps:
        if ref is not None and ref.path not in seen:
            seen[ref.path] = ref
    return tuple(seen.values())


def _postmortem_parts() -> st.SearchStrategy[dict[str, object]]:
    """The parts of other templates that INCIDENTS.md holds when they are given (Status, Summary,
    Impact, Detection, Timeline, Contributing Factors, Lessons Learned)."""
    events = st.lists(st.tuples(stamp(), sentence()), max_size=3).map(
        lambda pairs: tuple(TimelineEvent(t, e) for t, e in sorted(pairs))
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "status": st.sampled_from(["Resolved", "Mitigated", "Open"]),
            "summary": sentence(),
            "impact": sentence(),
            "detection": sentence(),
            "timeline": events,
            "contributing_factors": st.lists(sentence(), min_size=1, max_size=2).map(tuple),
            "lessons": st.lists(sentence(), min_size=1, max_size=2).map(tuple),
        },
    )


def incidents() -> st.SearchStrategy[Record]:
    def build(year, number, date, severity, services, title_, symptoms, causes, steps, actions, links_, parts):  # type: ignore[no-untyped-def]
        items = tuple(ActionItem(a.text, a.done) for a in actions)
        fields = IncidentFields(
            severity, services, symptoms, causes, tuple(t for t, _ in steps), items, level=severity.lower(), **parts
        )
        detect, resolve = durations(fields.timeline)
        fields = dataclasses.replace(fields, minutes_to_detect=detect, minutes_to_resolve=resolve)
        return Record(f"INC-{year}-{number:03d}", "incident", title_, date, fields, files=_files(steps), links=links_)

    return st.builds(
        build,
        st.integers(2000, 2030),
        st.integers(1, 999),
        st.one_of(day(), stamp()),
        st.sampled_from(SEVERITIES),
        st.lists(st.lists(WORDS, min_size=1, max_size=3).map(lambda w: " ".join(w).title()), max_size=3).map(tuple),
        title(),
        st.lists(sentence(), max_size=4).map(tuple),
        st.lists(sentence(), max_size=3).map(tuple),
        st.lists(_resolution_step(), max_size=4),
        checklist(),
        links(),
        _postmortem_parts(),
    )
