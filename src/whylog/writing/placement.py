"""Adding a record: the id it gets, where it goes in its file, and the check that it reads back.

`add_record` reads the target file, splices the record's canonical text in between existing lines (no
existing line changes), and refuses to write when the file would not read back as the old records plus
exactly the new one. All that is done without the repo's write lock; under it the writer only checks that
what it read is unchanged and renames the new file into place, or, when another writer came first, starts
again from the file as that writer left it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from whylog.markdown.decisions import complete_fields, supersession, target_of
from whylog.markdown.document import Document, is_newest_first
from whylog.markdown.ends import Ends, read_ends
from whylog.markdown.postmortems import complete_incident
from whylog.markdown.readers import FAMILY_OF_KIND, read_text
from whylog.markdown.readers.common import find_link_target
from whylog.markdown.readers.syslog import entry_id
from whylog.markdown.scan import decode, split_lines
from whylog.markdown.values import slug
from whylog.markdown.window import inserted_at, read_appended, read_inserted
from whylog.markdown.writers import render, render_block
from whylog.markdown.writers.adr import TEMPLATES
from whylog.markdown.writers.postmortems import render_postmortem
from whylog.model import DecisionFields, FeatureFields, IncidentFields, Link, Record, ReleaseFields, to_json
from whylog.model.bounds import shift_day
from whylog.model.errors import WriteError
from whylog.repo import Config, free_path, source_family, stat_source_files, write_lock, write_record_bytes
from whylog.repo.boundary import check_path, work_tree
from whylog.writing.decision_place import decision_shape, indexed, named, new_path
from whylog.writing.postmortem_files import postmortem_folder, postmortem_path

_NUMBER = re.compile(r"(\d+)$")


def now_utc() -> datetime:
    return datetime.now(UTC)


def add_record(config: Config, record: Record, now: datetime | None = None, *, allow_secret: bool = False) -> Record:
    """Write `record` (its id and source are assigned here) and return it as read back from disk.

    Unless `allow_secret`, a record holding something that looks like a credential is refused with
    nothing written."""
    _check_references(config, record)
    if not allow_secret:
        _refuse_secrets(config, record)
    moment = now or now_utc()
    if not config.write.get(record.kind, ""):
        raise WriteError(f"no [write] file configured for kind {record.kind!r}", "whylog.toml")
    for _ in range(_OPTIMISTIC_TRIES):
        plan = _plan(config, record, moment)
        with write_lock(config.root):
            stamp = _write_if_current(config, plan)
        if stamp is not None:
            break
    else:  # the files keep changing under us: decide with the lock held, so this writer gets its turn
        with write_lock(config.root):
            plan = _plan(config, record, moment)
            stamp = _write_if_current(config, plan)
    assert stamp is not None
    _tell_index(config, plan, stamp)
    return plan.written


# How often a writer reads and checks without the lock before it does so holding the lock.
_OPTIMISTIC_TRIES = 3


@dataclass(frozen=True, slots=True)
class _Plan:
    """A record ready to write: the file, what it held when read, what it will hold, the record as it
    reads back, and the state of the files its id was taken from."""

    path: Path
    display: str
    family: str
    old: bytes | None  # None: the file did not exist
    new: bytes
    written: Record
    peers: tuple[tuple[str, int, int, int], ...]
    inserted: tuple[int, int] | None = None  # the 1-based line the new lines start at, and how many
    whole: bool = True  # whether the target was read whole (False: only its ends, `markdown.ends`)
    also: tuple[tuple[Path, bytes, bytes], ...] = ()  # another file written with it: an ADR index page


def _plan(config: Config, record: Record, moment: datetime, *, whole: bool = False) -> _Plan:
    """Read the target, complete the record, splice it in and check that the result reads back; no lock
    is held, so `_write_if_current` checks under the lock that nothing read here changed since. Unless
    `whole`, a long entry log is read only at its ends when they decide everything (else it is read whole)."""
    given = record
    target = config.write[record.kind]
    postmortems = postmortem_folder(config, target) if record.kind == "incident" else None
    one_file = not target.endswith("/") and postmortems is None
    path, data, old, ends = config.root / target, b"", None, None
    peers = _peer_stamps(config, record.kind) if record.kind in _ON_BRANCHES else ()
    existed = one_file and path.is_file()
    if one_file:
        path, data, old, ends = _read_target(config, path, record.kind, whole)
    shape = decision_shape(config, target) if record.kind == "decision" and not one_file else None
    record = _complete(config, record, moment, {_rel(config, path): old} if one_file else {})
    template = "whylog"
    also: tuple[tuple[Path, bytes, bytes], ...] = ()
    if shape is not None:
        path = new_path(shape, record)
        record, template = named(shape, record, path), shape.template
    elif postmortems is not None:
        path = postmortem_path(postmortems, record)
    elif not one_file:
        path = _new_file_path(config.root / target, record)
    if not one_file:
        check_path(config.root, path, "write")
    family = _family_of(config, path, record.kind)
    display = _rel(config, path)
    written, inserted = None, None
    if old is not None and record.id == "REL-unreleased" and any(r.id == record.id for r in old.records):
        from whylog.markdown.writers.unreleased import add_to_unreleased

        new_text, written = add_to_unreleased(old, record)
        new_data = (_BOM if data.startswith(_BOM) else b"") + new_text.encode("utf-8")
        return _Plan(path, display, family, data, new_data, written, peers, None, True)
    if old is not None:
        new_text, index, block = _spliced(old, record)
        inserted = None if index is None else (index + 1, len(split_lines(block)))
        if index is not None and family == old.family:
            written = read_inserted(old, index, block, record)
        elif ends is not None and family == old.family:  # appended to a log read at its ends
            written = read_appended(old, ends.tail_start, new_text[ends.middle[1] :], record)
    elif template != "whylog":
        new_text = "".join(line + "\n" for line in TEMPLATES[template](record))
    elif postmortems is not None:
        lines = render_postmortem(record, postmortems.template, postmortems.number or None)
        new_text = "".join(line + "\n" for line in lines)
    else:
        new_text = render(record) if not one_file or record.kind == "feature" else _new_log(record)
    if ends is not None and (written is None or not _ends_decide(ends, record, index)):
        return _plan(config, given, moment, whole=True)
    if written is None:
        written = _verify(old.records if old else [], new_text, display, family)
    if postmortems is not None:
        _check_given_parts(written, record, display)
    else:
        _check_as_given(written, record, display)
    new_data = (_BOM if data.startswith(_BOM) else b"") + new_text.encode("utf-8")
    page = indexed(shape, path, written, _rel(config, shape.index)) if shape and shape.index else None
    if page is not None and shape is not None and shape.index is not None:
        check_path(config.root, shape.index, "write")
        also = ((shape.index, page[0], page[1]),)
    return _Plan(
        path, display, family, data if existed else None, new_data, written, peers, inserted, ends is None, also
    )


def _ends_decide(ends: Ends, record: Record, index: int | None) -> bool:
    """Whether placing `record` before 0-based line `index` (None: at the end) from the log's ends alone is
    what reading the whole log gives: the place lies in the head, or in an oldest-first log in the tail or
    at its end, between records the window read-back can see; and the unread middle names no date that
    could hold an entry sharing the new one's id (the ids of its day and the next are compared, and a date
    with a time zone may name the day before or after) or, oldest first, one placed after it."""
    peers = [r for r in ends.document.records if r.kind == "entry" and r.source is not None]
    if len({r.date for r in peers}) < 2:
        return False
    newest_first = is_newest_first(peers)
    if index is None and newest_first:
        return False
    day = datetime.strptime(record.date[:10], "%Y-%m-%d").date()
    try:
        first, last = shift_day(day, -2).isoformat(), shift_day(day, 2).isoformat()
    except (OverflowError, ValueError):
        return False
    if ends.names_day_between(first, last if newest_first else "9999-12-31"):
        return False
    if index is None:  # appended (oldest first), and read back from the tail
        return True
    starts = [r.source.start_line for r in peers if r.source is not None]
    ends_ = [r.source.end_line for r in peers if r.source is not None]
    in_head = sum(1 for s in starts if index < s < ends.head_end) >= 2
    in_tail = index + 1 > ends.tail_start and any(ends.tail_start <= e <= index for e in ends_)
    return in_head or (in_tail and not newest_first)


def _write_if_current(config: Config, plan: _Plan) -> tuple[int, int] | None:
    """Under the write lock: write the plan when the files it was made from are as they were read, and
    return the new file's (mtime_ns, size); None when another writer changed them (plan again)."""
    if plan.old is None:
        if plan.path.exists():
            return None
    elif not plan.path.is_file() or plan.path.read_bytes() != plan.old:
        return None
    if plan.peers and _peer_stamps(config, plan.written.kind) != plan.peers:
        return None
    if any(not other.is_file() or other.read_bytes() != before for other, before, _after in plan.also):
        return None
    write_record_bytes(config.root, plan.path, plan.new)
    for other, _before, after in plan.also:
        write_record_bytes(config.root, other, after)
    stat = plan.path.stat()
    return stat.st_mtime_ns, stat.st_size


def _peer_stamps(config: Config, kind: str) -> tuple[tuple[str, int, int, int], ...]:
    """The files a numbered kind takes its next number from, with their inode, mtime and size."""
    out = []
    families = _families(kind)
    for rel, family, _ in stat_source_files(config):
        if family in families:
            try:
                stat = (config.root / rel).stat()
            except OSError:
                continue
            out.append((rel, stat.st_ino, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(out))


_BOM = b"\xef\xbb\xbf"


def _read_target(
    config: Config, path: Path, kind: str, whole: bool
) -> tuple[Path, bytes, Document | None, Ends | None]:
    """The file a kind is written to: its bytes and, when it holds anything, its document; for a long
    entry log (unless `whole`), a document of its ends only, and those ends."""
    display = _rel(config, path)
    check_path(config.root, path, "write")
    if path.exists() and not path.is_file():
        raise WriteError("is not a file; expected a record file", display)
    data = path.read_bytes() if path.is_file() else b""
    family = _family_of(config, path, kind)
    if not data.strip():
        return path, data, None, None
    text = decode(data, display)
    ends = None if whole or kind != "entry" or family != "syslog" else read_ends(text, display, family)
    if ends is not None:
        return path, data, ends.document, ends
    return path, data, read_text(text, display, family), None


def _check_references(config: Config, record: Record) -> None:
    """Every file the record names (its own, and a change item's) must be one whylog may read."""
    from whylog.model import ChangeFields

    refs = list(record.files)
    if isinstance(record.fields, ChangeFields):
        refs += [ref for item in record.fields.items for ref in item.files]
    top = work_tree(config.root)
    for ref in refs:
        check_path(config.root, ref.path, "read", top=top)


def _refuse_secrets(config: Config, record: Record) -> None:
    from whylog.writing.secrets import find_secrets_in_record

    findings = find_secrets_in_record(record)
    if findings:
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        raise WriteError(
            f"{findings[0].describe()}{more}; not written (--allow-secret, or allow_secret over MCP, writes it)",
            config.write.get(record.kind, ""),
            hint="remove the credential (and rotate it if it was real), or allow it if it is not one",
        )


def _tell_index(config: Config, plan: _Plan, stamp: tuple[int, int]) -> None:
    """Update an existing index in place for the lines just inserted, so the next search need not read
    the whole file again; if the index is missing or behind for this file, the next sync reads it. Done
    after the write lock is let go: `stamp` is the file as this writer left it, so when another writer
    has changed it since, the index does not match the file and the next sync reads it again."""
    from whylog.index.sqlite import index_path, record_inserted

    if not index_path(config.root).exists():
        return
    if plan.inserted is not None:
        at_line, added = plan.inserted
    else:
        old_lines, new_lines = (plan.old or b"").splitlines(keepends=True), plan.new.splitlines(keepends=True)
        common = 0
        for a, b in zip(old_lines, new_lines, strict=False):
            if a != b:
                break
            common += 1
        at_line, added = common + 1, len(new_lines) - len(old_lines)
    record_inserted(
        config,
        plan.display,
        plan.family,
        plan.old or None,
        plan.new,
        stamp,
        at_line,
        added,
        plan.written,
    )


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _family_of(config: Config, path: Path, kind: str) -> str:
    return source_family(config, _rel(config, path)) or FAMILY_OF_KIND[kind]


def _complete(config: Config, record: Record, moment: datetime, read: dict[str, Document | None]) -> Record:
    """The record with its date, link targets, id and number filled in; `read` holds documents already
    read (by path), so the file being written is not parsed twice."""
    date = record.date
    start = 1 if date else moment.second  # seconds for a taken minute: the clock's when the clock dated it
    if not date and record.kind != "feature":
        date = moment.strftime("%Y-%m-%dT%H:%M:00Z") if record.kind == "entry" else moment.strftime("%Y-%m-%d")
    links = tuple(Link(link.text, link.target or find_link_target(link.text)) for link in record.links)
    record = dataclasses.replace(record, date=date, source=None, links=links)
    if isinstance(record.fields, FeatureFields):  # a feature's title is its description
        description = record.fields.description or record.title
        record = dataclasses.replace(
            record, title=description, fields=dataclasses.replace(record.fields, description=description)
        )
    if isinstance(record.fields, DecisionFields):
        record = _complete_decision(record)
    if isinstance(record.fields, IncidentFields):
        record = dataclasses.replace(record, fields=complete_incident(record.fields, record.date))
    if record.kind == "release":
        from whylog.markdown.writers.changelog import completed

        return completed(record)
    if record.kind == "entry":
        record = dataclasses.replace(
            record, date=free_stamp(record.date, _entry_ids(config, read, record.date[:10]), start)
        )
    record = dataclasses.replace(record, id=_new_id(config, record, read))
    return dataclasses.replace(record, fields=_numbered_fields(config, record))


def _complete_decision(record: Record) -> Record:
    """A decision with its derived fields agreeing with its text (`decisions.complete_fields`), and a
    `Supersedes ADR-NNN` link for each decision it supersedes that no link names yet."""
    assert isinstance(record.fields, DecisionFields)
    fields = complete_fields(record.fields)
    named = supersession([link.text for link in record.links])[0]
    links = tuple(Link(link.text, link.target or target_of(link.text)) for link in record.links)
    links += tuple(Link(f"Supersedes {i}", i) for i in fields.supersedes if i not in named)
    return dataclasses.replace(record, fields=fields, links=links)


def _entry_ids(config: Config, read: dict[str, Document | None], day: str) -> set[str]:
    """The ids of the entries of `day` (and the day after, where a full minute spills over) in every
    entry file: from the synced index, and from the documents in `read` (the file being written)."""
    days = sorted({day, shift_day(datetime.strptime(day, "%Y-%m-%d").date(), 1).isoformat()}) if day else []
    # rowids from the date index first: a day's entries are found without reading every entry's row
    where = f"rowid IN (SELECT rowid FROM records WHERE {' OR '.join(['date GLOB ?'] * len(days))})" if days else "0"
    out = set(_indexed_ids(config, "entry", where, [f"{d}*" for d in days]))
    for document in read.values():
        out |= {entry_id(r.date) for r in document.records if r.kind == "entry" and r.date} if document else set()
    return out


def _indexed_ids(config: Config, kind: str, where: str = "1", params: Sequence[str] = ()) -> list[str]:
    """The ids of `kind` in the files of its families, from the index synced first (a no-change sync is a
    listing of the record files): numbers are given without parsing every file of a family."""
    from whylog.index.sqlite import open_synced

    families = _families(kind)
    sql = f"SELECT id FROM records WHERE kind = ? AND family IN ({', '.join('?' * len(families))}) AND ({where})"
    with closing(open_synced(config)) as conn:
        return [str(row[0]) for row in conn.execute(sql, (kind, *families, *params))]


def free_stamp(date: str, taken: set[str], start: int = 1) -> str:
    """An entry's date whose id no other entry has: `date` itself when its minute is free, else that
    minute with seconds (from `start`, then the next free one), so two entries written within one minute
    (two agents, two clones) get `LOG-...-1432` and `LOG-...-143207`. A minute with every second taken
    goes on into the seconds after it."""
    if entry_id(date) not in taken:
        return date
    if "T" not in date:
        raise WriteError(
            f"another entry already has the id {entry_id(date)}; give a time with --date (YYYY-MM-DD HH:MM UTC)"
        )
    minute = datetime.strptime(date[:16], "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)
    first = min(max(start, 1), 59)
    seconds = [*range(first, 60), *range(1, first), *range(60, 86_400)]
    for second in seconds:
        try:
            candidate = (minute + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        except OverflowError:  # past 9999-12-31 23:59:59, the last second there is
            break
        if entry_id(candidate) not in taken:
            return candidate
    raise WriteError(f"every second of the day after {date[:16].replace('T', ' ')} UTC has an entry")


def _families(kind: str) -> tuple[str, ...]:
    return (FAMILY_OF_KIND[kind], "devlog") if kind == "decision" else (FAMILY_OF_KIND[kind],)


def _peer_ids(config: Config, kind: str, read: dict[str, Document | None]) -> list[str]:
    """The ids of `kind` in use in this work tree: the index's, and those of the documents in `read`."""
    ids = _indexed_ids(config, kind)
    for document in read.values():
        ids += [r.id for r in document.records if r.kind == kind] if document else []
    return ids


# How a numbered record's number shows in its file, to find the numbers other branches have taken.
_ON_BRANCHES = {
    "incident": (r"INC-[0-9]{4}-[0-9]+", None),
    "decision": (r"ADR-[0-9]+", "ADR-"),
    "session": (r"[Ss][Ee][Ss][Ss][Ii][Oo][Nn][ :#-]*[0-9]+|SES-[0-9]+", "SES-"),
    "feature": (r'"id" *: *[0-9]+', "FEAT-"),
}


def ids_on_branches(config: Config, kind: str) -> list[str]:
    """The ids of `kind` written in the record files at the tip of every local and remote-tracking
    branch, so a number taken on another branch is not taken again here (empty outside git)."""
    from whylog import git

    if kind not in _ON_BRANCHES:
        return []
    pattern, prefix = _ON_BRANCHES[kind]
    globs = [glob for glob, family in config.sources.items() if family in _families(kind)]
    try:
        found = git.grep_branches(config.root, pattern, globs)
    except git.GitError:
        return []
    if prefix is None:
        return sorted(found)
    return sorted(f"{prefix}{m.group(1)}" for text in found if (m := _NUMBER.search(text)))


def next_number(ids: list[str], prefix: str) -> int:
    numbers = [int(m.group(1)) for i in ids if i.startswith(prefix) and (m := _NUMBER.search(i))]
    return max(numbers, default=0) + 1


def numbered_id(kind: str, ids: list[str], year: str = "") -> str:
    """The next free id of a numbered kind given the ids already taken."""
    if kind == "incident":
        return f"INC-{year}-{next_number(ids, f'INC-{year}-'):03d}"
    if kind == "decision":
        return f"ADR-{next_number(ids, 'ADR-'):03d}"
    if kind == "session":
        return f"SES-{next_number(ids, 'SES-'):03d}"
    return f"FEAT-{next_number(ids, 'FEAT-')}"


def _new_id(config: Config, record: Record, read: dict[str, Document | None]) -> str:
    kind = record.kind
    if kind == "entry":
        return entry_id(record.date)
    if kind == "story":
        return f"STORY-{record.date[:10]}"
    if kind == "change":
        return f"CHG-{record.date[:10]}-{slug(record.title, 6)}"
    if kind == "context":
        return f"CTX-{Path(config.write['context']).stem.lower()}"
    ids = _peer_ids(config, kind, read) + ids_on_branches(config, kind)
    return numbered_id(kind, ids, record.date[:4])


def _numbered_fields(config: Config, record: Record) -> Any:
    """Decisions and sessions carry their number in their fields as well as in their id."""
    fields: Any = record.fields
    found = _NUMBER.search(record.id)
    if record.kind in ("decision", "session") and found and getattr(fields, "number", 0) == 0:
        return dataclasses.replace(fields, number=int(found.group(1)))
    return fields


def _new_file_path(folder: Path, record: Record) -> Path:
    if record.kind == "session":
        stem = f"session-{record.id[4:]}"
    else:
        stem = f"{record.date[:10]}-{slug(record.title, 6)}"
    return free_path(folder, stem, ".txt" if record.kind == "session" else ".md")


def _new_log(record: Record) -> str:
    titles = {"entry": "# SYSTEM_LOG", "incident": "# Incidents Log", "story": "# Development Log"}
    titles["release"] = "# Changelog"
    heading = titles.get(record.kind, "# Records")
    if record.kind == "story":
        heading += "\n\n## Daily Log - Newest First"
    return f"{heading}\n\n{render_block(record)}"


def splice(document: Document, record: Record) -> str:
    """The document's text with the record's block inserted where the file's own order puts it."""
    return _spliced(document, record)[0]


def _spliced(document: Document, record: Record) -> tuple[str, int | None, str]:
    """The spliced text, and when the block went in between two lines, the 0-based index of the line it
    went before and the block itself."""
    display = document.path
    if record.kind == "feature":
        from whylog.markdown.writers.features import insert_feature

        return insert_feature(document.text, record), None, ""
    if record.kind == "context" and any(r.kind == "context" for r in document.records):
        raise WriteError("already has a Current Context block; edit it in place", display)
    lines = document.lines.lines
    newline = document.newline
    index, prefix = _release_at(document, record) if record.kind == "release" else _insert_at(document, record)
    block = (prefix + render_block(record)).replace("\n", newline)
    if index >= len(lines):
        head = "".join(lines)
        if head and not head.endswith(("\n", "\r")):
            head += newline
        if head and not head.endswith(newline * 2):
            head += newline
        return head + block, None, ""
    return "".join(lines[:index]) + block + "".join(lines[index:]), index, block


def _release_at(document: Document, record: Record) -> tuple[int, str]:
    """Where a release goes in a changelog: newest first, so above the newest release, below
    `## [Unreleased]` when the file has one; in a changelog with no release yet, before the reference
    links at its end (or at the end)."""
    peers = [r for r in document.records if r.kind == "release" and r.source is not None]
    named = isinstance(record.fields, ReleaseFields) and bool(record.fields.version) or record.id == "REL-unreleased"
    if named and any(r.id == record.id for r in peers):
        raise WriteError(f"already has a release {record.id[4:]}; edit it in place", document.path)
    released = [r for r in peers if r.id != "REL-unreleased"]
    if released:
        assert released[0].source is not None
        return released[0].source.start_line - 1, ""
    if peers:
        assert peers[-1].source is not None
        return peers[-1].source.end_line, "\n"
    lines = document.lines
    number = len(lines)
    while number >= 1 and (lines.tag(number) == "blank" or _REFERENCE_LINK.match(lines.line(number))):
        number -= 1
    if number < len(lines) and any(_REFERENCE_LINK.match(lines.line(n)) for n in range(number + 1, len(lines) + 1)):
        return number, "\n"
    return len(lines.lines), ""


_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S")


def _insert_at(document: Document, record: Record) -> tuple[int, str]:
    """The 0-based line index to insert at, and text to put before the block."""
    peers = [r for r in document.records if r.kind == record.kind and r.source is not None]
    if not peers:
        return _first_of_kind(document, record), ""
    newest_first = is_newest_first(peers) or len({r.date for r in peers}) == 1 or len(peers) == 1
    for peer in peers:
        assert peer.source is not None
        if (newest_first and peer.date <= record.date) or (not newest_first and peer.date > record.date):
            return peer.source.start_line - 1, ""
    return _after(document, peers[-1])


def _after(document: Document, peer: Record) -> tuple[int, str]:
    assert peer.source is not None
    lines = document.lines
    number = peer.source.end_line + 1
    while number <= len(lines) and lines.tag(number) == "blank":
        number += 1
    if number <= len(lines) and lines.tag(number) == "rule":
        number += 1
        while number <= len(lines) and lines.tag(number) == "blank":
            number += 1
        return number - 1, ""
    return peer.source.end_line, "\n---\n\n"


def _first_of_kind(document: Document, record: Record) -> int:
    """Where the first record of its kind goes: under the dev log's Daily Log heading, else the end."""
    wanted = {"story": "daily log", "context": "current context"}.get(record.kind)
    if wanted:
        for number, (_, text) in sorted(document.lines.headings.items()):
            if text.lower().startswith(wanted):
                return number + 1 if record.kind == "story" else number - 1
    return len(document.lines.lines)


def _verify(before: list[Record], new_text: str, display: str, family: str) -> Record:
    """The new file must read as the old records, unchanged, plus one: the new record as read back."""
    after = read_text(new_text, display, family).records
    at = inserted_at(before, after)
    if at is None:
        raise WriteError(
            "the record would change how the file's other records read; nothing was written",
            display,
            hint="check the file with `whylog parse` for a record that is not closed",
        )
    return after[at]


def _check_as_given(written: Record, record: Record, display: str) -> None:
    """The new record must read back exactly as it was given."""
    expected = dataclasses.replace(record, id=written.id, source=None)
    if written.without_source() != expected:
        field_path = _first_difference(to_json(expected), to_json(written.without_source()))
        raise WriteError(
            f"{field_path} would not read back as given; nothing was written",
            display,
            hint="the template cannot hold this value (for example a label at the start of a line)",
        )


def _check_given_parts(written: Record, record: Record, display: str) -> None:
    """A postmortem in a folder's own template reads back with what the template adds (its headings as
    sections, an id from its file name): every part given must read back as given."""
    want, got = to_json(record), to_json(written)
    pairs = [("title", want["title"], got["title"])]
    if got["date"]:
        pairs.append(("date", want["date"][:10], got["date"][:10]))
    pairs += [
        (f"fields.{k}", v, got["fields"][k])
        for k, v in want["fields"].items()
        if k != "sections" and v not in ("", [], None)
    ]
    for field_path, value, read in pairs:
        if value != read:
            raise WriteError(
                f"{field_path} would not read back as given; nothing was written",
                display,
                hint="the folder's template cannot hold this value (for example a label at the start of a line)",
            )


def _first_difference(want: Any, got: Any, path: str = "") -> str:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want:
            if want[key] != got.get(key):
                return _first_difference(want[key], got.get(key), f"{path}.{key}" if path else key)
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for index, (a, b) in enumerate(zip(want, got, strict=False)):
            if a != b:
                return _first_difference(a, b, f"{path}[{index}]")
    return path or "record"
