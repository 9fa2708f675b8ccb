"""`whylog archive`: move old records out of the main logs into archive files, losing nothing.

Policy (thresholds from `[archive]` in whylog.toml):
- a system log (`SYSTEM_LOG.md`) longer than `syslog_max_lines` lines moves its entries older than
  `syslog_keep_months` months to `SYSTEM_LOG_ARCHIVE_YYYY.md`, by the entry's year;
- a dev log (`DEVLOG.md`) moves its daily stories older than `devlog_keep_days` days to `DEVLOG_ARCHIVE.md`.

A record moves whole and byte for byte: its lines plus the blank lines and separator after it. The archive
files and the main files change in one step under the repo's write lock (`repo.write_files_atomically`): a
crash before the step's manifest changes nothing, one after it is finished before the next command reads.
Should a main file still hold records already in its archive (an archive run by an older version cut
short), the next run adds them no second time and only removes them from the main file.
"""

from __future__ import annotations

import calendar
import fnmatch
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from whylog.lifecycle.archive_index import listed_counts, update_devlog_note, update_syslog_index
from whylog.markdown.document import Document, is_newest_first
from whylog.markdown.readers import read_text
from whylog.markdown.scan import decode
from whylog.model import Record, to_json
from whylog.model.errors import WriteError
from whylog.repo import DEFAULT_ARCHIVE, Config, iter_source_files, write_files_atomically, write_lock

_BOM = b"\xef\xbb\xbf"
_ARCHIVE_NAME = re.compile(r"_ARCHIVE(?:_\d{4})?\.md$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Move:
    """Records leaving `source` for `target`; `already` of them were found there from an interrupted run."""

    source: str
    target: str
    count: int
    first_id: str
    last_id: str
    created: bool
    already: int = 0


@dataclass(slots=True)
class Plan:
    moves: list[Move] = field(default_factory=list)
    writes: list[tuple[Path, bytes]] = field(default_factory=list)  # archives first, then main files


@dataclass(slots=True)
class _Chunk:
    record: Record
    text: str
    stop: int  # the line after the chunk in its file


def archive(
    config: Config,
    now: datetime | None = None,
    *,
    dry_run: bool = False,
    after_write: Callable[[int], None] | None = None,
) -> Plan:
    """Carry out the archive policy; with `dry_run`, only say what would move. All files change in one
    step (`repo.write_files_atomically`), so a reader never sees a record in both files. `after_write(n)`
    is called after the step's manifest (0) and after its n-th file (tests stop the process there)."""
    moment = now or datetime.now(UTC)
    if dry_run:  # no lock: taking it would create .whylog/, and a dry run changes nothing
        return plan_archive(config, moment)
    with write_lock(config.root):
        plan = plan_archive(config, moment)
        if plan.writes:
            write_files_atomically(config.root, list(plan.writes), after_step=after_write)
    return plan


def plan_archive(config: Config, now: datetime) -> Plan:
    plan = Plan()
    mains: list[tuple[Path, bytes]] = []
    for path, family in iter_source_files(config):
        if _ARCHIVE_NAME.search(path.name) or family not in ("syslog", "devlog"):
            continue
        data = path.read_bytes()
        document = _read(data, _rel(config, path), family)
        if family == "syslog":
            if len(document.lines) <= _threshold(config, "syslog_max_lines"):
                continue
            cutoff = _months_back(now, _threshold(config, "syslog_keep_months"))
            old = [r for r in document.records if r.kind == "entry" and r.date and r.date[:10] < cutoff]
        else:
            cutoff = (now - timedelta(days=_threshold(config, "devlog_keep_days"))).strftime("%Y-%m-%d")
            old = [r for r in document.records if r.kind == "story" and r.date and r.date[:10] < cutoff]
        if old:
            main = _plan_file(config, path, data, document, old, plan)
            mains.append((path, main))
    plan.writes += mains
    return plan


def _plan_file(config: Config, path: Path, data: bytes, document: Document, old: list[Record], plan: Plan) -> bytes:
    """Plan the archive writes for one main file's `old` records; return the main file's new bytes."""
    chunks = _chunks(document, old)
    groups: dict[Path, list[_Chunk]] = {}
    for chunk in chunks:
        groups.setdefault(_target(path, document.family, chunk.record), []).append(chunk)
    newest_first = is_newest_first([r for r in document.records if r.kind == old[0].kind]) or len(document.records) < 2
    counts: dict[str, int] = {}
    for target, group in groups.items():
        _refuse_unread(config, target, document)
        written, move, counts[target.name] = _plan_archive_file(config, document, target, group, newest_first)
        plan.moves.append(move)
        if written is not None:
            plan.writes.append((target, written))
    moved = {id(c.record) for c in chunks}
    remaining = [r for r in document.records if id(r) not in moved]
    text = _update_toc(path, document, _remove(document, chunks), remaining, counts)
    _verify_move(document, text, [c.record for c in chunks])
    return (_BOM if data.startswith(_BOM) else b"") + text.encode("utf-8")


def _update_toc(path: Path, document: Document, text: str, remaining: list[Record], counts: dict[str, int]) -> str:
    """The main file's index section (system log) or archive note (dev log), brought up to date. An
    archive this run does not touch keeps the count the index gives it; it is read only when unlisted."""
    if document.family == "syslog":
        listed = listed_counts(text)
        for other in path.parent.glob(f"{path.stem}_ARCHIVE_[0-9][0-9][0-9][0-9].md"):
            if other.name not in counts:
                known = listed.get(other.name)
                counts[other.name] = known if known is not None else _count(other)
        return update_syslog_index(text, remaining, counts, document.newline)
    name = f"{path.stem}_ARCHIVE.md"
    return update_devlog_note(text, name, counts.get(name, 0), document.newline)


def _count(path: Path) -> int:
    return len(_read(path.read_bytes(), path.name, "syslog").records)


def _plan_archive_file(
    config: Config, document: Document, target: Path, group: list[_Chunk], newest_first: bool
) -> tuple[bytes | None, Move, int]:
    """The archive file's new bytes (None when it already holds every record), the move, and how many
    records the archive holds afterwards."""
    rel = _rel(config, target)
    exists = target.is_file()
    data = target.read_bytes() if exists else b""
    existing = _read(data, rel, document.family) if exists else None
    held = Counter(_key(r) for r in existing.records) if existing else Counter()
    missing: list[_Chunk] = []
    for chunk in group:
        key = _key(chunk.record)
        if held[key] > 0:
            held[key] -= 1
        else:
            missing.append(chunk)
    first, last = group[0].record.id, group[-1].record.id
    move = Move(document.path, rel, len(group), first, last, not exists, len(group) - len(missing))
    if not missing:
        return None, move, len(existing.records) if existing else 0
    if existing is None:
        text = _new_archive(document, target, missing)
    else:
        text = _insert(existing, missing, newest_first)
    _verify_added(existing.records if existing else [], text, rel, document.family, [c.record for c in missing])
    total = (len(existing.records) if existing else 0) + len(missing)
    return (_BOM if data.startswith(_BOM) else b"") + text.encode("utf-8"), move, total


def _refuse_unread(config: Config, target: Path, document: Document) -> None:
    """An archive no [sources] glob reads would hide its records from search, `show` and links."""
    rel = _rel(config, target)
    if not any(fnmatch.fnmatchcase(rel, glob) for glob in config.sources):
        raise WriteError(
            f"archive file {rel} is not in [sources], so its records would no longer be found; nothing was written",
            document.path,
            hint=f'add "{rel}" = "{document.family}" (or a glob for it) to [sources] in whylog.toml',
        )


def _chunks(document: Document, old: list[Record]) -> list[_Chunk]:
    """Each record's lines, with the blank lines and separators that follow it, and a line end."""
    lines = document.lines
    out = []
    for record in old:
        assert record.source is not None
        stop = record.source.end_line + 1
        while stop <= len(lines) and lines.tag(stop) in ("blank", "rule"):
            stop += 1
        text = "".join(lines.lines[record.source.start_line - 1 : stop - 1])
        if not text.endswith(("\n", "\r")):
            text += document.newline
        out.append(_Chunk(record, text, stop))
    return out


def _remove(document: Document, chunks: list[_Chunk]) -> str:
    drop: set[int] = set()
    for chunk in chunks:
        assert chunk.record.source is not None
        drop.update(range(chunk.record.source.start_line, chunk.stop))
    return "".join(line for number, line in enumerate(document.lines.lines, start=1) if number not in drop)


def _insert(existing: Document, missing: list[_Chunk], newest_first: bool) -> str:
    """Splice the chunks in between the archive's records where their dates put them."""
    lines = existing.lines.lines
    peers = [r for r in existing.records if r.source is not None]
    at: dict[int, list[str]] = {}
    for chunk in missing:
        date = chunk.record.date
        index = len(lines)
        for peer in peers:
            assert peer.source is not None
            if (peer.date < date) if newest_first else (peer.date > date):
                index = peer.source.start_line - 1
                break
        at.setdefault(index, []).append(chunk.text)
    out: list[str] = []
    for index in range(len(lines) + 1):
        if index in at:
            if index == len(lines) and out and not out[-1].endswith(("\n", "\r")):
                out.append(existing.newline)
            out += at[index]
        if index < len(lines):
            out.append(lines[index])
    return "".join(out)


def _new_archive(document: Document, target: Path, chunks: list[_Chunk]) -> str:
    nl = document.newline
    source = Path(document.path).name
    if document.family == "syslog":
        year = target.stem.rsplit("_", 1)[-1]
        head = [f"# SYSTEM_LOG Archive {year}", "", f"Entries from {year} moved out of {source}. Newest first.", ""]
        head += ["---", ""]
    else:
        head = ["# Development Log Archive", "", f"Daily log entries moved out of {source}.", ""]
        head += ["## Daily Log - Newest First", ""]
    return nl.join(head) + nl + "".join(c.text for c in chunks)


def _target(main: Path, family: str, record: Record) -> Path:
    if family == "syslog":
        return main.with_name(f"{main.stem}_ARCHIVE_{record.date[:4]}.md")
    return main.with_name(f"{main.stem}_ARCHIVE.md")


def _verify_move(before: Document, new_text: str, moved: list[Record]) -> None:
    after = _read(new_text.encode("utf-8"), before.path, before.family).records
    expected = Counter(_key(r) for r in before.records) - Counter(_key(r) for r in moved)
    if Counter(_key(r) for r in after) != expected:
        raise WriteError("removing the archived records would change the file's other records", before.path)


def _verify_added(before: list[Record], new_text: str, path: str, family: str, added: list[Record]) -> None:
    after = _read(new_text.encode("utf-8"), path, family).records
    if Counter(_key(r) for r in after) != Counter(_key(r) for r in before) + Counter(_key(r) for r in added):
        raise WriteError("the archive would not read back as its records plus the moved ones", path)


def _key(record: Record) -> str:
    """A record's identity across files: everything but where it is and its duplicate-id suffix."""
    return json.dumps(to_json(replace(record.without_source(), id="")), sort_keys=True)


def _read(data: bytes, display: str, family: str) -> Document:
    return read_text(decode(data, display), display, family)


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _months_back(now: datetime, months: int) -> str:
    total = now.year * 12 + (now.month - 1) - months
    year, month = divmod(total, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return f"{year:04d}-{month + 1:02d}-{day:02d}"


def _threshold(config: Config, name: str) -> int:
    return config.archive.get(name, DEFAULT_ARCHIVE[name])
