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
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from whylog.errors import ConfigError, ParseError, WhylogError
from whylog.markdown.document import Document
from whylog.model import Diagnostic, FeatureFields, Record, Source
from whylog.repo import CONFIG_NAME, Config, load, resolve_links, write_lock, write_record_bytes
from whylog.rules.context import Context
from whylog.rules.entry_order import natural_id
from whylog.rules.registry import RULES, SEVERITIES, Rule, Severity

_DISABLE = re.compile(r"<!--\s*whylog:\s*(disable|disable-file)\s*=\s*([A-Z0-9, ]+?)\s*-->")
LEVELS = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True, slots=True)
class LintConfig:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        chosen = not self.select or any(code.startswith(s) for s in self.select)
        return chosen and not any(code.startswith(s) for s in self.ignore)


def read_lint_config(root: Path) -> LintConfig:
    """The [lint] table of whylog.toml; ConfigError names what is wrong."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return LintConfig()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("lint", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", CONFIG_NAME) from None
    lists = {}
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"[lint] {key} must be a list of rule codes", CONFIG_NAME)
        lists[key] = tuple(v.upper() for v in value)
    severity = table.get("severity", {})
    for code, level in severity.items() if isinstance(severity, dict) else [("", "")]:
        if code.upper() not in RULES or level not in SEVERITIES:
            raise ConfigError(
                f"[lint] severity {code} = {level!r}: expected a rule code = error|warning|info", CONFIG_NAME
            )
    return LintConfig(lists["select"], lists["ignore"], {k.upper(): v for k, v in severity.items()})


def lint_paths(
    config: Config, paths: Iterable[Path] = (), now: datetime | None = None, *, for_commit: bool = False
) -> list[Diagnostic]:
    """Every finding over the repo's record files, or in `paths` only (checked against the whole repo).
    `for_commit` (the pre-commit hook): findings from this clone's own state (its verify runs), which the
    commit does not carry, are warnings at most. Raises WhylogError for a path that does not exist: a
    mistyped name must not pass as clean."""
    paths = list(paths)
    for path in paths:
        if not path.exists():
            raise WhylogError("no such file", _relative(config.root, path))
    settings = read_lint_config(config.root)
    documents, records, found = _load(config, paths)
    context = _context(config, records, now or datetime.now(UTC))
    context.settings = settings
    for document in documents:
        context.document = document
        found += _suppressed(document, list(_check(document, context)))
    shown = {d.path: d for d in documents}
    for rule in RULES.values():
        if rule.kind == "repo" and settings.enabled(rule.code):
            repo_found = list(rule.check(None, context))
            found += [d for d in repo_found if _shown(d, shown, bool(paths))]
    out = [_with_severity(d, settings) for d in found if d.code in RULES and settings.enabled(d.code)]
    if for_commit:
        out = [_at_most_warning(d) if RULES[d.code].local else d for d in out]
    return sorted(out, key=lambda d: (d.source.path, d.source.start_line, d.code))


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


def _context(config: Config, records: list[Record], now: datetime) -> Context:
    ids = {r.id for r in records}
    first_of: dict[str, Record] = {}
    for record in records:
        first_of.setdefault(natural_id(record, ids), record)
    features = [r.fields for r in records if isinstance(r.fields, FeatureFields)]
    counts = (sum(1 for f in features if f.passes), len(features)) if features else None
    empty = Document("", "", "", [], [], [], {}, None)  # type: ignore[arg-type]
    return Context(config, empty, records, now, counts, ids, first_of)


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


def _shown(item: Diagnostic, shown: dict[str, Document], only_these: bool) -> bool:
    """Whether a repo-wide finding is reported: in a file linted (unless suppressed there); outside the
    record files only when the whole repo is linted (`lint PATH` reports on PATH alone)."""
    document = shown.get(item.source.path)
    if document is None:
        return not only_these
    return item in _suppressed(document, [item])


def _at_most_warning(item: Diagnostic) -> Diagnostic:
    return dataclasses.replace(item, severity="warning") if item.severity == "error" else item


def _with_severity(item: Diagnostic, settings: LintConfig) -> Diagnostic:
    level = settings.severity.get(item.code, RULES[item.code].severity)
    return dataclasses.replace(item, severity=level)


def _suppressed(document: Document, found: list[Diagnostic]) -> list[Diagnostic]:
    """Drop findings silenced by `<!-- whylog: disable=... -->` comments in the document."""
    if "whylog:" not in document.text:
        return found
    whole_file: set[str] = set()
    by_line: dict[int, set[str]] = {}
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
