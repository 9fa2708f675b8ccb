"""Random three-way merges of a system log, and the check of what the merge driver made of one.

A case is a base log and two sides, each made from the base by what people and `whylog add` do to a log:
add records (some the same on both sides, as when one change is logged in two clones), edit a record's
text, re-date it (which changes its id and moves it to its place), delete it (as `archive` does). Minutes
are drawn from a few, so records often share a minute and their ids get `-2`, `-3` suffixes. The test
suite draws cases through Hypothesis; bench/merge_bench.py runs many seeded ones.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from whylog.branches.merge import merge_texts
from whylog.markdown.readers import read_text

# What may happen to a record of the base; the ones naming both sides change it on both.
BASE_FATES = (
    *("keep",) * 8,
    "edit ours",
    "edit theirs",
    "edit both alike",
    "edit both apart",
    "redate ours",
    "redate theirs",
    "delete ours",
    "delete theirs",
    "delete both",
    "edit ours, delete theirs",
)


@dataclass(frozen=True, slots=True)
class Wanted:
    """A record as the merged file must hold it: its stamp and result line."""

    stamp: str
    result: str


@dataclass(frozen=True, slots=True)
class MergeCase:
    base: str
    ours: str
    theirs: str
    newest_first: bool
    wanted: dict[str, Wanted]  # by title: every record the merge must hold exactly once
    conflicted: frozenset[str]  # titles of records changed differently on both sides: markers allowed
    gone: frozenset[str]  # titles of records deleted: must not be held


@dataclass(slots=True)
class _Rec:
    title: str
    stamp: str
    result: str

    def text(self) -> str:
        return (
            f"## {self.stamp} UTC - {self.title}\n**Type:** Bug Fix\n**Result:**\n- {self.result}\n"
            "**Confidence:** 90% - tested\n\n---\n\n"
        )


def _stamp(rng: random.Random) -> str:
    return f"2026-03-0{rng.randint(1, 3)} 10:0{rng.randint(0, 5)}"


def _log(records: list[_Rec], newest_first: bool) -> str:
    ordered = sorted(records, key=lambda r: r.stamp, reverse=newest_first)  # stable: equal stamps keep order
    return "# SYSTEM_LOG\n\n" + "".join(r.text() for r in ordered)


def make_case(rng: random.Random) -> MergeCase:
    """One random three-way merge of a system log and what its result must hold."""
    newest_first = rng.random() < 0.7
    base = [_Rec(f"R{n}", _stamp(rng), "works") for n in range(rng.randint(0, 8))]
    ours, theirs = [_Rec(r.title, r.stamp, r.result) for r in base], [_Rec(r.title, r.stamp, r.result) for r in base]
    wanted: dict[str, Wanted] = {}
    conflicted: set[str] = set()
    gone: set[str] = set()
    for number, record in enumerate(base):
        fate = rng.choice(BASE_FATES)
        mine, yours = ours[number], theirs[number]
        if fate == "keep":
            wanted[record.title] = Wanted(record.stamp, record.result)
        elif fate.startswith("edit") and "delete" not in fate:
            if fate in ("edit ours", "edit both alike", "edit both apart"):
                mine.result = "ours says"
            if fate in ("edit theirs", "edit both alike", "edit both apart"):
                yours.result = "theirs says" if fate == "edit both apart" else "ours says"
            if fate == "edit both apart":
                conflicted.add(record.title)
            else:
                wanted[record.title] = Wanted(record.stamp, (mine if fate != "edit theirs" else yours).result)
        elif fate.startswith("redate"):
            moved = mine if fate == "redate ours" else yours
            while moved.stamp == record.stamp:
                moved.stamp = _stamp(rng)
            wanted[record.title] = Wanted(moved.stamp, record.result)
        elif fate == "edit ours, delete theirs":
            mine.result = "ours says"
            yours.title = ""
            conflicted.add(record.title)
        else:
            if fate in ("delete ours", "delete both"):
                mine.title = ""
            if fate in ("delete theirs", "delete both"):
                yours.title = ""
            gone.add(record.title)
    ours = [r for r in ours if r.title]
    theirs = [r for r in theirs if r.title]
    for who, side in (("O", ours), ("T", theirs), ("B", None)):
        for number in range(rng.choice((0, 0, 1, 1, 2, 3))):
            added = _Rec(f"{who}{number}", _stamp(rng), f"added by {who}")
            for target in (ours, theirs) if side is None else (side,):
                target.append(_Rec(added.title, added.stamp, added.result))
            wanted[added.title] = Wanted(added.stamp, added.result)
    return MergeCase(
        _log(base, newest_first),
        _log(ours, newest_first),
        _log(theirs, newest_first),
        newest_first,
        wanted,
        frozenset(conflicted),
        frozenset(gone),
    )


def merge_problems(case: MergeCase) -> list[str]:
    """What is wrong with the driver's merge of `case` (empty: nothing)."""
    result = merge_texts(case.base, case.ours, case.theirs, "syslog", "SYSTEM_LOG.md")
    if result is None:
        return ["the driver gave up (it would hand the file to git merge-file)"]
    problems = []
    if result.conflicts != len(case.conflicted):
        problems.append(f"{result.conflicts} conflict(s), expected {len(case.conflicted)}")
    text = _without_conflicts(result.text)
    records = read_text(text, "SYSTEM_LOG.md", "syslog").records
    held = Counter(r.title for r in records)
    for title, want in case.wanted.items():
        if held[title] != 1:
            problems.append(f"{title} held {held[title]} times, expected once")
            continue
        (record,) = (r for r in records if r.title == title)
        got = Wanted(record.date[:16].replace("T", " "), record.fields.result.removeprefix("- "))  # type: ignore[union-attr]
        if got != want:
            problems.append(f"{title} reads as {got}, expected {want}")
    for title in held.keys() - case.wanted.keys():
        problems.append(f"{title} held {held[title]} times, expected not at all")
    return problems


def _without_conflicts(text: str) -> str:
    """The text with every conflict block (markers and both sides) taken out."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            inside = True
        elif line.startswith(">>>>>>> "):
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out)
