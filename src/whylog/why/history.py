"""Line anchors followed through git: blame for the anchor, names for renames, diffs to map ranges.

With an index connection, blamed anchors, followed names and mapped ranges are cached under keys holding
HEAD and stamps of the files involved, so asking again with nothing changed runs no git at all.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from whylog.git import GitError, Mapped, Probe, blame_commits, map_ranges, path_names
from whylog.index import anchors
from whylog.model import FileRef, Record, Source, refs_of
from whylog.why.paths import Target, norm_path
from whylog.why.result import Match, RangeMatch, WhyResult, lines_text, newest_first, span_text

_EXPLICIT = re.compile(r"(?:@|\bcommit\s+)([0-9a-fA-F]{7,64})\b")
_ORDER = ("exact", "shifted", "partly-rewritten", "rewritten", "unknown", "deleted")
_T = TypeVar("_T")
# a record, one of its file references, how its path matched, its anchor, and each range mapped
Part = tuple[Record, FileRef, str, str | None, list[Mapped | None]]


@dataclass(slots=True)
class GitView:
    """What `why` reads of git for one call: the repo, its HEAD, the repo's folder within it, the index."""

    config_root: Path
    repo: Probe
    head: str
    prefix: str
    conn: sqlite3.Connection | None
    logs: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stored: bool = False

    def git_path(self, path: str) -> str:
        return self.prefix + path

    def local(self, git_path: str) -> str:
        return git_path[len(self.prefix) :] if git_path.startswith(self.prefix) else git_path


def by_history(ctx: GitView, wanted: Target, records: Sequence[Record]) -> WhyResult | None:
    """The records naming `wanted` (or a name git says it had), their ranges mapped from their anchors;
    None when git does not know the path."""
    target = ctx.git_path(wanted.path)
    stamp = f"{ctx.repo.index}|{_file_stamp(ctx.repo.root / target)}"
    names = _names(ctx, target, stamp)
    if not names:
        return None
    local = {ctx.local(n) for n in names}
    hits = [(r, ref, how) for r in records for ref in refs_of(r) if (how := _path_how(ref.path, wanted.path, local))]
    found = _anchors(ctx, [(r, ref) for r, ref, _ in hits])
    mapped = _mapped(ctx, target, stamp, names, [(ref, a) for (_, ref, _), a in zip(hits, found, strict=True)])
    parts: dict[int, list[Part]] = {}
    for index, ((record, ref, how), anchor) in enumerate(zip(hits, found, strict=True)):
        results = [mapped.get((index, j)) for j in range(len(ref.lines))]
        parts.setdefault(id(record), []).append((record, ref, how, anchor, results))
    built = [_match(ctx, wanted, group) for group in parts.values()]
    if ctx.stored:
        _store(ctx, anchors.prune, ctx.head)
    matches = [m for m in built if m is not None]
    return WhyResult(wanted, True, ctx.head, newest_first(matches), tuple(ctx.notes))


def _path_how(recorded: str, wanted: str, names: set[str]) -> str:
    path = norm_path(recorded)
    if path == wanted:
        return "exact path"
    if path in names:
        return f"renamed from {path}"
    if path.endswith("/") and any(n.startswith(path) for n in (wanted, *names)):
        return f"under {path}"
    return ""


# --- anchors -----------------------------------------------------------------------------------------


def _anchors(ctx: GitView, hits: Sequence[tuple[Record, FileRef]]) -> list[str | None]:
    """Each file reference's anchor commit: the one its note names, else the one that added the log
    line holding it; None when it has no line ranges or is not committed yet (anchored in the tree)."""
    plan: list[str | tuple[str, int] | None] = []
    asked: dict[str, dict[int, tuple[int, int]]] = {}
    for record, ref in hits:
        explicit = _EXPLICIT.search(ref.note)
        if not ref.lines or ref.path.strip().endswith("/") or explicit or record.source is None:
            plan.append(explicit.group(1).lower() if explicit and ref.lines else None)
            continue
        log = _log_path(ctx, record.source.path)
        line = _ref_line(ctx, log, record.source, ref)
        plan.append((log, line))
        asked.setdefault(log, {})[line] = (record.source.start_line, record.source.end_line)
    blamed = {log: _blame(ctx, log, lines) for log, lines in asked.items()}
    return [blamed[p[0]].get(p[1]) or None if isinstance(p, tuple) else p for p in plan]


def _log_path(ctx: GitView, path: str) -> str:
    if Path(path).is_absolute():
        try:
            return Path(path).resolve().relative_to(ctx.config_root.resolve()).as_posix()
        except ValueError:
            return path
    return path


def _log(ctx: GitView, path: str) -> tuple[list[str], str]:
    """A log file's lines and content stamp, read once per call."""
    if path not in ctx.logs:
        try:
            data = (ctx.config_root / path).read_bytes()
        except OSError:
            data = b""
        ctx.logs[path] = (data.decode("utf-8", "replace").splitlines(), _digest(data))
    return ctx.logs[path]


def _ref_line(ctx: GitView, log: str, source: Source, ref: FileRef) -> int:
    """The log line that names `ref` (its path, and its first range when the path is named twice)."""
    lines = _log(ctx, log)[0]
    numbers = range(source.start_line, min(source.end_line, len(lines)) + 1)
    holding = [n for n in numbers if ref.path in lines[n - 1]]
    first = str(ref.lines[0][0]) if ref.lines else ""
    best = next((n for n in holding if first in lines[n - 1].split(ref.path, 1)[1]), None)
    return best or (holding[0] if holding else source.start_line)


def _blame(ctx: GitView, log: str, lines: dict[int, tuple[int, int]]) -> dict[int, str]:
    """The commit of each line asked, blamed with its whole record around it (git finds a block of lines
    moved from another log, as archiving does, where it would not find one line)."""
    stamp, git_log = _log(ctx, log)[1], ctx.git_path(log)
    empty: dict[int, str] = {}
    found = _read(ctx, anchors.get_blame, empty, git_log, stamp, ctx.head, sorted(lines))
    missing = sorted(set(lines) - set(found))
    if missing:
        commits = blame_commits(ctx.repo.root, git_log, [lines[n] for n in missing])
        fresh = {n: commits.get(n, "") for n in missing}
        found.update(fresh)
        _store(ctx, anchors.put_blame, git_log, stamp, ctx.head, fresh)
    return found


def _names(ctx: GitView, target: str, stamp: str) -> tuple[str, ...]:
    cached = _read(ctx, anchors.get_names, None, target, ctx.head, stamp)
    if cached is not None:
        return cached
    names = path_names(ctx.repo.root, target)
    _store(ctx, anchors.put_names, target, ctx.head, stamp, names)
    return names


# --- mapping -----------------------------------------------------------------------------------------


def _mapped(
    ctx: GitView, target: str, stamp: str, names: Sequence[str], refs: Sequence[tuple[FileRef, str | None]]
) -> dict[tuple[int, int], Mapped]:
    """Each anchored range (reference index, range index) mapped to now: from the cache, else one
    `map_ranges` call per anchor commit for what the cache lacks."""
    slots: dict[anchors.MapKey, list[tuple[int, int]]] = {}
    for i, (ref, anchor) in enumerate(refs):
        if anchor is None:
            continue
        path = ctx.git_path(norm_path(ref.path))
        path_stamp = stamp if path == target else f"{stamp}|{_file_stamp(ctx.repo.root / path)}"
        for j, (start, end) in enumerate(ref.lines):
            slots.setdefault((target, path, start, end, anchor, ctx.head, path_stamp), []).append((i, j))
    none: dict[anchors.MapKey, Mapped] = {}
    known = _read(ctx, anchors.get, none, list(slots))
    known.update(_map_missing(ctx, names, [key for key in slots if key not in known]))
    return {slot: known[key] for key, places in slots.items() for slot in places}


def _map_missing(ctx: GitView, names: Sequence[str], keys: Sequence[anchors.MapKey]) -> dict[anchors.MapKey, Mapped]:
    """One `map_ranges` call per anchor; the results cached in one transaction. An anchor git does not
    know (a mistyped commit in a note) leaves its ranges as recorded, with a note, and is not cached."""
    by_anchor: dict[str, list[anchors.MapKey]] = {}
    for key in keys:
        by_anchor.setdefault(key[4], []).append(key)
    failed: dict[anchors.MapKey, Mapped] = {}
    fresh: dict[anchors.MapKey, Mapped] = {}
    for anchor, group in by_anchor.items():
        try:
            results = map_ranges(ctx.repo.root, anchor, [(k[1], k[2], k[3]) for k in group], also=names)
        except GitError:
            ctx.notes.append(f"{anchor} is not a commit git knows: its line ranges are shown as recorded")
            failed.update({k: Mapped(k[1], None, k[2], k[3], "unknown") for k in group})
            continue
        fresh.update(zip(group, results, strict=True))
    _store(ctx, anchors.put, list(fresh.items()))
    return {**failed, **fresh}


def _match(ctx: GitView, wanted: Target, parts: Sequence[Part]) -> Match | None:
    """One record's match from its references to the target, or None when no range holds the lines."""
    files = [part for part in parts if not part[1].path.strip().endswith("/")]
    parts = files or parts  # a record naming the file itself is judged by that, not by a folder it names
    ranges: list[RangeMatch] = []
    hows: list[str] = []
    path_only, renamed = False, None
    for _, ref, how, anchor, results in parts:
        if not ref.lines or ref.path.strip().endswith("/"):
            path_only = True
            hows.append(f"{how}; path only (no line ranges)")
            continue
        moved = next((m.renamed_from for m in results if m is not None and m.renamed_from), None)
        renamed = renamed or (ctx.local(moved) if moved else None)
        kept = [_range(ctx, wanted, rec, m, anchor) for rec, m in zip(ref.lines, results, strict=True)]
        found = [r for r in kept if r is not None]
        if found:
            hows += [f"renamed from {ctx.local(moved)}" if moved else how, *(r.how for r in found)]
            ranges += found
    if not ranges and not path_only:
        return None
    status = min((r.status for r in ranges), key=_ORDER.index) if ranges else "path-only"
    how = "; ".join(dict.fromkeys(hows))
    record, ref, _, anchor, _ = parts[0]
    return Match(record, ref.path, renamed, anchor, status, tuple(ranges), how)


def _range(
    ctx: GitView, wanted: Target, recorded: tuple[int, int], mapped: Mapped | None, anchor: str | None
) -> RangeMatch | None:
    """A recorded range where it is now, or None when it is elsewhere or does not hold the lines asked."""
    if mapped is None or anchor is None:
        span: tuple[int, int] | None = recorded
        status, how = "exact", f"{lines_text(recorded)} as recorded (record not committed yet)"
    else:
        if mapped.path != ctx.git_path(wanted.path) and mapped.status not in ("deleted", "unknown"):
            return None
        span = (mapped.start, mapped.end) if mapped.start is not None and mapped.end is not None else None
        span = recorded if mapped.status == "unknown" else span
        status, how = mapped.status, _how(ctx, recorded, mapped, span, anchor)
    if wanted.lines and (span is None or span[1] < wanted.lines[0] or span[0] > wanted.lines[1]):
        return None
    return RangeMatch(recorded, span, status, how)


def _how(ctx: GitView, recorded: tuple[int, int], mapped: Mapped, span: tuple[int, int] | None, anchor: str) -> str:
    short, lines = anchor[:7], lines_text(recorded)
    now = f", now {span_text(span)}" if span else ""
    if mapped.status == "exact":
        return f"{lines} unchanged"
    if mapped.status == "shifted":
        return f"{lines.split()[0]} mapped from {span_text(recorded)} to {span_text(span)}"
    if mapped.status == "partly-rewritten":
        return f"{lines} partly rewritten{now}"
    if mapped.status == "rewritten":
        return f"{lines} rewritten since {short}{now}"
    if mapped.status == "deleted":
        return f"{lines} deleted since {short}"
    return f"{lines} as recorded ({ctx.local(mapped.path)} not in git at {short})"


# --- cache and stamps --------------------------------------------------------------------------------


def _read(ctx: GitView, read: Callable[..., _T], default: _T, *args: Any) -> _T:
    if ctx.conn is None:
        return default
    try:
        return read(ctx.conn, *args)
    except sqlite3.Error:
        return default


def _store(ctx: GitView, write: Callable[..., None], *args: Any) -> None:
    """Write to the cache; a cache that cannot be written (locked, read-only) only costs time later."""
    if ctx.conn is None:
        return
    try:
        write(ctx.conn, *args)
    except sqlite3.Error as exc:
        ctx.notes.append(f"why cache not written: {exc}")
        return
    ctx.stored = True


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _file_stamp(path: Path) -> str:
    try:
        return _digest(path.read_bytes())
    except OSError:
        return "-"
