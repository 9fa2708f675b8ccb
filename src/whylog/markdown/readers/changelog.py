"""Changelogs: one `release` record per version section.

A release starts at a heading naming a version or a day: Keep a Changelog `## [1.2.0] - 2026-01-05`,
`## 1.2.0 (2026-01-05)`, semantic-release `# [1.23.0](url) (2026-05-30)`, changesets `## 1.11.2`,
changelogen `## v1.0.3 - 2024-7-22`, date-only `## 2026-06-20 — title` and `## 2026-08-19 · 0.6.3.23`,
`## [Unreleased]`, and `[YANKED]`. Releases are the headings of that shape at the shallowest level found,
and the versioned ones one level below it (semantic-release writes patch releases one level down). A
release runs to the next release or to a heading above its level. Its sub-headings (`### Added`,
`### Bug Fixes`, `### Patch Changes`) and bold lines (`**Fixed**`) name the change types; list items under
them are the items. Reference links anywhere (`[1.2.0]: https://.../compare/v1.1.0...v1.2.0`) give each
release its compare link, unless its heading links one itself. A file with no release heading is read by
the general reader, as change records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whylog.markdown.dates import find_date
from whylog.markdown.document import Reading, assign_ids, diagnostic, is_newest_first
from whylog.markdown.readers.common import read_front_matter
from whylog.markdown.scan import Lines
from whylog.markdown.values import item_text, iter_items, strip_emphasis
from whylog.model import Record, ReleaseFields, Source

VERSION = r"v?\d+(?:\.\d+)+(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?(?:\+[0-9A-Za-z][0-9A-Za-z.-]*)?"
_VERSION_START = re.compile(
    r"^(?:(?:version|release|v\.)\s*)?(?:[@\w./-]*@)?(?P<version>" + VERSION + r")(?![\w.])", re.IGNORECASE
)
# Unreleased, Upcoming or Next (release), alone or with a day or a placeholder for one: `## Next steps` is no release
_UNRELEASED = re.compile(
    r"^(?:unreleased|upcoming(?: release| changes)?|next(?: release| version)?)"
    r"(?=[\s\-–—:(]*(?:\d{4}[-\d./xX]*)?[\s)]*$)",
    re.IGNORECASE,
)
_YANKED = re.compile(r"\s*\[\s*yanked\s*\]|\s*\byanked\b", re.IGNORECASE)
_HEADING_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
_BRACKET = re.compile(r"\[([^\]]*)\]")
_REFERENCE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?\s*(?:\"[^\"]*\")?\s*$")
_SEPARATORS = " \t-–—·:|,()[]*_`"
_TRAILING = " \t-–—·:|,*_`"
_ISSUE = re.compile(r"(?<![\w&/#])#(\d{1,7})\b|/(?:pull|issues|merge_requests)/(\d{1,7})\b")
_LONE_LINK = re.compile(r"^\s*\[([^\]]+)\]\(([^)\s]+)\)\s*$")
BOLD_TYPE = re.compile(r"^\s*\*\*([^*]{2,40}?):?\*\*:?\s*$|^\s*__([^_]{2,40}?):?__:?\s*$")


@dataclass(frozen=True, slots=True)
class Head:
    """What a release heading says."""

    version: str
    date: str
    yanked: bool
    unreleased: bool
    link: str
    rest: str  # words left after the version, the date and the marks: a name for the release


def release_id(version: str, date: str, unreleased: bool = False) -> str:
    """`REL-1.2.0`, `REL-2026-06-20` for a release named only by its day, `REL-unreleased`."""
    if unreleased:
        return "REL-unreleased"
    return f"REL-{version}" if version else f"REL-{date[:10]}"


def read_heading(text: str) -> Head | None:
    """The version, date and marks of a release heading, or None when the heading names neither a
    version nor (at its start) a day."""
    link = ""
    found_link = _HEADING_LINK.search(text)
    if found_link is not None:
        link = found_link.group(2)
        text = text[: found_link.start()] + found_link.group(1) + text[found_link.end() :]
    yanked = _YANKED.search(text) is not None
    text = _YANKED.sub(" ", text)
    text = _BRACKET.sub(lambda m: m.group(1), strip_emphasis(text)).lstrip(_SEPARATORS).rstrip(_TRAILING)
    unreleased = _UNRELEASED.match(text)
    if unreleased is not None:
        return Head("", _date_of(text[unreleased.end() :]), yanked, True, link, "")
    version_match = _VERSION_START.match(text)
    if version_match is not None:
        version = version_match.group("version")
        version = version[1:] if version[:1] in "vV" else version
        rest = text[version_match.end() :]
        found = find_date(rest)
        date = found.iso[:10] if found is not None else ""
        if found is not None:
            rest = rest[: found.start] + rest[found.end :]
        return Head(version, date, yanked, False, link, _words(rest))
    found = find_date(text)
    if found is None or found.start > 0 or len(found.iso) < 10:
        return None
    rest = text[found.end :].lstrip(_SEPARATORS)
    version_after = _VERSION_START.match(rest)
    version = ""
    if version_after is not None:
        version = version_after.group("version")
        version = version[1:] if version[:1] in "vV" else version
        rest = rest[version_after.end() :]
    return Head(version, found.iso[:10], yanked, False, link, _words(rest))


def _date_of(text: str) -> str:
    found = find_date(text)
    return found.iso[:10] if found is not None and len(found.iso) >= 10 else ""


def _words(text: str) -> str:
    """The words of a heading left after its version and date: separators and emptied brackets go, the
    brackets of a name stay (`Update (NO score changes)`)."""
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text).lstrip(_SEPARATORS).rstrip(_TRAILING)
    if text.count("(") < text.count(")") and text.endswith(")"):
        text = text[:-1]
    return " ".join(text.split())


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    first = read_front_matter(lines, path, reading)
    references = _references(lines)
    starts = _release_starts(lines, first)
    if not starts:
        from whylog.markdown.readers.general import read_records

        read_records(lines, path, "change", reading)
        return reading
    if starts[0][0] > first:
        reading.claimed.append((first, starts[0][0] - 1))  # the title and the words about the file
    for index, (start, level, head) in enumerate(starts):
        limit = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(lines)
        end = _release_end(lines, start, level, limit)
        reading.records.append(_release(lines, path, start, end, head, references, reading))
        if end < limit:
            reading.claimed.append((end + 1, limit))
    reading.records = assign_ids(reading.records, is_newest_first(reading.records))  # two releases one day
    return reading


def _release_starts(lines: Lines, first: int) -> list[tuple[int, int, Head]]:
    found = [
        (number, level, head)
        for number, (level, text) in sorted(lines.headings.items())
        if number >= first and level <= 4 and lines.tag(number) == "heading" and (head := read_heading(text))
    ]
    if not found:
        return []
    versioned = [level for _, level, head in found if head.version or head.unreleased]
    top = min(versioned) if versioned else min(level for _, level, _ in found)
    return [(n, lv, h) for n, lv, h in found if lv == top or (lv == top + 1 and (h.version or h.unreleased))]


def _release_end(lines: Lines, start: int, level: int, limit: int) -> int:
    """The release's last line: before a heading above its level, and before reference links that end it."""
    end = start
    for number in range(start + 1, limit + 1):
        if lines.tag(number) == "heading" and lines.headings.get(number, (9, ""))[0] < level:
            break
        if lines.tag(number) not in ("blank", "rule") and not _REFERENCE.match(lines.line(number)):
            end = number
    return end


def _references(lines: Lines) -> dict[str, str]:
    """`[label]: url` lines anywhere outside code, by lower-cased label (the first one wins)."""
    out: dict[str, str] = {}
    for number in range(1, len(lines) + 1):
        if lines.tag(number) == "text":
            found = _REFERENCE.match(lines.line(number))
            if found is not None:
                out.setdefault(found.group(1).strip().lower(), found.group(2))
    return out


def _release(
    lines: Lines, path: str, start: int, end: int, head: Head, references: dict[str, str], reading: Reading
) -> Record:
    changes, linked = _changes(lines, start, end)
    if head.unreleased:
        title = "Unreleased"
        compare = head.link or references.get("unreleased", "")
    elif head.version:
        title = f"{head.version} — {head.rest}" if head.rest else head.version
        keys = (head.version.lower(), f"v{head.version}".lower())
        compare = head.link or next((references[k] for k in keys if k in references), "")
    else:
        title = head.rest or head.date
        compare = head.link or references.get(head.date, "")
    compare = compare or linked
    if head.version and not head.date:
        reading.diagnostics.append(
            diagnostic(
                "PRS070",
                f"release {head.version} has no date in its heading",
                path,
                start,
                f"write it as `## [{head.version}] - YYYY-MM-DD`",
                severity="info",
            )
        )
    items = [item for values in changes.values() for item in values]
    fields = ReleaseFields(head.version, head.yanked, changes, compare, issues_of(items))
    return Record(
        id=release_id(head.version, head.date, head.unreleased),
        kind="release",
        title=title,
        date=head.date,
        fields=fields,
        source=Source(path, start, end),
    )


def _changes(lines: Lines, start: int, end: int) -> tuple[dict[str, tuple[str, ...]], str]:
    """Each change-type heading (or bold line) as written, with its items; items above any under "".
    Also the target of a line that is only a compare link (`[compare changes](url)`)."""
    parts: list[tuple[str, list[int]]] = [("", [])]
    linked = ""
    for number in range(start + 1, end + 1):
        tag = lines.tag(number)
        alone = _LONE_LINK.match(lines.line(number)) if tag == "text" and not linked else None
        if alone is not None and "compare" in (alone.group(1) + alone.group(2)).lower():
            linked = alone.group(2)
            continue
        if tag == "heading" and number in lines.headings:
            parts.append((type_name(lines.headings[number][1]), []))
            continue
        bold = BOLD_TYPE.match(lines.line(number)) if tag == "text" else None
        if bold is not None:
            parts.append((type_name(bold.group(1) or bold.group(2)), []))
            continue
        if tag in ("rule", "blank") or (tag == "text" and _REFERENCE.match(lines.line(number))):
            continue
        parts[-1][1].append(number)
    out: dict[str, tuple[str, ...]] = {}
    for name, numbers in parts:
        items = tuple(text for item in iter_items(lines, numbers) if (text := item_text(item)))
        if items or name:
            out[name] = out.get(name, ()) + items
    if "" in out and not out[""]:
        del out[""]
    return out, linked


def type_name(text: str) -> str:
    """A change type's heading or bold line as its name: `**Fixed:**` is `Fixed`."""
    return strip_emphasis(text).strip().rstrip(":").strip()


def issues_of(items: list[str]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for text in items:
        for match in _ISSUE.finditer(text):
            found[f"#{match.group(1) or match.group(2)}"] = None
    return tuple(found)


_CHANGELOG_TITLE = re.compile(r"^#{1,2}\s+(?:change\s?log|changes|release notes|releases|history)\s*$", re.I | re.M)
_CHANGE_DOC_TITLE = re.compile(r"^#\s+change\s?-?log\s*[:\-–—]\s*\S", re.IGNORECASE | re.MULTILINE)
_HEADING_LINE = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def looks_like_changelog(text: str) -> bool:
    """Whether a file's text is a changelog of releases: no `# Change Log: Title` change document, and a
    heading naming a version or Unreleased, or a changelog title over two or more dated headings."""
    head = text[:65536]
    if _CHANGE_DOC_TITLE.search(head):
        return False
    dated = titles = 0
    for match in _HEADING_LINE.finditer(head):
        found = read_heading(match.group(2))
        if found is None:
            continue
        if (found.version or found.unreleased) and len(match.group(1)) > 1:
            return True
        titles += bool(found.version)  # `# v0.2.0 Manifest — 2026-07-25` titles one change note...
        dated += 1
    return titles >= 2 or (dated >= 2 and _CHANGELOG_TITLE.search(head) is not None)  # ...two are releases
