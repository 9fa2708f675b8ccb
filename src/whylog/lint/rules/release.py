"""REL rules: a changelog's releases (version order, dates, the Unreleased section, change types).

The Unreleased and change-type rules apply to changelogs kept in Keep a Changelog style (release
headings in brackets, `## [1.2.0] - 2026-01-05`, not linked as semantic-release writes them, or a link
to keepachangelog.com): semantic-release,
changesets and dated changelogs have neither an Unreleased section nor its six change types.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from whylog.lint.rules.context import Context, finding, iter_span
from whylog.lint.rules.fixes import move_blocks
from whylog.markdown.writers.changelog import KEEP_A_CHANGELOG as TYPES
from whylog.model import Diagnostic, Record, ReleaseFields

if TYPE_CHECKING:
    from whylog.markdown.document import Document

KEEP_A_CHANGELOG = tuple(TYPES.values())  # the six types, as the writers spell them
# Change-type headings other changelog tools and teams write, folded to lower case.
OTHER_TYPES = frozenset(
    "bug fixes|bugfixes|fixes|features|new features|performance improvements|performance|reverts|documentation|"
    "docs|breaking changes|breaking|patch changes|minor changes|major changes|dependencies|dependency updates|"
    "updated|improvements|enhancements|other|others|miscellaneous|misc|chores|chore|refactor|refactoring|tests|"
    "testing|build system|build|continuous integration|ci|styles|deprecations|internal|notes|highlights|"
    "removals|upgrades|known issues|what's changed|new contributors|migration|upgrade notes|"
    "新增|修复|优化|变更|改进|移除|删除|安全|修正|新機能|追加|変更|削除|修正済み|"
    "adicionado|corrigido|alterado|removido|segurança|hinzugefügt|geändert|behoben|entfernt|sicherheit|ajouté|"
    "modifié|corrigé|supprimé|sécurité|añadido|cambiado|corregido|eliminado|seguridad|добавлено|изменено|"
    "исправлено|удалено".split("|")
)
_BRACKETED = re.compile(r"^#{1,3}\s+\[(?:v?\d[^\]]*|unreleased)\](?!\()", re.IGNORECASE | re.MULTILINE)
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_NUMBERS = re.compile(r"\d+")
_LEAD = re.compile(r"^[\W_]+")


def keeps_a_changelog(document: Document) -> bool:
    return bool(_BRACKETED.search(document.text)) or "keepachangelog.com" in document.text


def _releases(document: Document) -> list[Record]:
    return [r for r in document.records if r.kind == "release" and r.source is not None]


def _version_key(version: str) -> tuple[tuple[int, ...], int]:
    """`1.10.0` after `1.9.2`; a pre-release (`2.0.0-rc.1`) before its release."""
    core, _, pre = version.lstrip("vV").partition("-")
    return tuple(int(n) for n in _NUMBERS.findall(core)), 0 if pre else 1


def out_of_order(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a release whose version (or, for releases named by their day, whose date) is
    out of the order of the changelog's other releases: newest first (always in a Keep a Changelog
    file), or oldest first when the file is written that way.

    Why it matters: readers take the first release under Unreleased for the latest one; a release pasted
    in the wrong place hides it, and compare links built from neighbours point at the wrong range.

    Example:
        ## [1.2.0] - 2026-01-05
        ## [1.3.0] - 2026-02-01
        ## [1.1.0] - 2025-12-01

    Use instead:
        ## [1.3.0] - 2026-02-01
        ## [1.2.0] - 2026-01-05
        ## [1.1.0] - 2025-12-01

    Fix: `whylog lint --fix` moves each release's section (heading and items, byte for byte) to its
    place; the Unreleased section and the lines between sections stay where they are.
    """
    assert record.source is not None and isinstance(record.fields, ReleaseFields)
    key = ("REL001", context.document.path)
    if key not in context.cache:
        context.cache[key] = _misplaced(context.document, _kept(context))
    order = context.cache[key].get(record.source.start_line)
    if order is not None:
        yield finding(
            "REL001",
            f"release {record.title} is out of order (the changelog lists {order})",
            record.source.path,
            record.source.start_line,
            "move its section to where its version belongs",
        )


def _kept(context: Context) -> bool:
    """`keeps_a_changelog` of the document being linted, worked out once for all its releases and rules."""
    key = ("keeps-a-changelog", context.document.path)
    if key not in context.cache:
        context.cache[key] = keeps_a_changelog(context.document)
    return bool(context.cache[key])


def _misplaced(document: Document, kept: bool) -> dict[int, str]:
    """The start lines of the releases out of the file's order, each with that order's name."""
    keyed = [(r, k) for r in _releases(document) if (k := _key(r)) is not None]
    keys: list[tuple[object, ...] | None] = [k for _, k in keyed]
    newest_first = _newest_first(document.records, keys, kept)
    order = "newest first" if newest_first else "oldest first"
    out: dict[int, str] = {}
    for index, (release, key) in enumerate(keyed):
        if index == 0 or release.source is None:
            continue
        before = keys[index - 1]
        wrong = key > before if newest_first else key < before  # type: ignore[operator]
        if wrong and (index + 1 == len(keys) or _fits_after(keys, index, newest_first)):
            out[release.source.start_line] = order
    return out


def _key(record: Record) -> tuple[object, ...] | None:
    assert isinstance(record.fields, ReleaseFields)
    if record.id == "REL-unreleased":
        return None
    if record.fields.version:
        return (1, _version_key(record.fields.version))
    return (0, record.date) if record.date else None


def _fits_after(keys: list[tuple[object, ...] | None], index: int, newest_first: bool) -> bool:
    """Whether the release at `index` is the one out of place, not its predecessor: it is out of order
    with the release before it, but that one is in order with the release after it."""
    before, after = keys[index - 1], keys[index + 1]
    return before > after if newest_first else before < after  # type: ignore[operator]


def _newest_first(records: list[Record], keys: list[tuple[object, ...] | None], kept: bool) -> bool:
    """A Keep a Changelog file, or one with Unreleased at its top, lists newest first; an Unreleased at
    its end, oldest first; otherwise the order most neighbouring releases show (newest first on a tie)."""
    unreleased = [i for i, r in enumerate(records) if r.id == "REL-unreleased"]
    if kept or (unreleased and unreleased[0] == 0):
        return True
    if unreleased and unreleased[0] == len(records) - 1:
        return False
    pairs = list(zip(keys, keys[1:], strict=False))
    return sum(a > b for a, b in pairs) >= sum(a < b for a, b in pairs)  # type: ignore[operator]


def reordered(text: str, records: list[Record], kept: bool) -> str:
    """The changelog's text with its versioned (or dated) releases sorted in the file's direction, each
    section's lines moved unchanged into the slots the releases held; Unreleased keeps its place."""
    from whylog.markdown.scan import split_lines

    lines = split_lines(text)
    keyed = [(r, k) for r in records if r.kind == "release" and r.source is not None and (k := _key(r)) is not None]
    newest_first = _newest_first(records, [k for _, k in keyed], kept)
    order = sorted(range(len(keyed)), key=lambda i: keyed[i][1], reverse=newest_first)
    if order == list(range(len(keyed))):
        return text
    spans = [(r.source.start_line, r.source.end_line) for r, _ in keyed if r.source is not None]
    return "".join(move_blocks(lines, spans, order))


def reorder(text: str, path: str) -> str:
    """REL001's fix: the changelog at `path` (its text given) with its releases in order."""
    from whylog.markdown.readers import read_text

    document = read_text(text.removeprefix("\ufeff"), path, "changelog")
    return reordered(text, document.records, keeps_a_changelog(document))


def without_date(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a released version whose heading gives no date (Unreleased needs none), in a
    Keep a Changelog file or one whose other releases are dated (changesets never date a release).

    Why it matters: "when did this ship" is the first question asked of a changelog; reviews and
    `search since:` place a release by its date.

    Example:
        ## [1.2.0]

    Use instead:
        ## [1.2.0] - 2026-01-05

    Fix: write the release day after the version, as YYYY-MM-DD.
    """
    assert record.source is not None and isinstance(record.fields, ReleaseFields)
    dated = _kept(context) or any(r.date for r in _releases(context.document))
    if dated and record.fields.version and not record.date and record.id != "REL-unreleased":
        yield finding(
            "REL002",
            f"release {record.fields.version} has no date",
            record.source.path,
            record.source.start_line,
            f"write it as `## [{record.fields.version}] - YYYY-MM-DD`",
        )


def missing_unreleased(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a Keep a Changelog file with no `## [Unreleased]` section.

    Why it matters: Unreleased is where changes wait for the next release; without it they are written
    into the last release (which has shipped) or not at all, and `whylog add release` has nowhere to
    add them.

    Example:
        # Changelog

        ## [1.2.0] - 2026-01-05

    Use instead:
        # Changelog

        ## [Unreleased]

        ## [1.2.0] - 2026-01-05

    Fix: `whylog lint --fix` adds an empty `## [Unreleased]` above the newest release.
    """
    releases = _releases(document)
    if document.family != "changelog" or not releases or not keeps_a_changelog(document):
        return
    if any(r.id == "REL-unreleased" for r in releases):
        return
    first = min(releases, key=lambda r: r.source.start_line if r.source else 0)
    assert first.source is not None
    yield finding(
        "REL003",
        "changelog has no Unreleased section",
        document.path,
        first.source.start_line,
        "add `## [Unreleased]` above the newest release",
    )


def unknown_change_type(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a change-type heading in a Keep a Changelog release that is none of Added,
    Changed, Deprecated, Removed, Fixed and Security, nor a heading other tools write (Bug Fixes,
    Features, Patch Changes, ...), in any letter case or with an emoji before it. Headings of more than
    three words, or with digits or code in them, are topics inside a release, not types.

    Why it matters: readers scan a release by its types, and `whylog` groups and searches changes by
    them; a private spelling (`### Fixes stuff`) splits one type into several.

    Example:
        ### Fxed

    Use instead:
        ### Fixed

    Fix: `whylog lint --fix` corrects a misspelling of one of the six types; otherwise use one of them.
    """
    assert record.source is not None and isinstance(record.fields, ReleaseFields)
    if not _kept(context):
        return
    for name in record.fields.changes:
        if not name or _known(name) or not _type_like(name):
            continue
        close = difflib.get_close_matches(name.capitalize(), KEEP_A_CHANGELOG, n=1, cutoff=0.8)
        hint = f"did you mean {close[0]}?" if close else f"use one of {', '.join(KEEP_A_CHANGELOG)}"
        line = next((n for n, text in iter_span(context, record) if _HEADING.match(text) and name in text), 0)
        yield finding(
            "REL004", f"unknown change type {name!r}", record.source.path, line or record.source.start_line, hint
        )


def _type_like(name: str) -> bool:
    """Whether a heading inside a release names a type, not a topic of its own (`M15: Contracts
    (2026-01-19)`, `Known gap — Kotlin/Native cannot send`): three words at most, no digits or code."""
    folded = _LEAD.sub("", name).strip()
    short = len(folded) <= 6 if not folded.isascii() else len(folded.split()) <= 3  # CJK writes no spaces
    return short and not any(c in name for c in "`()#0123456789")


def _known(name: str) -> bool:
    folded = _LEAD.sub("", name).strip().lower()
    if folded in OTHER_TYPES or folded.capitalize() in KEEP_A_CHANGELOG:
        return True
    if not folded.isascii() and any(t in folded for t in OTHER_TYPES if not t.isascii()):
        return True  # `新增文档`, `样式修复`: added documents, style fixes
    first = re.split(r"\s+[-–—:(]\s*|\s*[:：]\s*|\s+\(", folded, maxsplit=1)[0]  # `Fixed — three leaks`
    return first in OTHER_TYPES or first.capitalize() in KEEP_A_CHANGELOG


def fix_unreleased(lines: list[str], item: Diagnostic) -> None:
    """An empty `## [Unreleased]` (at the newest release's level) above the line the finding names."""
    index = item.source.start_line - 1
    found = _HEADING.match(lines[index])
    if found is None:
        return
    body = lines[index].rstrip("\r\n")
    newline = lines[index][len(body) :] or "\n"
    lines[index] = f"{found.group(1)} [Unreleased]{newline}{newline}{lines[index]}"


def fix_change_type(lines: list[str], item: Diagnostic) -> None:
    """`### Fxed` -> `### Fixed` on the heading the finding names."""
    found = re.search(r"unknown change type '(.*)'", item.message)
    close = re.search(r"did you mean (\w+)\?", item.hint)
    index = item.source.start_line - 1
    if found is None or close is None or not _HEADING.match(lines[index]):
        return
    lines[index] = lines[index].replace(found.group(1), close.group(1), 1)
