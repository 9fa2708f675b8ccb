"""DEVLOG.md, in the shape of devlog.md: a Current Context block, an ADR index, and daily stories.

- `## Current Context` -> one `context` record (see `devlog_context`).
- `## Decisions (ADR Index)` -> one `decision` record per bullet
  `- **ADR-003 (2025-10-27):** Title - Summary [→ Full ADR](adr/003-x.md)`.
- `### 2025-10-28: Title` (anywhere outside the context) -> a `story` whose `**The Problem:**`-style labels
  become ordered sections; `**Files Changed:**` gives the files and `**Shipped:**` the version.

Other sections (Related Documents, Archive notes) stay unstructured text.
"""

from __future__ import annotations

import dataclasses
import re

from whylog.markdown.document import Reading, assign_ids, diagnostic, is_newest_first
from whylog.markdown.readers.common import read_front_matter, record_end
from whylog.markdown.readers.devlog_context import read_context, subsection_key
from whylog.markdown.readers.lists import is_list_item, item_spans, read_file_list, read_labelled
from whylog.markdown.scan import Lines
from whylog.markdown.values import Section, iter_items, match_label, norm, read_date, strip_emphasis
from whylog.model import DecisionFields, FileRef, Link, Record, Source, StoryFields, StorySection

_STORY = re.compile(r"^(?:\[(\d{4}-\d{2}-\d{2})\]\s*(?:[:|–—-]\s*)?|(\d{4}-\d{2}-\d{2})\s*[:|–—-]\s*)(\S.*)$")
_INDEX_LABEL = re.compile(r"^ADR[- ]?(\d{1,6})\s*(?:\((.*)\))?$", re.IGNORECASE)
_TRAILING_LINK = re.compile(r"\s*\[([^\]]*)\]\(([^)\s]+)\)\s*$")
_TITLE_SPLIT = re.compile(r"\s+[-–—]\s+")
FILES_LABELS = {"files changed", "changed files", "files", "files modified", "modified files"}
SHIPPED_LABELS = {"shipped", "shipped in", "released", "release", "version"}


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    first = read_front_matter(lines, path, reading)
    records: list[Record] = []
    stories: list[Record] = []
    done_until = first - 1
    newest_first: bool | None = None  # what the Daily Log heading says, when it says it
    for number in sorted(lines.headings):
        if number <= done_until or lines.tag(number) != "heading":
            continue
        level, text = lines.headings[number]
        part = _part(text)
        if part == "context" and not any(r.kind == "context" for r in records):
            done_until = _context_end(lines, number, level)
            records.append(read_context(lines, path, number, done_until, reading))
        elif part == "decisions":
            reading.claimed.append((number, number))
            done_until = record_end(lines, number, 6)  # the index is one list: any heading ends it
            records += _read_index(lines, path, number + 1, done_until, reading)
        elif part == "daily":
            reading.claimed.append((number, number))
            newest_first = _order(text)
        elif (heading := story_heading(text)) is not None:
            story = _read_story(lines, path, number, level, heading[0], heading[1], reading)
            if story is not None:
                stories.append(story)
                done_until = story.source.end_line if story.source else number
    order = is_newest_first(stories) if newest_first is None else newest_first
    found = records + assign_ids(stories, order)
    reading.records = sorted(found, key=lambda r: r.source.start_line if r.source else 0)
    return reading


def _context_end(lines: Lines, start: int, level: int) -> int:
    """The context runs to its section's end, or to a dated story heading that follows it directly."""
    end = record_end(lines, start, level)
    for number in range(start + 1, end + 1):
        heading = lines.headings.get(number) if lines.tag(number) == "heading" else None
        if heading is not None and story_heading(heading[1]) and subsection_key(heading[1]) == "":
            return max([n for n in range(start, number) if lines.tag(n) != "blank"])
    return end


def _order(heading: str) -> bool | None:
    key = norm(heading)
    if "newest first" in key or "latest first" in key:
        return True
    return False if "oldest first" in key else None


def _part(heading: str) -> str:
    key = norm(heading)
    if key.startswith("current context"):
        return "context"
    if key.startswith(("decisions", "decision log", "adr index")) or "(adr index)" in key:
        return "decisions"
    if key.startswith(("daily log", "daily entries")):
        return "daily"
    return ""


def story_heading(text: str) -> tuple[str, str] | None:
    """`(day, title)` from `2025-10-28: Title` or `[2025-10-28] Title`; a bare time stamp is no story."""
    match = _STORY.match(text)
    if match is None:
        return None
    return match.group(1) or match.group(2), match.group(3).strip()


def story_id(date: str) -> str:
    return f"STORY-{date[:10]}"


# --- the ADR index ---------------------------------------------------------------------------------


def _read_index(lines: Lines, path: str, first: int, last: int, reading: Reading) -> list[Record]:
    items = iter_items(lines, range(first, last + 1))
    records = []
    for item, (start, end) in zip(items, item_spans(lines, items, last), strict=False):
        record = _read_index_line(item.text, path, start, reading)
        if record is not None:
            records.append(dataclasses.replace(record, source=Source(path, start, end)))
        elif not item.text.lower().startswith(("none", "no ")):
            reading.diagnostics.append(
                diagnostic(
                    "PRS029",
                    "ADR index line is not read; expected - **ADR-NNN (YYYY-MM-DD):** Title - Summary",
                    path,
                    start,
                    severity="info",
                )
            )
    return records


def _read_index_line(text: str, path: str, line: int, reading: Reading) -> Record | None:
    found = read_labelled(text)
    label = _INDEX_LABEL.match(found[0].strip()) if found is not None else None
    if found is None or label is None:
        return None
    number, when = int(label.group(1)), (label.group(2) or "").strip()
    date = read_date(when) if when else ""
    if date is None:
        reading.diagnostics.append(
            diagnostic("PRS030", f"ADR index date {when!r} is not a date", path, line, "write it as (YYYY-MM-DD)")
        )
        date = ""
    rest = found[1]
    links: tuple[Link, ...] = ()
    link = _TRAILING_LINK.search(rest)
    if link is not None:
        rest, links = rest[: link.start()], (Link(link.group(2)),)
    title, summary = _split_title(rest)
    fields = DecisionFields(number=number, summary=summary)
    return Record(f"ADR-{number:03d}", "decision", title, date, fields, links=links)


def _split_title(text: str) -> tuple[str, str]:
    """`Title - Summary` at the first spaced dash; a title alone has no summary."""
    parts = _TITLE_SPLIT.split(text.strip(), maxsplit=1)
    return (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else (parts[0].strip(), "")


# --- stories -----------------------------------------------------------------------------------------


def _read_story(
    lines: Lines, path: str, start: int, level: int, day: str, title: str, reading: Reading
) -> Record | None:
    date = read_date(day)
    if date is None:
        reading.diagnostics.append(
            diagnostic(
                "PRS031",
                f"story heading has an impossible date {day!r}; read as text",
                path,
                start,
                "write it as ### YYYY-MM-DD: Title",
            )
        )
        return None
    end = record_end(lines, start, level)
    sections: list[StorySection] = []
    files: tuple[FileRef, ...] = ()
    shipped = ""
    for section in story_sections(lines, range(start + 1, end + 1)):
        text = section.text(lines)
        if section.key in FILES_LABELS:
            files += read_file_list(text)
        elif section.key in SHIPPED_LABELS:
            shipped = strip_emphasis(text)
        elif section.label or text:
            sections.append(StorySection(section.label, text))
    fields = StoryFields(tuple(sections), shipped)
    return Record(story_id(date), "story", title, date, fields, files=files, source=Source(path, start, end))


def story_sections(lines: Lines, numbers: range) -> list[Section]:
    """Split a story at its bold labels (`**The Problem:** ...`) that start a line outside a list; text
    before the first label is a section without a label."""
    sections = [Section("", "", 0, 0, "")]
    for number in numbers:
        raw = lines.line(number)
        found = None
        if lines.tag(number) == "text" and raw.lstrip().startswith("**") and not is_list_item(raw):
            found = match_label(raw, None)
        if found is not None:
            sections.append(Section(norm(found[0]), found[0], number, 0, found[1]))
        else:
            sections[-1].body.append(number)
    return sections
