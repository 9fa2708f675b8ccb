"""What every door answers: the JSON of search, why, context, show, add, lint and status.

The CLI's `--format json`, the MCP tools and the web server's REST API return these same objects, so a
record reads the same through every door. Each call opens the index synced with the record files and
closes it after (a door may call from any thread, and a connection stays on the thread that opened it).
Any file that was not read cleanly is named under "warnings" (what the CLI prints on stderr).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from whylog.model.errors import WhylogError, WriteError
from whylog.repo import Config

if TYPE_CHECKING:
    import sqlite3

RESOURCE_LIMIT = 100  # the newest records an agent's resource list holds; any record reads by its id


class SearchResult(TypedDict):
    hits: list[dict[str, Any]]
    warnings: NotRequired[list[str]]


class WhyResult(TypedDict):
    target: str
    matches: list[dict[str, Any]]
    notes: list[str]
    warnings: NotRequired[list[str]]


class ShowResult(TypedDict):
    record: dict[str, Any]
    markdown: str
    warnings: NotRequired[list[str]]


class LintResult(TypedDict):
    diagnostics: list[dict[str, Any]]


def error_text(exc: WhylogError) -> str:
    """The one line a user error becomes (`path:line: message`), and its hint on a second line."""
    return str(exc) + (f"\n  hint: {exc.hint}" if exc.hint else "")


@contextmanager
def _index(config: Config) -> Iterator[sqlite3.Connection]:
    """The index brought up to date with the record files, closed after the call (each call may run on
    its own worker thread, and a connection stays on the thread that opened it)."""
    from whylog.index.sqlite import open_synced

    with closing(open_synced(config)) as conn:
        yield conn


def file_warnings(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """{"warnings": [...]} naming each record file that was not read cleanly (what the CLI prints on
    stderr: `path:line: message` and the hint), or {} when every file was."""
    from whylog.index.sqlite import warning_lines

    found = warning_lines(conn)
    return {"warnings": found} if found else {}


def search_hits(config: Config, query: str, limit: int) -> SearchResult:
    from whylog.index.query import parse_query
    from whylog.index.search import hit_json, run_search

    with _index(config) as conn:
        hits = [hit_json(hit) for hit in run_search(conn, parse_query(query), limit)]
        return {"hits": hits, **file_warnings(conn)}  # type: ignore[typeddict-item]


def explain_target(config: Config, target: str) -> WhyResult:
    from whylog.why import explain_indexed, to_json

    with _index(config) as conn:
        result = explain_indexed(config, target, conn)
        warnings = file_warnings(conn)
    return {"target": target, "matches": to_json(result), "notes": list(result.notes), **warnings}  # type: ignore[typeddict-item]


def context_brief(config: Config, budget: int, paths: list[str], query: str | None) -> dict[str, Any]:
    from whylog.lifecycle.context import brief_json, build_brief

    with _index(config) as conn:
        return {**brief_json(build_brief(config, budget, tuple(paths), query, conn=conn)), **file_warnings(conn)}


def show_record(config: Config, record_id: str) -> ShowResult:
    from whylog.index.sqlite import find_record, read_record
    from whylog.model import to_json
    from whylog.writing.listing import is_file_line, record_markdown, shown_at

    with _index(config) as conn:
        warnings = file_warnings(conn)
        if is_file_line(record_id) and find_record(conn, record_id) is None:
            envelope, markdown = shown_at(conn, config.root, record_id)
            return {"record": envelope, "markdown": markdown, **warnings}  # type: ignore[typeddict-item]
        record = read_record(conn, record_id)
    return {"record": to_json(record), "markdown": record_markdown(config.root, record), **warnings}  # type: ignore[typeddict-item]


def add_envelope(config: Config, kind: Any, envelope: Any, allow_secret: Any = False) -> dict[str, Any]:
    """add_record: the record's kind is its envelope's own (`kind`, when given too, must agree); every bad
    input is a WhylogError, so the agent gets the one error shape and never a validation dump."""
    from whylog.model import KINDS, to_json
    from whylog.writing.flags import record_from_input
    from whylog.writing.placement import add_record

    if not isinstance(envelope, dict):
        raise WriteError('record: expected the JSON envelope, an object like {"kind": "entry", "title": ...}')
    own = envelope.get("kind")
    for where, value in (("kind", kind), ("record.kind", own)):
        if value is not None and value not in KINDS:
            raise WriteError(f"{where}: expected one of {', '.join(KINDS)}, got {value!r}")
    if kind is None and own is None:
        raise WriteError(f"record.kind: missing; expected one of {', '.join(KINDS)}")
    if not isinstance(allow_secret, bool):
        raise WriteError(f"allow_secret: expected true or false, got {allow_secret!r}")
    chosen = str(kind if kind is not None else own)  # one of KINDS: checked above
    record = record_from_input(chosen, {}, envelope=envelope)
    written: dict[str, Any] = to_json(add_record(config, record, allow_secret=allow_secret))
    return written


def lint_report(config: Config, paths: list[str]) -> LintResult:
    from whylog.lint import lint_paths
    from whylog.lint.rules.report import finding_json

    root = config.root.resolve()
    for path in paths:
        if not (root / path).resolve().is_relative_to(root):
            raise WhylogError("is outside the repo; name a record file inside it", path)
    found = lint_paths(config, [config.root / path for path in paths])
    return {"diagnostics": [finding_json(item) for item in found]}


def status_report(config: Config) -> dict[str, Any]:
    from whylog.lifecycle.render import status_json
    from whylog.lifecycle.status import status as read_status

    with _index(config) as conn:
        warnings = file_warnings(conn)
    return {**status_json(read_status(config)), **warnings}


def newest_records(config: Config, limit: int = RESOURCE_LIMIT) -> list[dict[str, Any]]:
    """The newest records' envelopes, for the resource list."""
    from whylog.index.query import parse_query
    from whylog.index.search import run_search

    with _index(config) as conn:
        return [hit.envelope for hit in run_search(conn, parse_query(""), limit)]


def read_markdown(config: Config, record_id: str) -> str:
    return show_record(config, record_id)["markdown"]
