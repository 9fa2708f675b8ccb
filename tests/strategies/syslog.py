"""Entries for SYSTEM_LOG.md."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import checklist, file_ref, links, sentence, stamp, tags, title
from whylog.markdown.readers.syslog import entry_id
from whylog.model import ENTRY_TYPES, Confidence, EntryFields, Record, TimelineEvent


def entries() -> st.SearchStrategy[Record]:
    def build(date, title_, type_, tags_, files, obs, hyp, actions, result, conf, timeline, impact, prevention, links_):
        fields = EntryFields(type_, obs, hyp, actions, result, conf, timeline, impact, prevention)
        return Record(entry_id(date), "entry", title_, date, fields, tags_, files, links_)

    return st.builds(
        build,
        stamp(),
        title(),
        st.sampled_from(ENTRY_TYPES),
        tags(),
        st.lists(file_ref(), max_size=4).map(tuple),
        sentence(),
        sentence(),
        st.lists(sentence(), max_size=4).map(tuple),
        st.lists(sentence().map(lambda s: "- " + s), max_size=3).map("\n".join),
        st.one_of(st.none(), st.builds(Confidence, st.integers(0, 100), sentence())),
        st.lists(
            st.builds(TimelineEvent, st.sampled_from(["20:15 UTC", "09:00 UTC", "10:30-11:00 UTC"]), sentence()),
            max_size=3,
        ).map(tuple),
        st.one_of(st.just(""), sentence()),
        checklist(),
        links(),
    )
