"""Which record family a file's name and folder say it holds, in any letter case.

One table for `parse`, `init` and the index alike. Names are matched on the path relative to the repo
root, lower-cased, so `System_Log.md`, `docs/ADR/0001-x.md` and `Logs/2026-05.md` are found as well as
the seeds' own names. The order matters: a decision log inside a memory bank is a decision file before it
is a memory-bank file, and a memory bank's progress.md is a memory-bank file before it is a progress note.
"""

from __future__ import annotations

import re

_MD = r"\.(?:md|markdown|mdx)$"
_BY_NAME: list[tuple[str, re.Pattern[str]]] = [
    ("features", re.compile(r"(?:^|/)feature[_-]?list[^/]*\.json$|(?:^|/)features\.json$")),
    (
        "adr",
        re.compile(
            r"(?:^|/)(?:adrs?|decisions|decision[_-]records?|architecture[_-]decision[_-]records?[^/]*)/(?:.*/)?[^/]*"
            + _MD
            + r"|(?:^|/)(?:\d+[-_])?decisions?"
            + _MD
            + r"|(?:^|/)decision[_-]?log[^/]*"
            + _MD
            + r"|(?:^|/)adr[-_]?\d+[^/]*"
            + _MD
        ),
    ),
    (
        "incidents",
        re.compile(
            r"(?:^|/)(?:incidents?|postmortems?|post[_-]mortems?)/(?:.*/)?[^/]*"
            + _MD
            + r"|(?:^|/)(?:\d+[-_])?(?:incidents?|postmortems?|post[_-]mortems?)[^/]*"
            + _MD
        ),
    ),
    (
        "memory",
        re.compile(
            r"(?:^|/)memory[_-]?bank/(?:.*/)?[^/]*"
            + _MD
            + r"|(?:^|/)(?:project[_-]?brief|product[_-]?context|active[_-]?context|tech[_-]?context"
            + r"|system[_-]?patterns)"
            + _MD
        ),
    ),
    (
        "session",
        re.compile(
            r"progress[^/]*\.txt$|(?:^|/)progress/[^/]*\.txt$"
            r"|(?:^|/)(?:\d+[-_])?(?:progress|session[_-]?notes?|sessions?|handoff|hand[_-]off)[^/]*" + _MD
        ),
    ),
    ("syslog", re.compile(r"(?:^|/)(?:\d+[-_])?system[_-]?log[^/]*" + _MD + r"|(?:^|/)logs?/(?:.*/)?[^/]*" + _MD)),
    (
        "devlog",
        re.compile(
            r"(?:^|/)(?:\d+[-_])?(?:devlog|dev[_-]log|development[_-]log|journal|work[_-]?log|engineering[_-]log)[^/]*"
            + _MD
            + r"|(?:^|/)(?:devlogs?|dev[_-]logs?|journals?|worklogs?)/(?:.*/)?[^/]*"
            + _MD
        ),
    ),
    (
        "changelog",
        re.compile(
            r"(?:^|/)(?:change[_-]?log|history|releases?|release[_-]notes|news)(?:[._-][^/]*)?"
            + _MD
            + r"|(?:^|/)release[_-]notes/(?:.*/)?[^/]*"
            + _MD
        ),
    ),
    ("changes", re.compile(r"(?:^|/)(?:changes|changelogs?)/(?:.*/)?[^/]*" + _MD + r"|(?:^|/)changes" + _MD)),
]


def family_by_name(rel: str) -> str | None:
    """The family a path names, or None when the name alone does not say."""
    lowered = rel.replace("\\", "/").lower()
    for family, pattern in _BY_NAME:
        if pattern.search(lowered):
            return family
    return None


_LOG_FILE = re.compile(
    r"(?:^|/)(?:\d+[-_])?(?:system[_-]?log|devlog|dev[_-]log|development[_-]log|journal|work[_-]?log|"
    r"engineering[_-]log|incidents|postmortems|post[_-]mortems|decisions|decision[_-]?log|changes|change[_-]?log|"
    r"history|releases|release[_-]notes)[^/]*" + _MD
)


def is_log_file(rel: str) -> bool:
    """Whether the file's name says it holds many records (a log, a ledger, a changelog): such a file
    with no entry in it is an empty log, never one record of its own."""
    return bool(_LOG_FILE.search(rel.replace("\\", "/").lower()))


# The names (without extension) of a folder's index page: a README or index listing the records beside it.
INDEX_NAMES = ("readme", "index", "_index", "toc", "summary")


def is_index_name(path: str) -> bool:
    """Whether the file at `path` is named as a folder's index page (README.md, index.md, toc.md...)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name.rsplit(".", 1)[0] in INDEX_NAMES
