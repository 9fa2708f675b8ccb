"""Renumbering: when two records share a numbered id (two branches each added INC-2026-004), give one
of them the next free number and rewrite the citations that meant it, in every record file at once.
Entries whose stamps collide (two clones each wrote one at 14:32) are separated the same way: the one that
moves gets the first free second of its minute (`14:32:01 UTC`, id `LOG-...-143201`) in its heading.

Which one moves: a number a remote already has stays, so when some of the records are on a
remote-tracking branch and some are not, the ones not yet pushed move (after `git pull`, your own).
Otherwise, after a merge (HEAD is a merge commit, or a merge is in progress), the record the merged
branch brought moves, that is, the one whose lines are not in the first parent's version of its file.
The citations rewritten are those in records on the moved record's side of the merge, since those were
written with it in mind. Without a merge to tell the sides apart, the later-dated record moves (file
order breaks ties) and only its own lines change; citations elsewhere are reported as left alone,
since they may mean either record.

An ADR or session file named by its number is renamed with it. Every changed file is read back before
anything is written, and all files change in one step (`repo.write_files_atomically`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whylog import git
from whylog.lint.rules.entry_order import natural_id
from whylog.markdown.document import Document
from whylog.markdown.readers import read_text
from whylog.markdown.readers.syslog import entry_id
from whylog.markdown.scan import decode
from whylog.model import Record
from whylog.model.errors import NotFound, WriteError
from whylog.repo import Config, load, write_files_atomically, write_lock
from whylog.writing.placement import free_stamp, ids_on_branches, numbered_id

NUMBERED = ("incident", "decision", "session")
_HEADING_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2})(?::\d{2})?")
_BOM = b"\xef\xbb\xbf"
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Renumbered:
    """One record given a new id: where it is now and the citations rewritten with it."""

    old: str
    new: str
    path: str
    line: int
    renamed_from: str | None
    citations: tuple[str, ...]  # path:line of each rewritten citation outside the record itself
    left: tuple[str, ...]  # path:line of citations of the old id not rewritten (they may mean the kept record)

    def describe(self, dry_run: bool = False) -> str:
        verb = "would renumber" if dry_run else "renumbered"
        text = f"{verb} {self.old} -> {self.new} at {self.path}:{self.line}"
        if self.renamed_from:
            text += f" (file renamed from {self.renamed_from})"
        if self.citations:
            text += f"; {len(self.citations)} citation(s) rewritten: {', '.join(self.citations)}"
        if self.left:
            text += f"; {len(self.left)} citation(s) of {self.old} left as they are: {', '.join(self.left)}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "path": self.path,
            "line": self.line,
            "renamed_from": self.renamed_from,
            "citations": list(self.citations),
            "left": list(self.left),
        }


def renumber(config: Config, ids: tuple[str, ...] | list[str] = (), *, dry_run: bool = False) -> list[Renumbered]:
    """Renumber one side of every shared numbered id (or only of `ids`); return what changed."""
    with write_lock(config.root):
        collection = load(config)
        groups = _shared_ids(collection.records, {i.upper() for i in ids})
        if not groups:
            if ids:
                raise NotFound(f"no two records share the id {', '.join(ids)}", str(config.root))
            return []
        plan = _Plan(config, collection.documents)
        done = [plan.move(record, old) for old, group in groups.items() for record in _movers(plan, group)]
        changes = plan.finish(done)
        if not dry_run:
            write_files_atomically(config.root, changes)
    return done


def _shared_ids(records: list[Record], wanted: set[str]) -> dict[str, list[Record]]:
    ids = {r.id for r in records}
    groups: dict[str, list[Record]] = {}
    for record in records:
        stamped = record.kind == "entry" and "T" in record.date
        if (record.kind in NUMBERED or stamped) and record.source is not None:
            groups.setdefault(natural_id(record, ids), []).append(record)
    return {old: group for old, group in groups.items() if len(group) > 1 and (not wanted or old.upper() in wanted)}


def _movers(plan: _Plan, group: list[Record]) -> list[Record]:
    """The records of a group that get new numbers: those no remote has yet when some remote has one of
    them (published numbers stay), else the merged branch's side, else all but the earliest."""
    unpublished = [r for r in group if not plan.published(r)]
    if unpublished and len(unpublished) < len(group):
        return unpublished
    if plan.sides is not None:
        theirs = [r for r in group if plan.on_their_side(r)]
        if theirs and len(theirs) < len(group):
            return theirs
    ordered = sorted(group, key=lambda r: (r.date, _where(r)))
    if ordered[0].kind == "entry":  # one minute: the entry the reader gave no -2 suffix keeps it
        ordered = sorted(group, key=lambda r: (r.date, r.id != natural_id(r, {r.id}), _where(r)))
    return ordered[1:]


def _where(record: Record) -> tuple[str, int]:
    assert record.source is not None
    return record.source.path, record.source.start_line


class _Plan:
    """The files as they will be: lines per file, renames, and which records belong to the merged side."""

    def __init__(self, config: Config, documents: list[Document]) -> None:
        self.config = config
        self.documents = {d.path: d for d in documents}
        self.lines: dict[str, list[str]] = {}
        self.renames: dict[str, str] = {}
        top = git.repo_root(config.root)
        self.sides = git.merge_sides(config.root) if top is not None else None
        self.remote_tips = git.branch_tips(config.root, remote_only=True) if top is not None else []
        self._shown: dict[tuple[str, str], str | None] = {}
        ids = {r.id for d in documents for r in d.records}
        self.taken: list[str] = [natural_id(r, ids) for d in documents for r in d.records]
        for kind in NUMBERED:
            self.taken += ids_on_branches(config, kind)

    def published(self, record: Record) -> bool:
        """Whether the record's lines are in its file at the tip of some remote-tracking branch."""
        return any(self._holds(tip, record) for tip in self.remote_tips)

    def on_their_side(self, record: Record) -> bool:
        """Whether the record's lines are missing from the first parent's version of its file."""
        assert self.sides is not None
        return not self._holds(self.sides[0], record)

    def _holds(self, commit: str, record: Record) -> bool:
        """Whether the record's lines, as they are in the work tree, are in its file at `commit`."""
        assert record.source is not None
        path = record.source.path
        if (commit, path) not in self._shown:
            data = git.show_file(self.config.root, commit, path)
            self._shown[commit, path] = None if data is None else data.decode("utf-8", "replace").replace("\r\n", "\n")
        text = self._shown[commit, path]
        original = self.documents[path].lines.lines
        block = "".join(original[record.source.start_line - 1 : record.source.end_line])
        return text is not None and block.replace("\r\n", "\n") in text

    def _file(self, path: str) -> list[str]:
        if path not in self.lines:
            self.lines[path] = self.documents[path].text.splitlines(keepends=True)
        return self.lines[path]

    def move(self, record: Record, old: str) -> Renumbered:
        assert record.source is not None
        path, start, end = record.source.path, record.source.start_line, record.source.end_line
        lines = self._file(path)
        if record.kind == "entry":
            stamp = free_stamp(record.date[:16] + ":00Z", set(self.taken))
            new, pattern = entry_id(stamp), _entry_citation(old, record.id)
            lines[start - 1] = _HEADING_TIME.sub(lambda m: f"{m.group(1)}:{stamp[17:19]}", lines[start - 1], count=1)
        else:
            new, pattern = numbered_id(record.kind, self.taken, record.date[:4] or old[4:8]), _citation(old)
        self.taken.append(new)
        for number in range(start - 1, end):
            lines[number] = _own(record.kind, old, new, lines[number], pattern)
        renamed = self._rename(path, old, new)
        lacking = self._side_of(record)
        citations: list[str] = []
        left: list[str] = []
        for document in self.documents.values():
            for other in document.records:
                if other.source is None or (other.source.path == path and other.source.start_line == start):
                    continue
                hits = self._cites(other, pattern)
                if not hits:
                    continue
                same_side = lacking is not None and not self._holds(lacking, other)
                if other.kind == record.kind and natural_id(other, set(self.taken)) == old and not same_side:
                    continue  # the record that keeps the id, or its line in a dev log's ADR index
                if same_side:
                    for number in hits:
                        text = self._file(other.source.path)[number - 1]
                        self._file(other.source.path)[number - 1] = _rewrite(text, pattern, new, renamed)
                    citations += [f"{other.source.path}:{n}" for n in hits]
                elif lacking is None:  # no merge to tell whose citation this is
                    left += [f"{other.source.path}:{n}" for n in hits]
        shown = self.renames.get(path, path)
        return Renumbered(old, new, shown, start, path if renamed else None, tuple(citations), tuple(left))

    def _side_of(self, record: Record) -> str | None:
        """The parent of the merge that lacks the record (so records it also lacks came with it); None
        without a merge, or when both parents have it."""
        if self.sides is None:
            return None
        return next((parent for parent in self.sides if not self._holds(parent, record)), None)

    def _cites(self, record: Record, pattern: re.Pattern[str]) -> list[int]:
        assert record.source is not None
        lines = self._file(record.source.path)
        span = range(record.source.start_line, record.source.end_line + 1)
        return [n for n in span if pattern.search(lines[n - 1])]

    def _rename(self, path: str, old: str, new: str) -> tuple[str, str] | None:
        """An ADR or session file named by the number moves with it: (old name, new name)."""
        family = self.documents[path].family
        if family not in ("adr", "session"):
            return None
        name = Path(path).name
        found = _DIGITS.search(name)
        if found is None or int(found.group()) != _number(old):
            return None
        digits = str(_number(new)).zfill(len(found.group()))
        renamed = name[: found.start()] + digits + name[found.end() :]
        self.renames[path] = str(Path(path).with_name(renamed).as_posix())
        return name, renamed

    def finish(self, done: list[Renumbered]) -> list[tuple[Path, bytes | None]]:
        """The files to write (and delete, for renames), each read back and checked first."""
        changes: list[tuple[Path, bytes | None]] = []
        wanted = {r.path: r for r in done}
        for path, lines in self.lines.items():
            document = self.documents[path]
            text = "".join(lines)
            if text == document.text and path not in self.renames:
                continue
            target = self.renames.get(path, path)
            data = (self.config.root / path).read_bytes()
            decode(data, path)  # ParseError for a file that was not read cleanly: nothing is written
            _check(document, text, target, wanted.get(target))
            changes.append((self.config.root / target, (_BOM if data.startswith(_BOM) else b"") + text.encode()))
            if target != path:
                if (self.config.root / target).exists():
                    raise WriteError(f"cannot rename to {target}: that file exists", path)
                changes.append((self.config.root / path, None))
        return changes


def _check(before: Document, text: str, target: str, moved: Renumbered | None) -> None:
    """Refuse the change unless the file reads back as the same records, the moved one with its new id."""
    after = read_text(decode(text.encode(), target), target, before.family)
    old_ids = [r.id for r in before.records]
    new_ids = [r.id for r in after.records]
    expected = len(old_ids)
    if len(new_ids) != expected or (moved is not None and moved.new not in new_ids):
        raise WriteError(
            f"renumbering would change what the file reads as ({expected} records before, {len(new_ids)} after)",
            before.path,
            hint="nothing was written; renumber this record by hand",
        )


def _number(record_id: str) -> int:
    found = re.search(r"(\d+)$", record_id)
    return int(found.group(1)) if found else -1


def _citation(old: str) -> re.Pattern[str]:
    """The ways a text names the id: INC-2026-004 as written; ADR-004, ADR-4 and SES-004 at any padding."""
    head, _, digits = old.rpartition("-")
    if old.startswith("INC-"):
        return re.compile(rf"(?<![\w-]){re.escape(old)}(?![\d])")
    return re.compile(rf"(?<![\w-]){re.escape(head)}-0*{int(digits)}(?!\d)")


def _entry_citation(old: str, shown: str) -> re.Pattern[str]:
    """An entry's id as cited: its stamp id, or the -2 form the reader gave it (not another entry's)."""
    names = "|".join(re.escape(name) for name in sorted({old, shown}, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{names})(?![\w]|-\d)")


def _rewrite(line: str, pattern: re.Pattern[str], new: str, renamed: tuple[str, str] | None) -> str:
    line = pattern.sub(new, line)
    return line.replace(renamed[0], renamed[1]) if renamed else line


def _own(kind: str, old: str, new: str, line: str, pattern: re.Pattern[str]) -> str:
    """A line of the moved record itself: its id, and a session's number in its banner."""
    line = pattern.sub(new, line)
    if kind == "session":
        banner = re.compile(rf"(?i)(session[ :#-]*)(0*{_number(old)})(?!\d)")
        line = banner.sub(lambda m: m.group(1) + str(_number(new)).zfill(len(m.group(2))), line)
    return line
