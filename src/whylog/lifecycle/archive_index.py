"""The tables of contents that `whylog archive` keeps current in the main files.

- A system log's `## Index` section: `- YYYY-MM: N entries` lines for the months still in the file and
  `- Archive YYYY: [FILE](FILE) (N entries)` lines for the archive files. Other lines stay as they are; a
  section without such lines is left alone.
- A dev log's `## Archive` section: its bullet becomes `- N entries archived in [FILE](FILE)`.
"""

from __future__ import annotations

import re

from whylog.model import Record

_INDEX = re.compile(r"^##\s+Index\s*$")
_ARCHIVE = re.compile(r"^##\s+Archive\s*$")
_MONTH_LINE = re.compile(r"^- \d{4}-\d{2}: \d+ entr(?:y|ies)\s*$")
_ARCHIVE_LINE = re.compile(r"^- Archive \d{4}: ")
_YEAR = re.compile(r"_(\d{4})\.md$")
_LISTED = re.compile(r"^- Archive \d{4}: \[[^\]]*\]\(([^)]+)\) \((\d+) entr(?:y|ies)\)", re.MULTILINE)


def listed_counts(text: str) -> dict[str, int]:
    """Archive file name -> the count the index section gives it."""
    return {target.rsplit("/", 1)[-1]: int(count) for target, count in _LISTED.findall(text)}


def update_syslog_index(text: str, remaining: list[Record], counts: dict[str, int], newline: str) -> str:
    lines = text.splitlines(keepends=True)
    section = _section(lines, _INDEX)
    if section is None:
        return text
    start, stop = section
    listed = [n for n in range(start, stop) if _listed(lines[n])]
    if not listed:
        return text
    block = [line + newline for line in _index_lines(remaining, counts)]
    gone = set(listed)
    out = lines[: listed[0]] + block + [lines[n] for n in range(listed[0], len(lines)) if n not in gone]
    return "".join(out)


def _index_lines(remaining: list[Record], counts: dict[str, int]) -> list[str]:
    months: dict[str, int] = {}
    for record in remaining:
        if record.kind == "entry" and record.date:
            months[record.date[:7]] = months.get(record.date[:7], 0) + 1
    out = [f"- {month}: {_entries(count)}" for month, count in sorted(months.items(), reverse=True)]
    years = sorted(((m.group(1), name) for name in counts if (m := _YEAR.search(name))), reverse=True)
    out += [f"- Archive {year}: [{name}]({name}) ({_entries(counts[name])})" for year, name in years if counts[name]]
    return out


def update_devlog_note(text: str, name: str, count: int, newline: str) -> str:
    lines = text.splitlines(keepends=True)
    section = _section(lines, _ARCHIVE)
    if section is None or count == 0:
        return text
    start, stop = section
    bullets = [n for n in range(start, stop) if _bare(lines[n]).startswith("- ")]
    note = f"- {_entries(count)} archived in [{name}]({name}){newline}"
    if bullets:
        gone = set(bullets)
        rest = [lines[n] for n in range(bullets[0], len(lines)) if n not in gone]
        return "".join(lines[: bullets[0]] + [note] + rest)
    last = max((n for n in range(start, stop) if _bare(lines[n]).strip()), default=start - 1)
    head = lines[: last + 1]
    if head and not head[-1].endswith(("\n", "\r")):
        head[-1] += newline
    return "".join(head + [note] + lines[last + 1 :])


def _listed(line: str) -> bool:
    return bool(_MONTH_LINE.match(_bare(line)) or _ARCHIVE_LINE.match(_bare(line)))


def _section(lines: list[str], heading: re.Pattern[str]) -> tuple[int, int] | None:
    """0-based [first line after the heading, first line of the next heading or separator)."""
    for number, line in enumerate(lines):
        if heading.match(_bare(line)):
            stop = number + 1
            while stop < len(lines) and not _bare(lines[stop]).startswith("#") and _bare(lines[stop]) != "---":
                stop += 1
            return number + 1, stop
    return None


def _bare(line: str) -> str:
    return line.rstrip("\r\n")


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"
