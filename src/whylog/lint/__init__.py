"""Lint: run the rule table over a repo's record files; per-rule config, inline suppression, --fix.

Configuration, in whylog.toml:

    [lint]
    select = ["ENT", "FIL003"]          # codes or prefixes to run (default: all)
    ignore = ["ENT013"]                 # codes or prefixes to skip
    severity = { ENT007 = "error" }     # per-rule severity

Suppression in a record file: `<!-- whylog: disable=ENT004,ENT013 -->` on the line before a record's
heading (or on that line) silences those codes for the record, before any other line for that line;
`<!-- whylog: disable-file=FIL003 -->` anywhere silences them for the whole file.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from whylog.lint.rules.context import Context
from whylog.lint.rules.entry_order import natural_id
from whylog.lint.rules.registry import RULES, Rule
from whylog.markdown.document import Document
from whylog.model import Diagnostic, FeatureFields, Record, Source

if TYPE_CHECKING:
    from whylog.index.lint_store import RecordRow
    from whylog.model import Kind
from whylog.model.errors import ParseError, WhylogError
from whylog.repo import CONFIG_NAME, Config, load, resolve_links, write_lock, write_record_bytes
from whylog.repo.lint_config import LintConfig, read_lint_config

_DISABLE = re.compile(r"<!--\s*whylog:\s*(disable|disable-file)\s*=\s*([A-Z0-9, ]+?)\s*-->")
LEVELS = {"error": 3, "warning": 2, "info": 1}


# Rules that read more than their own file (`Rule.reads`) run on each lint over the few records the index
# names as candidates; every other rule's findings are kept per file under its content hash, those that
# read the date for the day they were found on.
CROSS_FILE = frozenset(code for code, rule in RULES.items() if rule.reads == "repo")
DAILY_KINDS = frozenset(rule.kind for rule in RULES.values() if rule.reads == "day")
CACHE_VERSION = "1"
RECHECK_MIN = 8  # files without kept findings that are read again through the index's parse workers


def lint_paths(
    config: Config, paths: Iterable[Path] = (), now: datetime | None = None, *, for_commit: bool = False
) -> list[Diagnostic]:
    """Every finding over the repo's record files, or in `paths` only (checked against the whole repo).
    `for_commit` (the pre-commit hook): findings from this clone's own state (its verify runs), which the
    commit does not carry, are warnings at most. Raises WhylogError for a path that does not exist: a
    mistyped name must not pass as clean.

    Record files are checked from the synced index: a file's own findings are kept under its content
    hash, and the cross-file rules look only at the records the index names as candidates; a path that is
    no record file is read and checked against the whole repo, parsed."""
    from whylog.index import lint_store
    from whylog.index.sqlite import open_synced, sync

    paths = list(paths)
    for path in paths:
        if not path.exists():
            raise WhylogError("no such file", _relative(config.root, path))
    settings = read_lint_config(config.root, RULES)
    now = now or datetime.now(UTC)
    key = _cache_key(config)
    checker = functools.partial(_kept_findings, config, key, now)
    conn = open_synced(config, checker)
    try:
        files = lint_store.record_files(conn)
        unchecked = _unchecked(conn, files, key, now)
        if len(unchecked) >= RECHECK_MIN:  # the index read them without lint: read them again, in its workers
            sync(conn, config, checker, again=unchecked)
            files = lint_store.record_files(conn)
        rels = [_relative(config.root, path) for path in paths]
        if all(rel in files for rel in rels):
            targets = sorted(set(rels)) or sorted(files)
            found = _lint_indexed(conn, config, targets, files, now, settings, bool(rels), key)
        else:
            found = _lint_parsed(config, paths, now, settings)
    finally:
        conn.close()
    enabled = {code for code in RULES if settings.enabled(code)}
    out = [_with_severity(d, settings) for d in found if d.code in enabled]
    if for_commit:
        out = [_at_most_warning(d) if RULES[d.code].local else d for d in out]
    return sorted(out, key=lambda d: (d.source.path, d.source.start_line, d.code))


def _lint_parsed(config: Config, paths: list[Path], now: datetime, settings: LintConfig) -> list[Diagnostic]:
    """Every finding, with every record file parsed (for paths that are not record files)."""
    documents, records, found = _load(config, paths)
    context = _context(config, records, now)
    context.settings = settings
    for document in documents:
        context.document = document
        found += _suppressed(document, list(_check(document, context)))
    shown = {d.path: _suppression(d) for d in documents}
    return found + _repo_findings(context, settings, shown, bool(paths))


def _repo_findings(
    context: Context, settings: LintConfig, shown: dict[str, Suppression], only_these: bool
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in RULES.values():
        if rule.kind == "repo" and settings.enabled(rule.code):
            found += [d for d in rule.check(None, context) if _shown(d, shown, only_these)]
    return found


def _lint_indexed(
    conn: sqlite3.Connection,
    config: Config,
    targets: list[str],
    files: dict[str, tuple[str, str]],
    now: datetime,
    settings: LintConfig,
    only_these: bool,
    key: str,
) -> list[Diagnostic]:
    from whylog.index import lint_store

    day = now.date().isoformat()
    kept = lint_store.cached(conn, targets)
    found: list[Diagnostic] = []
    shown: dict[str, Suppression] = {}
    fresh: list[tuple[str, str, str, str, str]] = []
    for path in targets:
        family, digest = files[path]
        old = kept.get(path)
        if old is not None and old.holds(digest, key, day):
            entry = json.loads(old.findings)
        else:
            entry = _check_file(config, path, family, now)
            fresh.append((path, digest, key, day if entry["daily"] else "", json.dumps(entry)))
        found += [_diagnostic(item) for item in entry["findings"]]
        shown[path] = (set(entry["file"]), {int(k): set(v) for k, v in entry["lines"].items()})
    lint_store.store(conn, fresh)
    wanted = set(targets)
    cross = _cross_file(conn, config, files, now, key)
    found += [d for d in cross if d.source.path in wanted and _shown(d, shown, True)]
    return found + _repo_findings(_repo_context(conn, config, now), settings, shown, only_these)


def _unchecked(conn: sqlite3.Connection, files: dict[str, tuple[str, str]], key: str, now: datetime) -> set[str]:
    """The record files whose own findings are not kept for their content, this code and config, today."""
    from whylog.index import lint_store

    kept, day = lint_store.cached(conn), now.date().isoformat()
    return {
        path
        for path, (_, digest) in files.items()
        if (old := kept.get(path)) is None or not old.holds(digest, key, day)
    }


def _cache_key(config: Config) -> str:
    """What a file's own findings depend on besides its text: whylog's code and the repo's whylog.toml."""
    from whylog.index.sqlite import SCHEMA_VERSION

    digest = hashlib.blake2b(f"{CACHE_VERSION}:{SCHEMA_VERSION}".encode(), digest_size=16)
    package = Path(__file__).resolve().parents[1]  # all of whylog: readers decide findings too
    for source in sorted(package.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.relative_to(package)}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    toml = config.root / CONFIG_NAME
    digest.update(toml.read_bytes() if toml.is_file() else b"")
    return digest.hexdigest()


def _kept_findings(config: Config, key: str, now: datetime, document: Document) -> tuple[str, str, str]:
    """What the index keeps for lint of a document it has just read (in its worker): see `_check_file`."""
    entry = _check_document(config, document, now)
    return key, now.date().isoformat() if entry["daily"] else "", json.dumps(entry)


def _check_file(config: Config, path: str, family: str, now: datetime) -> dict[str, Any]:
    """One record file's own findings (every rule but the cross-file ones, whatever the config selects:
    the selection is applied when they are reported) and its suppression comments, as JSON values."""
    from whylog.markdown.readers import read_path

    try:
        document = read_path(str(config.root / path), family, display=path)
    except ParseError as exc:
        item = Diagnostic("FIL001", exc.message, _at(path, exc.line), exc.hint, "error")
        return {"findings": [_item(item)], "file": [], "lines": {}, "daily": False}
    return _check_document(config, document, now)


def _check_document(config: Config, document: Document, now: datetime) -> dict[str, Any]:
    context = Context(config, document, document.records, now, settings=LintConfig(ignore=tuple(CROSS_FILE)))
    whole_file, by_line = _suppression(document)
    found = _apply_suppression(list(_check(document, context)), (whole_file, by_line))
    daily = any(r.kind in DAILY_KINDS for r in document.records)
    lines = {str(n): sorted(codes) for n, codes in by_line.items()}
    return {"findings": [_item(d) for d in found], "file": sorted(whole_file), "lines": lines, "daily": daily}


def _item(diagnostic: Diagnostic) -> list[Any]:
    source = diagnostic.source
    return [diagnostic.code, diagnostic.message, source.path, source.start_line, source.end_line, diagnostic.hint]


def _diagnostic(item: list[Any]) -> Diagnostic:
    """A kept finding, with its rule's default severity (the config's is applied when it is shown)."""
    code, message, path, start, end, hint = item
    rule = RULES.get(code)
    return Diagnostic(code, message, Source(path, start, end), hint, rule.severity if rule else "warning")


def _cross_file(
    conn: sqlite3.Connection, config: Config, files: dict[str, tuple[str, str]], now: datetime, key: str
) -> list[Diagnostic]:
    """The cross-file rules' findings (every one; the config's selection is applied when they are
    reported). Their candidates come from the index: records whose natural id another record has, entries
    dated after now, links that resolve to nothing, supersessions of missing decisions, the newest session
    note. A file's findings are kept under its content hash and what the index says about its candidates;
    only when that changed are its candidates decoded and the file read again."""
    from whylog.index import lint_store

    future = _future_entries(conn, now)
    # Nothing the index holds changed since the last lint, and no entry stopped being in the future: the
    # findings kept then are the findings now.
    memo = f"{lint_store.state(conn, 'generation')}:{key}:{future}"
    if lint_store.state(conn, "lint_cross") == memo:
        return [_diagnostic(item) for kept in lint_store.all_cross(conn) for item in json.loads(kept)]
    found = _cross_candidates(conn, config, files, now, set(future))
    lint_store.set_state(conn, "lint_cross", memo)
    return found


def _future_entries(conn: sqlite3.Connection, now: datetime) -> list[int]:
    """The rowids of entries dated after `now`, compared as ENT006 compares (each to the other's length)."""
    from whylog.index import lint_store

    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [r for r, d in lint_store.entries_from(conn, stamp[:10]) if d[: len(stamp)] > stamp[: len(d)]]


def _cross_candidates(
    conn: sqlite3.Connection, config: Config, files: dict[str, tuple[str, str]], now: datetime, future: set[int]
) -> list[Diagnostic]:
    from whylog.index import lint_store
    from whylog.index.progress import feature_counts
    from whylog.index.sqlite import links_resolved

    shared = lint_store.shared_naturals(conn)
    naturals = {row.rowid: natural for row, natural in shared}
    first_of: dict[str, lint_store.RecordRow] = {}
    for row, natural in shared:
        if not row.shadowed:
            first_of.setdefault(natural, row)
    candidates = {row.rowid for row, natural in shared if first_of[natural].rowid != row.rowid}
    candidates |= future
    candidates |= set(lint_store.unresolved_links(conn))
    newest = lint_store.newest_session(conn)
    if newest is not None:
        candidates.add(newest)
    by_row = lint_store.rows_at(conn, candidates)
    links = lint_store.link_facts(conn, candidates)
    features = feature_counts(conn)
    ids = lint_store.LiveIds(conn)

    def facts(rowid: int) -> tuple[Any, ...]:
        """Everything outside its file that the cross-file rules read about one candidate."""
        row, first = by_row[rowid], first_of.get(naturals.get(rowid, ""))
        where = (first.path, first.start_line, first.rowid == rowid) if first else None
        return row.start_line, row.kind, where, rowid in future, links.get(rowid, []), rowid == newest

    by_path: dict[str, list[int]] = {}
    for rowid in sorted(candidates, key=lambda c: by_row[c].start_line):
        by_path.setdefault(by_row[rowid].path, []).append(rowid)
    paths = sorted(by_path)
    keys = {}
    for path, rowids in by_path.items():
        known = [facts(c) for c in rowids]
        keys[path] = hashlib.blake2b(repr((files[path][1], features, known)).encode(), digest_size=16).hexdigest()
    kept = lint_store.cross_cached(conn)
    stale = [path for path in paths if kept.get(path, ("", ""))[0] != keys[path]]
    found = [_diagnostic(item) for path in paths if path not in stale for item in json.loads(kept[path][1])]
    todo = {c for c in candidates if by_row[c].path in stale}
    decoded = lint_store.records_at(conn, todo | {first_of[naturals[c]].rowid for c in todo if c in naturals})
    context = Context(config, _NO_DOCUMENT, [], now, features, ids, settings=LintConfig())
    needed = {naturals[c] for c in todo if c in naturals}
    context.first_of = {n: decoded.get(first_of[n].rowid) or _stub(first_of[n]) for n in needed if n in first_of}
    context.cache["SES001"] = decoded.get(newest) if newest is not None else None
    order = sorted(todo)
    resolved = dict(zip(order, links_resolved(conn, [decoded[c] for c in order]), strict=True))
    fresh: list[tuple[str, str, str]] = []
    for path in stale:
        here: list[Diagnostic] = []
        context.document = _lines_only(config, path, files[path][0]) or _NO_DOCUMENT
        if context.document is not _NO_DOCUMENT:
            for rowid in by_path[path]:
                record = resolved[rowid]
                for rule in RULES.values():
                    if rule.code in CROSS_FILE and rule.kind == record.kind:
                        here += rule.check(record, context)
        found += here
        fresh.append((path, keys[path], json.dumps([_item(d) for d in here])))
    lint_store.store_cross(conn, fresh, paths)
    return found


def _lines_only(config: Config, path: str, family: str) -> Document | None:
    """A record file's lines, as its reader numbers and shows them, without reading its records (the
    cross-file rules take records from the index and look up lines only); None for a file that cannot
    be read cleanly: FIL001 reports it, and its records are not checked further."""
    from whylog.markdown.encoding import decode_damaged
    from whylog.markdown.scan import scan

    try:
        decoded = decode_damaged((config.root / path).read_bytes(), path)
        lines = scan(decoded.text, path, markdown=False, repair=family != "features")
    except (OSError, ParseError):
        return None
    if decoded.damage:
        return None
    return Document(path, decoded.text, family, [], [], [], {}, lines)


def _stub(row: RecordRow) -> Record:
    """A record as the duplicate rules read the one that came first: its id and where it starts."""
    from whylog.model import FIELDS_BY_KIND

    source = Source(row.path, row.start_line, row.start_line)
    kind = cast("Kind", row.kind)  # the index holds only the model's kinds
    return Record(row.id, kind, "", row.date, FIELDS_BY_KIND[kind](), source=source)


def _repo_context(conn: sqlite3.Connection, config: Config, now: datetime) -> Context:
    """What the once-per-lint rules read: the records named by this clone's verification runs."""
    from whylog.checks.verify import records_run

    context = Context(config, _NO_DOCUMENT, records_run(config, conn), now)
    context.cache["conn"] = conn  # FIL011 reads what records name from the index lint has synced
    return context


def _load(config: Config, paths: list[Path]) -> tuple[list[Document], list[Record], list[Diagnostic]]:
    from whylog.markdown.readers import read_path

    collection = load(config, skip_errors=True)
    found = [d for d in collection.diagnostics if d.code == "FIL001"]
    if not paths:
        return collection.documents, collection.records, found
    known = {d.path: d for d in collection.documents}
    documents, extra = [], []
    for path in paths:
        rel = _relative(config.root, path)
        if rel in known:
            documents.append(known[rel])
            continue
        try:
            document = read_path(str(path), display=rel)
        except ParseError as exc:
            found.append(Diagnostic("FIL001", exc.message, _at(rel, exc.line), exc.hint, "error"))
            continue
        documents.append(document)
        extra += document.records
    found = [d for d in found if d.source.path in {_relative(config.root, p) for p in paths}]
    return documents, resolve_links(collection.records + extra) if extra else collection.records, found


def _relative(root: Path, path: Path) -> str:
    full = path if path.is_absolute() else Path.cwd() / path
    try:
        return full.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _at(path: str, line: int) -> Source:
    return Source(path, line, line)


_NO_DOCUMENT = Document("", "", "", [], [], [], {}, None)  # type: ignore[arg-type]  # set per file checked


def _context(config: Config, records: list[Record], now: datetime) -> Context:
    ids = {r.id for r in records}
    first_of: dict[str, Record] = {}
    for record in records:
        first_of.setdefault(natural_id(record, ids), record)
    features = [r.fields for r in records if isinstance(r.fields, FeatureFields)]
    counts = (sum(1 for f in features if f.passes), len(features)) if features else None
    return Context(config, _NO_DOCUMENT, records, now, counts, ids, first_of)


def _check(document: Document, context: Context) -> Iterator[Diagnostic]:
    settings = context.settings
    for rule in RULES.values():
        if rule.kind == "file" and settings.enabled(rule.code):
            yield from rule.check(document, context)
    if document.damaged:  # FIL001 says what to repair first; its records hold U+FFFD where bytes were lost
        return
    by_kind: dict[str, list[Rule]] = {}
    for rule in RULES.values():
        if settings.enabled(rule.code):
            by_kind.setdefault(rule.kind, []).append(rule)
    if "resolved" not in context.cache:
        context.cache["resolved"] = {(r.source.path, r.source.start_line): r for r in context.records if r.source}
    resolved = context.cache["resolved"]
    for original in document.records:
        key = (original.source.path, original.source.start_line) if original.source else None
        record = resolved.get(key, original) if key else original
        for rule in by_kind.get(record.kind, ()):
            yield from rule.check(record, context)


def _shown(item: Diagnostic, shown: dict[str, Suppression], only_these: bool) -> bool:
    """Whether a repo-wide finding is reported: in a file linted (unless suppressed there); outside the
    record files only when the whole repo is linted (`lint PATH` reports on PATH alone)."""
    suppression = shown.get(item.source.path)
    if suppression is None:
        return not only_these
    return bool(_apply_suppression([item], suppression))


def _at_most_warning(item: Diagnostic) -> Diagnostic:
    return dataclasses.replace(item, severity="warning") if item.severity == "error" else item


def _with_severity(item: Diagnostic, settings: LintConfig) -> Diagnostic:
    level = settings.severity.get(item.code, RULES[item.code].severity)
    return item if item.severity == level else dataclasses.replace(item, severity=level)


Suppression = tuple[set[str], dict[int, set[str]]]  # codes silenced in the whole file, and per line


def _suppressed(document: Document, found: list[Diagnostic]) -> list[Diagnostic]:
    """Drop findings silenced by `<!-- whylog: disable=... -->` comments in the document."""
    return _apply_suppression(found, _suppression(document))


def _suppression(document: Document) -> Suppression:
    """The codes a document's `<!-- whylog: disable... -->` comments silence: in the whole file, and per
    line (a comment before a record's heading, or on it, covers the record's lines)."""
    whole_file: set[str] = set()
    by_line: dict[int, set[str]] = {}
    if "whylog:" not in document.text:
        return whole_file, by_line
    starts = {r.source.start_line: r.source for r in document.records if r.source}
    for number, text in enumerate(document.lines.lines, start=1):
        for match in _DISABLE.finditer(text):
            codes = {c.strip() for c in match.group(2).split(",") if c.strip()}
            if match.group(1) == "disable-file":
                whole_file |= codes
                continue
            for target in (number, number + 1):
                span = starts.get(target)
                lines = range(span.start_line, span.end_line + 1) if span else range(target, target + 1)
                for line in lines:
                    by_line.setdefault(line, set()).update(codes)
    return whole_file, by_line


def _apply_suppression(found: list[Diagnostic], suppression: Suppression) -> list[Diagnostic]:
    whole_file, by_line = suppression
    return [d for d in found if d.code not in whole_file and d.code not in by_line.get(d.source.start_line, set())]


def at_or_above(found: list[Diagnostic], level: str) -> list[Diagnostic]:
    return [d for d in found if LEVELS[d.severity] >= LEVELS[level]]


def fix_paths(config: Config, paths: Iterable[Path] = (), now: datetime | None = None) -> tuple[int, list[Diagnostic]]:
    """Apply every mechanical fix (each pass writes a changed file once, atomically), and lint again.
    Reading, fixing and writing happen under the repo's write lock, so a record added meanwhile is not
    written over. Returns (number of fixes applied, the findings that remain). A file that was not read
    cleanly (FIL001) is never written: ParseError before anything is, when one of the files to fix is one."""
    paths = list(paths)
    applied = 0
    with write_lock(config.root):
        for _ in range(3):  # a line can hold two findings (a glued separator before a bad stamp): fix, re-read
            fixable: dict[str, list[Diagnostic]] = {}
            for item in lint_paths(config, paths, now):
                if RULES[item.code].fixable:
                    fixable.setdefault(item.source.path, []).append(item)
            for rel in fixable:
                _read_clean(config.root / rel, rel)
            fixable = {rel: [d for d in items if not RULES[d.code].reorders] for rel, items in fixable.items()}
            done = sum(_fix_file(config.root, rel, items) for rel, items in fixable.items())
            applied += done
            if not done:
                break
        ordered = {(d.source.path, d.code) for d in lint_paths(config, paths, now) if RULES[d.code].reorders}
        for rel, code in sorted(ordered):
            applied += _reorder(config.root, rel, RULES[code])
        return applied, lint_paths(config, paths, now)


def _read_clean(path: Path, display: str) -> str:
    """The file's text as it is on disk (a BOM kept), or ParseError when it cannot be read cleanly."""
    from whylog.markdown.scan import decode

    data = path.read_bytes()
    text = decode(data, display)
    return "\ufeff" + text if data.startswith(b"\xef\xbb\xbf") else text


def _fix_file(root: Path, rel: str, items: list[Diagnostic]) -> int:
    """Apply the fixes to one file, never to a line inside a code fence (or an HTML or front-matter
    block): text there is an example, not a record."""
    from whylog.markdown.scan import scan

    path = root / rel
    text = _read_clean(path, rel)
    scanned = scan(text, rel, markdown=not rel.endswith(".txt"))
    lines = list(scanned.lines)
    fixable = [item for item in items if scanned.tag(item.source.start_line) not in ("code", "html", "meta")]
    for item in sorted(fixable, key=lambda d: d.source.start_line, reverse=True):
        fix = RULES[item.code].fix
        assert fix is not None
        fix(lines, item)
    new = "".join(lines)
    if new != text:
        write_record_bytes(root, path, new.encode("utf-8"))
    return len(fixable) if new != text else 0


def _reorder(root: Path, rel: str, rule: Rule) -> int:
    """Move a file's records into order with the rule's reorder (entries by stamp, releases by version):
    each record's lines move unchanged and the lines between records stay where they are."""
    assert rule.reorders is not None
    path = root / rel
    text = _read_clean(path, rel)
    new = rule.reorders(text, rel)
    if new == text:
        return 0
    write_record_bytes(root, path, new.encode("utf-8"))
    return 1
