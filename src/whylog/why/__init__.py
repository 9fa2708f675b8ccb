"""`why`: the records that explain a file or some of its lines, their line ranges carried to HEAD by git.

A record's line ranges are anchors: each is tied to the commit that added the record's file reference to
its log (found with `git blame`), or to the commit its note names (`@1a2b3c4`, `commit 1a2b3c4`), and
mapped from there to the working tree with git's own diff and rename detection. Outside git, for a path
git does not know, and for a folder, records are matched by path alone, and the result says so.

    result = explain(config, "src/auth.py:42", conn=index)   # conn: optional cache (the index database)
    print("\n".join(format_text(result)))                    # or json.dumps(to_json(result))
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from whylog.git import GitError, Probe, path_names, probe
from whylog.index import anchors
from whylog.index.sqlite import records_naming
from whylog.model import Record, refs_of
from whylog.repo import Config, load
from whylog.why.history import GitView, by_history
from whylog.why.paths import Target, TargetError, covers, norm_path, read_target
from whylog.why.result import Match, RangeMatch, WhyResult, format_text, lines_text, newest_first, to_json

__all__ = [
    "Match",
    "RangeMatch",
    "Target",
    "TargetError",
    "WhyResult",
    "explain",
    "explain_indexed",
    "format_text",
    "read_target",
    "to_json",
]


def explain(
    config: Config, target: str, records: list[Record] | None = None, conn: sqlite3.Connection | None = None
) -> WhyResult:
    """The records whose files name `target` (PATH, PATH:LINE or PATH:START-END, relative to the repo
    root) and whose line ranges, followed from their anchor commits to now, hold the lines asked; newest
    first. `records` defaults to every record of the repo; `conn` (the index) caches the git work.
    Raises TargetError for a malformed target; git trouble falls back to path matching, with a note."""
    wanted = read_target(target, config.root)
    if records is None:
        records = load(config, skip_errors=True).records
    repo = probe(config.root)
    if wanted.path.endswith("/"):
        return _by_path(wanted, records, repo, "a folder: records are matched by path; lines are not followed")
    if repo is None:
        return _by_path(wanted, records, None, "not a git repository: records are matched by path only")
    if repo.head is None:
        return _by_path(wanted, records, repo, "no commits yet: records are matched by path only")
    ctx = _git_view(config, repo, repo.head, conn)
    try:
        result = by_history(ctx, wanted, records)
    except GitError as exc:
        return _by_path(wanted, records, repo, f"{exc.message}; records are matched by path only")
    if result is None:
        return _by_path(wanted, records, repo, f"git does not know {wanted.path}: records are matched by path only")
    return result


def explain_indexed(config: Config, target: str, conn: sqlite3.Connection) -> WhyResult:
    """`explain` over the records the index says name the target's path, under any name git history
    gave it (renames included): what `whylog why` and MCP's `why` run. `conn` is an index brought up to
    date with the record files."""
    wanted = read_target(target, config.root)
    names = {wanted.path}
    repo = probe(config.root)
    if not wanted.path.endswith("/") and repo is not None:
        ctx = _git_view(config, repo, repo.head or "", None)
        try:  # git names paths from the top of the work tree; records, from the config's folder
            names.update(ctx.local(name) for name in path_names(repo.root, ctx.git_path(wanted.path)))
        except GitError:
            pass  # explain() says why it fell back to path matching
    return explain(config, target, records_naming(conn, names), conn)


def _git_view(config: Config, repo: Probe, head: str, conn: sqlite3.Connection | None) -> GitView:
    prefix = config.root.resolve().relative_to(repo.root).as_posix()
    return GitView(config.root, repo, head, "" if prefix == "." else prefix + "/", _cache(conn))


def _cache(conn: sqlite3.Connection | None) -> sqlite3.Connection | None:
    if conn is None:
        return None
    try:
        anchors.ensure_schema(conn)
    except sqlite3.Error:
        return None
    return conn


def _by_path(wanted: Target, records: Sequence[Record], repo: Probe | None, note: str) -> WhyResult:
    """Every record naming the path (or a folder holding it), line ranges as recorded."""
    how = "path match (folder)" if wanted.path.endswith("/") else "path match (not in git)"
    matches = []
    for record in records:
        refs = [ref for ref in refs_of(record) if covers(norm_path(ref.path), wanted.path)]
        if refs:
            spans = [span for ref in refs for span in ref.lines]
            ranges = tuple(RangeMatch(s, s, "as-recorded", f"{lines_text(s)} as recorded") for s in spans)
            matches.append(Match(record, refs[0].path, None, None, "path-match", ranges, how))
    head = repo.head if repo else None
    return WhyResult(wanted, repo is not None, head, newest_first(matches), (note,))
