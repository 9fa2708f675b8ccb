"""Capture: the files, line ranges, title and type of a change, read from git for `add --from-git`.

The change is the staged one (index against HEAD, or against the empty tree before the first commit), one
commit (against its first parent, or the empty tree for a root commit) or a range `A..B`. Line ranges are
those of the change in the new version, from `git diff -U0` hunks, with nearby hunks merged so a list
item stays readable; a pure deletion inside a file gives the line it was at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from whylog import git
from whylog.model import FileRef
from whylog.model.errors import WhylogError

GAP = 5  # hunks this many lines apart or closer become one range
FOLDER_FILES = 3  # a new folder with at least this many new files is listed as the folder
_DOCS = (".md", ".rst", ".txt")
_CONFIG = (".toml", ".yaml", ".yml", ".json", ".ini", ".cfg")


@dataclass(frozen=True, slots=True)
class Capture:
    """What git says about a change: its files, the commit subject (None for a staged change), the
    suggested entry type and tags, and when it was committed (the committer date of the commit, or of a
    range's last commit, to the minute in UTC; None for a staged change, which happens now)."""

    files: tuple[FileRef, ...]
    title: str | None
    type: str
    tags: tuple[str, ...] = ()
    date: str | None = None


def capture(root: Path, rev: str | None = None) -> Capture:
    """The change staged in `root` (rev None), the commit `rev`, or the range `A..B`."""
    date: str | None = None
    if rev is None:
        changes, base, subject = git.staged_changes(root), git.head_commit(root) or git.empty_tree(root), None
        if not changes:
            raise WhylogError(
                "nothing is staged", str(root), hint="`git add` the change first, or name a commit: --from-git HEAD"
            )
    elif ".." in rev:
        first, sep, last = rev.partition("..")
        if sep and last.startswith("."):
            raise WhylogError(f"{rev!r}: symmetric ranges (A...B) are not supported; use A..B", str(root))
        old, new = git.read_commit(root, first or "HEAD"), git.read_commit(root, last or "HEAD")
        changes, base, subject = git.changes_between(root, old.sha, new.sha), old.sha, new.subject
        date = new.committed
    else:
        commit = git.read_commit(root, rev)
        base = commit.parent or git.empty_tree(root)
        changes, subject, date = git.changes_between(root, base, commit.sha), commit.subject, commit.committed
    files = file_refs(root, base, changes)
    kind, tags = suggest_type([c.new for c in changes], subject)
    return Capture(files, subject, kind, tags, date[:16] + ":00Z" if date else None)


def file_refs(root: Path, base: str, changes: Sequence[Any]) -> tuple[FileRef, ...]:
    """One FileRef per changed file, in git's (path) order; new folders of many new files as one."""
    added = [c.new for c in changes if c.status[0] == "A"]
    folders = _new_folders(root, base, added)
    out: list[FileRef] = []
    seen: set[str] = set()
    for change in changes:
        folder = folders.get(change.new) if change.status[0] == "A" else None
        if folder is not None:
            if folder not in seen:
                seen.add(folder)
                count = sum(1 for f in folders.values() if f == folder)
                out.append(FileRef(folder + "/", (), "new", f"{count} files"))
            continue
        out.append(file_ref(change))
    return tuple(out)


def file_ref(change: Any) -> FileRef:
    """The FileRef of one `git.Change`-like value (status, old, new, hunks, binary)."""
    status = change.status[0]
    note = "binary" if change.binary else ""
    if status == "A":
        return FileRef(change.new, (), "new", note)
    if status == "D":
        return FileRef(change.old, (), "deleted", note)
    if status == "T":
        return FileRef(change.new, (), "modified", "type changed")
    if status in "RC" and change.old != change.new:
        verb = "renamed" if status == "R" else "copied"
        note = ", ".join(n for n in (note, f"{verb} from {change.old}") if n)
    lines = () if change.binary else line_ranges(change.hunks)
    return FileRef(change.new, lines, "modified", note)


def line_ranges(hunks: Iterable[git.Hunk], gap: int = GAP) -> tuple[tuple[int, int], ...]:
    """The lines `-U0` hunks (old start, old count, new start, new count) changed in the new version;
    a deletion counts as the line before it (line 1 at the top); ranges at most `gap` lines apart merge."""
    spans = ((new, new + count - 1) if count else (max(new, 1), max(new, 1)) for _, _, new, count in hunks)
    return tuple(git.merge_spans(spans, gap))


def _new_folders(root: Path, base: str, added: Sequence[str]) -> dict[str, str]:
    """New file -> the outermost folder holding it that `base` did not have, for folders holding at
    least FOLDER_FILES new files."""
    parents = {path: [p.as_posix() for p in reversed(PurePosixPath(path).parents) if p.parts] for path in added}
    candidates = sorted({folder for folders in parents.values() for folder in folders})
    existing = git.existing_folders(root, base, candidates)
    outermost = {path: next((f for f in folders if f not in existing), None) for path, folders in parents.items()}
    counts: dict[str, int] = {}
    for folder in outermost.values():
        if folder is not None:
            counts[folder] = counts.get(folder, 0) + 1
    return {p: f for p, f in outermost.items() if f is not None and counts[f] >= FOLDER_FILES}


def suggest_type(paths: Sequence[str], subject: str | None) -> tuple[str, tuple[str, ...]]:
    """The entry type (and tags) a change suggests: a revert is a Bug Fix tagged ROLLBACK; only docs is
    Documentation; only config files is Configuration; anything else is an Implementation."""
    if subject is not None and subject.startswith('Revert "'):
        return "Bug Fix", ("ROLLBACK",)
    if paths and all(is_docs(p) for p in paths):
        return "Documentation", ()
    if paths and all(is_config(p) for p in paths):
        return "Configuration", ()
    return "Implementation", ()


def is_docs(path: str) -> bool:
    return path.lower().endswith(_DOCS) or path.startswith("docs/")


def is_config(path: str) -> bool:
    name = PurePosixPath(path).name
    return (
        name.lower().endswith(_CONFIG)
        or name.startswith(".env")
        or name == "Dockerfile"
        or name.startswith("docker-compose")
    )


def envelope(found: Capture, kind: str) -> dict[str, Any]:
    """The record envelope git gives, for the caller's JSON and options to override."""
    from whylog.model import to_json

    data: dict[str, Any] = {"kind": kind, "files": [to_json(f) for f in found.files], "fields": {}}
    if found.title:
        data["title"] = found.title
    if found.date:
        data["date"] = found.date
    if found.tags:
        data["tags"] = list(found.tags)
    if kind == "entry":
        data["fields"]["type"] = found.type
    return data
