"""Commands over the record files: init, parse, list, show, export, index, search, why, lint, rules, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import click

from whylog.cli import (
    AGENTS,
    FORMATS,
    KINDS,
    NothingFound,
    OutputFile,
    _config,
    _emit_json,
    _plural,
    _repo_relative,
    _synced,
    _writing,
    cli,
)
from whylog.model.errors import NotFound

if TYPE_CHECKING:
    from whylog.repo import Config


@cli.command()
@click.option("--hook", is_flag=True, help="Also install a git pre-commit hook that lints staged record files.")
@click.option(
    "--agent",
    "agents",
    multiple=True,
    type=click.Choice(AGENTS, case_sensitive=False),
    help="Write this coding agent's rule file (and its MCP server and hooks where it has them); repeatable.",
)
@click.option("--no-merge-driver", is_flag=True, help="Do not register whylog's git merge driver for record files.")
@click.pass_context
def init(ctx: click.Context, hook: bool, agents: tuple[str, ...], no_merge_driver: bool) -> None:
    """Find the record files in this repo and write whylog.toml; in a git work tree, register the merge
    driver for append-only record files. Running it again changes only what is missing or out of date."""
    from whylog import git
    from whylog.repo import (
        CONFIG_NAME,
        Config,
        discover_sources,
        find_root,
        read_config,
        render_config,
        state_dir,
        write_repo_file,
    )

    root = (ctx.obj["root"] or find_root()).resolve()
    existed = (root / CONFIG_NAME).exists()
    config = read_config(root) if existed else Config(root, discover_sources(root))
    if not existed:
        write_repo_file(root, root / CONFIG_NAME, render_config(config))
    state_dir(root)
    _ignore_state_dir(root)
    click.echo(f"{'kept' if existed else 'wrote'} {CONFIG_NAME}; record files found:")
    config = read_config(root)
    for line in _found_files(config):
        click.echo(line)
    if not no_merge_driver and git.repo_root(root) is not None:
        from whylog.branches.merge import install_merge_driver

        for where, outcome in install_merge_driver(config):
            click.echo(f"{outcome} {where} (merge driver)")
    for name in agents:
        from whylog.agents import install_agent

        for where, outcome in install_agent(root, name.lower()):
            click.echo(f"{outcome} {where} ({name.lower()})")
    if hook:
        from whylog.branches.hook import install_hook

        path, outcome = install_hook(config)
        click.echo(f"{outcome} the pre-commit hook {path}")


def _family_by_place(file: Path, root: Path | None) -> str | None:
    """The file's family as the index would see it: by its name and folders from its repo's root (so that
    folders above the repo, a checkout inside `decision-records/`, say nothing), else by its content.
    Outside any repo, the last folders of its path speak."""
    from whylog.repo import CONFIG_NAME, find_root, sniff_family

    full = file.resolve()
    base = root.resolve() if root is not None else find_root(full.parent)
    rel = "/".join(full.parts[-4:])
    if (base / ".git").exists() or (base / CONFIG_NAME).is_file():
        try:
            rel = full.relative_to(base).as_posix()
        except ValueError:
            pass
    try:
        return sniff_family(full, rel) or "syslog"  # what read_text takes a file of no known family for
    except OSError:
        return None  # read_path names the problem  # what read_text takes a file of no known family for


def _found_files(config: Config) -> list[str]:
    """One line per record file: its family, its records and the share of its lines no record holds."""
    from whylog.markdown.readers import read_path
    from whylog.model.errors import ParseError
    from whylog.repo import iter_source_files

    rows = []
    for path, family in iter_source_files(config):
        rel = path.relative_to(config.root).as_posix()
        try:
            document = read_path(str(path), family, display=rel)
        except ParseError as exc:
            rows.append((rel, family, f"not read: {exc.message}"))
            continue
        kinds: dict[str, int] = {}
        for record in document.records:
            kinds[record.kind] = kinds.get(record.kind, 0) + 1
        found = ", ".join(f"{count} {kind}" for kind, count in kinds.items()) or "no records"
        text = sum(u.end_line - u.start_line + 1 for u in document.unstructured)
        lines = sum(1 for line in document.lines.lines if line.strip()) or 1
        rows.append((rel, document.family, f"{found}; {min(text, lines) / lines:.0%} of lines not understood"))
    if not rows:
        return ["  (none yet: `whylog add` starts the files in whylog.toml's [write] places)"]
    width = max(len(rel) for rel, _, _ in rows)
    return [f"  {rel:<{width}}  {family:<9}  {what}" for rel, family, what in rows]


def _ignore_state_dir(root: Path) -> None:
    from whylog.repo import STATE_DIR, write_repo_file

    ignore = root / ".gitignore"
    text = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    if f"{STATE_DIR}/" not in text.splitlines():
        prefix = "" if not text or text.endswith("\n") else "\n"
        write_repo_file(root, ignore, text + prefix + f"{STATE_DIR}/\n")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), help="Read as this kind (default: detected).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def parse(ctx: click.Context, file: Path, kind: str | None, fmt: str) -> None:
    """Read one FILE and print its records, unstructured text and diagnostics."""
    from whylog.markdown.document import document_json
    from whylog.markdown.readers import read_path
    from whylog.model.errors import ParseError

    document = read_path(str(file), kind or _family_by_place(file, ctx.obj.get("root") if ctx.obj else None))
    if not document.text.strip():
        raise ParseError("file is empty; expected records", str(file))
    if fmt == "json":
        data = document_json(document)
        _emit_json({k: data[k] for k in ("records", "unstructured", "diagnostics", "front_matter", "family")})
        return
    click.echo(
        f"{file}: {document.family}, {_plural(len(document.records), 'record')}, "
        f"{_plural(len(document.unstructured), 'unstructured span')}, "
        f"{_plural(len(document.diagnostics), 'diagnostic')}"
    )
    for record in document.records:
        assert record.source is not None
        click.echo(f"  {_row(record)}  (lines {record.source.start_line}-{record.source.end_line})")
    for span in document.unstructured:
        click.echo(f"  unstructured lines {span.start_line}-{span.end_line}")
    for item in document.diagnostics:
        click.echo(_diagnostic_line(item), err=True)


def _row(record: Any) -> str:
    date = record.date.replace("T", " ")[:16]
    return f"{record.id:<24} {record.kind:<8} {date:<16} {record.title}"


def _diagnostic_line(item: Any) -> str:
    text = f"{item.source.path}:{item.source.start_line}:1: {item.code} {item.message}"
    return text + (f"\n  hint: {item.hint}" if item.hint else "")


@cli.command(name="list")
@click.option("--kind", type=click.Choice(KINDS), multiple=True, help="Only these kinds (repeatable).")
@click.option("--tag", multiple=True, help="Only records with this tag (repeatable).")
@click.option("--file", "path", help="Only records that name this path, a path under it, or a folder holding it.")
@click.option("--since", help="Only records dated on or after (YYYY, YYYY-MM, YYYY-MM-DD, or 30d, 2w, 6m, 1y ago).")
@click.option("--until", help="Only records dated up to the end of (the same forms as --since).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many records.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def list_(
    ctx: click.Context,
    kind: tuple[str, ...],
    tag: tuple[str, ...],
    path: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List records, newest first, with filters."""
    from whylog.index.records import select_records
    from whylog.model import to_json

    since, until = _date_filter("--since", since), _date_filter("--until", until)
    records = select_records(_synced(_config(ctx)), kind, tag, path, since, until, limit)
    if fmt == "json":
        _emit_json([to_json(r) for r in records])
    else:
        for record in records:
            click.echo(_row(record))
    if not records:
        raise NothingFound("no records match")


def _date_filter(option: str, value: str | None) -> str | None:
    """A --since/--until value read as `search` reads since: and until: (one parser for both)."""
    from whylog.index.query import DateFilterError, read_date_filter
    from whylog.model.errors import WhylogError

    if value is None:
        return None
    try:
        return read_date_filter(value)
    except DateFilterError as exc:
        raise WhylogError(f"{option} {exc.message}") from None


@cli.command()
@click.argument("record_id", metavar="ID|FILE:LINE")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.pass_context
def show(ctx: click.Context, record_id: str, fmt: str) -> None:
    """Show one record: its Markdown exactly as in its file, or its JSON envelope. FILE:LINE shows the
    record at that line, or the unstructured text there (what a search hit of kind "text" names)."""
    from whylog.index.sqlite import find_record, read_record
    from whylog.model import to_json
    from whylog.writing.listing import is_file_line, record_markdown, shown_at

    config = _config(ctx)
    conn = _synced(config)
    if is_file_line(record_id) and find_record(conn, record_id) is None:
        envelope, markdown = shown_at(conn, config.root, _repo_relative(config.root, record_id))
        if fmt == "json":
            _emit_json(envelope)
        else:
            click.echo(markdown, nl=False)
        return
    record = read_record(conn, record_id)
    if fmt == "json":
        _emit_json(to_json(record))
        return
    click.echo(record_markdown(config.root, record), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default="json", show_default=True)
@click.option("-o", "--output", type=OutputFile(), help="Write to this file.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Every record in the JSON envelope, as json, jsonl or csv."""
    from whylog.repo import write_atomic
    from whylog.writing.listing import export_text

    text = export_text(_all_records(ctx), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        with _writing(output):
            write_atomic(output, text)


def _all_records(ctx: click.Context) -> list[Any]:
    from whylog.index.sqlite import iter_envelopes
    from whylog.repo import resolve_links

    return resolve_links(list(iter_envelopes(_synced(_config(ctx)))))


@cli.command()
@click.option("--rebuild", is_flag=True, help="Drop the index and read every record file again.")
@click.pass_context
def index(ctx: click.Context, rebuild: bool) -> None:
    """Bring the search index (.whylog/index.sqlite3) up to date; it is a cache of the Markdown."""
    from whylog.index.sqlite import counts, open_index, sync, warning_lines
    from whylog.index.sqlite import rebuild as rebuild_index

    config = _config(ctx)
    conn = open_index(config)
    stats = rebuild_index(conn, config) if rebuild else sync(conn, config)
    for warning in warning_lines(conn):
        click.echo(f"whylog: warning: {warning}", err=True)
    click.echo(f"{stats.files} record files; {stats.read} read, {stats.removed} removed; {stats.records} records read")
    for kind, count in counts(conn).items():
        click.echo(f"  {kind:<9} {count}")


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int, fmt: str) -> None:
    """Search records: words, "phrases", prefix*, AND/OR/NOT, and filters:

    kind:incident type:"bug fix" tag:SECURITY severity:high status:accepted file:src/auth
    since:2026-01 until:30d confidence<80 open:true id:ADR-003 version:1.2. A plain question works too.
    """
    from whylog.index.query import parse_query
    from whylog.index.search import hit_json, marked, run_search

    parsed = parse_query(" ".join(query))
    hits = run_search(_synced(_config(ctx)), parsed, limit)
    if fmt == "json":
        _emit_json([hit_json(hit) for hit in hits])
    else:
        start, end = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("[", "]")
        for hit in hits:
            click.echo(_row(SimpleNamespace(**hit.envelope)))
            if hit.snippet:
                click.echo("    " + marked(hit.snippet, start, end).replace("\n", " "))
    if not hits:
        raise NothingFound("no records match")


@cli.command()
@click.argument("target")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def why(ctx: click.Context, target: str, fmt: str) -> None:
    """The records that explain PATH, PATH:LINE or PATH:START-END, with the line ranges they recorded
    followed through git history (renames included) to the lines they cover now."""
    from whylog.why import explain_indexed, format_text, to_json

    config = _config(ctx)
    result = explain_indexed(config, _repo_relative(config.root, target), _synced(config))
    if fmt == "json":
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        _emit_json(to_json(result))
    else:
        for line in format_text(result):
            click.echo(line)
    if not result.matches:
        raise NothingFound(f"no records explain {target}")


# --- lint and rules ------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Repair what is mechanical (timestamps, type spelling, separators, order).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this level.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option(
    "--for-commit",
    is_flag=True,
    help="As the pre-commit hook checks: this clone's own verify results (FIL012, FIL013) are warnings.",
)
@click.pass_context
def lint(ctx: click.Context, paths: tuple[Path, ...], fix: bool, fail_on: str, fmt: str, for_commit: bool) -> None:
    """Check record files against the template rules (all record files, or only what is in PATHs)."""
    from importlib.metadata import version

    from whylog.lint import at_or_above, fix_paths, lint_paths
    from whylog.lint.rules import report

    config = _config(ctx)
    if fix:
        applied, found = fix_paths(config, paths)
        click.echo(f"fixed {_plural(applied, 'finding')}", err=True)
    else:
        found = lint_paths(config, paths, for_commit=for_commit)
    if fmt == "json":
        click.echo(report.format_json(found), nl=False)
    elif fmt == "sarif":
        click.echo(report.format_sarif(found, version("whylog")), nl=False)
    else:
        click.echo(report.format_text(found), nl=False)
    if at_or_above(found, fail_on):
        sys.exit(1)


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List the lint rules, or print the full docs of rule CODE."""
    from whylog.lint.rules import report

    if code is None:
        click.echo(report.format_rules(), nl=False)
        return
    text = report.format_rule(code)
    if text is None:
        raise NotFound(f"no rule {code!r}; `whylog rules` lists them", code)
    click.echo(text, nl=False)


@cli.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Set the demo repo up here (default: a new temporary folder).",
)
def demo(folder: Path | None) -> None:
    """Copy the bundled examples into a throwaway repo and show what whylog reads and writes there."""
    from whylog.demo import run_demo

    for line in run_demo(folder):
        click.echo(line)
