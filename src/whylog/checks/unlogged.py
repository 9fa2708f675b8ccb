"""Unlogged changes: commits that touched code but that no record's files cover.

"Log immediately after completing the change", enforced in CI: the commits since a revision (by default
since the commit that added the newest entry of the log) that changed code, where no record names any of
the files they changed. A record covers a file when one of its files names the path, a folder holding it,
or an earlier name of it (a rename in that commit, or one `git log --follow` knows). Record files, docs
and the other paths in `DEFAULT_IGNORE` are not code: a commit touching only those needs no entry.
"""

from __future__ import annotations

import fnmatch
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from whylog import git
from whylog.model import Diagnostic, Record, Source
from whylog.repo import CONFIG_NAME, Config, load

CODE = "FIL011"
NAME = "unlogged-change"
# Not code: prose, licences, editor and git metadata, whylog's own config. Record files are added per repo.
DEFAULT_IGNORE = (
    "*.md",
    "*.markdown",
    "*.rst",
    "*.adoc",
    "*.txt",
    "docs/*",
    "doc/*",
    "LICENSE*",
    "COPYING*",
    "AUTHORS*",
    ".gitignore",
    ".gitattributes",
    ".editorconfig",
    ".mailmap",
    CONFIG_NAME,
)


@dataclass(frozen=True, slots=True)
class UnloggedCommit:
    """A commit no record covers: its sha, its subject and the code files it changed."""

    sha: str
    subject: str
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Named:
    """What the records tell about coverage: every path they name, and the line where the log's newest
    entry starts (None when the log has no entry)."""

    paths: frozenset[str]
    newest_entry_line: int | None


def named_by(config: Config, records: Sequence[Record]) -> Named:
    log = config.write.get("entry", "")
    entries = [r for r in records if r.kind == "entry" and r.source is not None and r.source.path == log]
    newest = max(entries, key=lambda r: r.date) if entries else None
    line = newest.source.start_line if newest is not None and newest.source is not None else None
    return Named(frozenset(_clean(ref.path) for record in records for ref in record.files) - {""}, line)


def named_in_index(config: Config, conn: sqlite3.Connection | None = None) -> Named:
    """The same, from the index (synced first, unless the caller's `conn` is): no record is parsed unless
    its file changed."""
    from whylog.index.sqlite import named_paths, newest_entry_line, open_synced

    own = conn is None
    conn = conn or open_synced(config)
    try:
        paths = frozenset(_clean(path) for path in named_paths(conn)) - {""}
        return Named(paths, newest_entry_line(conn, config.write.get("entry", "")))
    finally:
        if own:
            conn.close()


def find_unlogged(
    config: Config,
    since: str | None = None,
    ignore: Sequence[str] = DEFAULT_IGNORE,
    named: Named | None = None,
) -> list[UnloggedCommit]:
    """The commits since `since` (default: since the newest entry was committed; every commit when the
    log never was) that changed code none of the repo's records cover, newest first. Outside git: none.
    `named` is what the records name, when the caller has it already."""
    if git.repo_root(config.root) is None:
        return []
    if named is None:
        named = named_by(config, load(config, skip_errors=True).records)
    start = since if since is not None else newest_entry_commit(config, named)
    coverage = _Coverage(config, named.paths)
    out: list[UnloggedCommit] = []
    for commit in git.commits_since(config.root, start):
        code = tuple(f for f in commit.files if not _ignored(config, f, ignore))
        if code and not any(coverage.covers(f, commit.renamed_from.get(f)) for f in code):
            out.append(UnloggedCommit(commit.sha, commit.subject, code))
    return out


def find_uncovered(
    config: Config,
    paths: Sequence[str],
    ignore: Sequence[str] = DEFAULT_IGNORE,
    named: Named | None = None,
) -> list[str]:
    """The code files among `paths` (repo-relative; say, uncommitted changes) that no record covers, in
    their order; the same coverage as `find_unlogged`."""
    code = [path for path in paths if not _ignored(config, path, ignore)]
    if not code:
        return []
    if named is None:
        named = named_by(config, load(config, skip_errors=True).records)
    coverage = _Coverage(config, named.paths)
    return [path for path in code if not coverage.covers(path, None)]


def newest_entry_commit(config: Config, named: Named) -> str | None:
    """The commit that added the log's newest entry (by date); else the log's last commit; else None."""
    log = config.write.get("entry", "")
    line = named.newest_entry_line
    if line is not None:
        found = git.blame_commits(config.root, log, [(line, line)]).get(line)
        if found:
            return found
    last = git.last_change(config.root, [log]) if log else None
    return last[0] if last else None


def _ignored(config: Config, path: str, ignore: Sequence[str]) -> bool:
    patterns = [*ignore, *config.sources, *config.write.values()]
    return any(fnmatch.fnmatchcase(path, p) or (p.endswith("/") and path.startswith(p)) for p in patterns)


def _clean(path: str) -> str:
    path = path.strip().strip("`").replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/")


class _Coverage:
    """The paths the records name, and the question whether they cover a file (asking git for its earlier
    names only when the file itself is not covered, once per file)."""

    def __init__(self, config: Config, paths: frozenset[str]) -> None:
        self.root = config.root
        self.paths = paths
        self.names: dict[str, tuple[str, ...]] = {}

    def _names(self, path: str) -> bool:
        parts = path.split("/")
        return any("/".join(parts[:n]) in self.paths for n in range(1, len(parts) + 1))

    def covers(self, path: str, renamed_from: str | None) -> bool:
        if self._names(path) or (renamed_from is not None and self._names(renamed_from)):
            return True
        if path not in self.names:
            self.names[path] = git.earlier_names(self.root, path)
        return any(self._names(name) for name in self.names[path])


def lint_unlogged(
    config: Config,
    since: str | None = None,
    ignore: Sequence[str] = DEFAULT_IGNORE,
    conn: sqlite3.Connection | None = None,
) -> Iterator[Diagnostic]:
    """FIL011 unlogged-change: each commit that changed code no record covers, at the log's line 1 (`conn`:
    lint's synced index, when it has one open)."""
    log = config.write.get("entry", "SYSTEM_LOG.md")
    if git.repo_root(config.root) is None:
        return
    for commit in find_unlogged(config, since, ignore, named_in_index(config, conn)):
        shown = ", ".join(commit.files[:3]) + (f" and {len(commit.files) - 3} more" if len(commit.files) > 3 else "")
        yield Diagnostic(
            CODE,
            f"commit {commit.sha[:7]} {commit.subject!r} changed {shown}, which no entry covers",
            Source(log, 1, 1),
            "add an entry for it: `whylog add entry --from-git " + commit.sha[:12] + "`",
            "warning",
        )
