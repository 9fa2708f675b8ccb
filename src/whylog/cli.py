"""The command line: a thin door over the library. Parses input, calls the core, formats the result.

Exit status: 0 success, 1 nothing found, 2 bad usage or bad input (one line naming file and line).
Heavy modules are imported inside the commands that need them; `whylog --help` imports click and little else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from whylog.errors import NotFound, WhylogError

KINDS = ("entry", "incident", "decision", "change", "session", "story", "context", "feature")
FORMATS = click.Choice(["text", "json"])


class Found(Exception):
    """Nothing matched: exit status 1 with a message, not an error."""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "-C", "--root", type=click.Path(file_okay=False, path_type=Path), help="Repo folder (default: found from here)."
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="whylog")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """whylog: the engineering memory of a codebase.

    Typed records (system-log entries, incidents, decisions, change documents, session notes, dev-log
    stories, the current context, features) read from and written to the Markdown files in the repo.
    """
    ctx.obj = {"root": root, "debug": debug}


def _config(ctx: click.Context) -> Any:
    from whylog.repo import find_root, read_config

    root = ctx.obj["root"]
    return read_config(root.resolve() if root else find_root())


def _emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


AGENTS = ("claude", "cursor", "windsurf", "cline", "codex", "copilot")


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
        write_atomic,
    )

    root = (ctx.obj["root"] or find_root()).resolve()
    existed = (root / CONFIG_NAME).exists()
    config = read_config(root) if existed else Config(root, discover_sources(root))
    if not existed:
        write_atomic(root / CONFIG_NAME, render_config(config))
    state_dir(root)
    _ignore_state_dir(root)
    click.echo(f"{'kept' if existed else 'wrote'} {CONFIG_NAME}; record files found:")
    for glob, family in config.sources.items():
        count = len([p for p in root.glob(glob) if p.is_file()])
        click.echo(f"  {glob:<32} {family:<10} {count} file{'s' if count != 1 else ''}")
    config = read_config(root)
    if not no_merge_driver and git.repo_root(root) is not None:
        from whylog.merge import install_merge_driver

        for where, outcome in install_merge_driver(config):
            click.echo(f"{outcome} {where} (merge driver)")
    for name in agents:
        from whylog.agents import install_agent

        for where, outcome in install_agent(root, name.lower()):
            click.echo(f"{outcome} {where} ({name.lower()})")
    if hook:
        from whylog.hook import install_hook

        path, outcome = install_hook(config)
        click.echo(f"{outcome} the pre-commit hook {path}")


def _ignore_state_dir(root: Path) -> None:
    from whylog.repo import STATE_DIR, write_atomic

    ignore = root / ".gitignore"
    text = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    if f"{STATE_DIR}/" not in text.splitlines():
        prefix = "" if not text or text.endswith("\n") else "\n"
        write_atomic(ignore, text + prefix + f"{STATE_DIR}/\n")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), help="Read as this kind (default: detected).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def parse(file: Path, kind: str | None, fmt: str) -> None:
    """Read one FILE and print its records, unstructured text and diagnostics."""
    from whylog.errors import ParseError
    from whylog.markdown.document import document_json
    from whylog.markdown.readers import read_path

    document = read_path(str(file), kind)
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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _row(record: Any) -> str:
    date = record.date.replace("T", " ")[:16]
    return f"{record.id:<24} {record.kind:<8} {date:<16} {record.title}"


def _diagnostic_line(item: Any) -> str:
    text = f"{item.source.path}:{item.source.start_line}:1: {item.code} {item.message}"
    return text + (f"\n  hint: {item.hint}" if item.hint else "")


@cli.command(name="list")
@click.option("--kind", type=click.Choice(KINDS), multiple=True, help="Only these kinds (repeatable).")
@click.option("--tag", multiple=True, help="Only records with this tag (repeatable).")
@click.option("--file", "path", help="Only records that name this path or a path under it.")
@click.option("--since", help="Only records dated on or after (YYYY-MM-DD or YYYY-MM).")
@click.option("--until", help="Only records dated before the end of (YYYY-MM-DD or YYYY-MM).")
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
    from whylog.listing import filter_records
    from whylog.model import to_json

    records = filter_records(_all_records(ctx), kind, tag, path, since, until)[:limit]
    if fmt == "json":
        _emit_json([to_json(r) for r in records])
    else:
        for record in records:
            click.echo(_row(record))
    if not records:
        raise Found("no records match")


@cli.command()
@click.argument("record_id")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.pass_context
def show(ctx: click.Context, record_id: str, fmt: str) -> None:
    """Show one record: its Markdown exactly as in its file, or its JSON envelope."""
    from whylog.index.sqlite import read_record
    from whylog.listing import record_markdown
    from whylog.model import to_json

    config = _config(ctx)
    record = read_record(_synced(config), record_id)
    if fmt == "json":
        _emit_json(to_json(record))
        return
    click.echo(record_markdown(config.root, record), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Every record in the JSON envelope, as json, jsonl or csv."""
    from whylog.listing import export_text
    from whylog.repo import write_atomic

    text = export_text(_all_records(ctx), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)


def _synced(config: Any) -> Any:
    from whylog.index.sqlite import open_synced

    return open_synced(config)


def _all_records(ctx: click.Context) -> list[Any]:
    from whylog.index.sqlite import iter_envelopes
    from whylog.repo import resolve_links

    return resolve_links(list(iter_envelopes(_synced(_config(ctx)))))


@cli.command()
@click.option("--rebuild", is_flag=True, help="Drop the index and read every record file again.")
@click.pass_context
def index(ctx: click.Context, rebuild: bool) -> None:
    """Bring the search index (.whylog/index.sqlite3) up to date; it is a cache of the Markdown."""
    from whylog.index.sqlite import counts, open_index, sync
    from whylog.index.sqlite import rebuild as rebuild_index

    config = _config(ctx)
    conn = open_index(config)
    stats = rebuild_index(conn, config) if rebuild else sync(conn, config)
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
    since:2026-01 until:30d confidence<80 open:true id:ADR-003. A plain question works too.
    """
    from whylog.index.search import hit_json, marked, run_search
    from whylog.query import parse_query

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
        raise Found("no records match")


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
        raise Found(f"no records explain {target}")


def _repo_relative(root: Path, target: str) -> str:
    """A target typed from a subfolder means that folder's file: make it relative to the repo root."""
    path, sep, lines = target.rpartition(":") if _has_lines(target) else (target, "", "")
    full = (Path.cwd() / path).resolve()
    try:
        path = full.relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    return f"{path}{sep}{lines}"


def _has_lines(target: str) -> bool:
    tail = target.rpartition(":")[2]
    return tail.replace("-", "").isdigit()


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
@click.pass_context
def lint(ctx: click.Context, paths: tuple[Path, ...], fix: bool, fail_on: str, fmt: str) -> None:
    """Check record files against the template rules (all record files, or PATHs)."""
    from importlib.metadata import version

    from whylog.lint import at_or_above, fix_paths, lint_paths
    from whylog.rules import report

    config = _config(ctx)
    if fix:
        applied, found = fix_paths(config, paths)
        click.echo(f"fixed {applied} finding{'s' if applied != 1 else ''}", err=True)
    else:
        found = lint_paths(config, paths)
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
    from whylog.rules import report

    if code is None:
        click.echo(report.format_rules(), nl=False)
        return
    text = report.format_rule(code)
    if text is None:
        raise NotFound(f"no rule {code!r}; `whylog rules` lists them", code)
    click.echo(text, nl=False)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Say what would move; change nothing.")
@click.pass_context
def archive(ctx: click.Context, dry_run: bool) -> None:
    """Move old records to archive files by the [archive] thresholds, losing nothing."""
    from whylog.lifecycle.archive import archive as run_archive

    plan = run_archive(_config(ctx), dry_run=dry_run)
    verb = "would move" if dry_run else "moved"
    for move in plan.moves:
        new = " (new file)" if move.created else ""
        span = f"{move.first_id} .. {move.last_id}"
        if move.already:
            span += f"; {move.already} already there from an interrupted run"
        click.echo(f"{move.source} -> {move.target}{new}: {verb} {_plural(move.count, 'record')} ({span})")
    if not plan.moves:
        click.echo("nothing to archive")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.pass_context
def status(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Progress: features passing (and the trend over session notes), blockers resolved, open work, and an
    audit of the claims records make (counts, readiness, verification runs). `--format html` is a page
    with a chart."""
    from whylog.lifecycle.render import status_html, status_json, status_text
    from whylog.lifecycle.status import status as read_status

    state = read_status(_config(ctx))
    if fmt == "json":
        text = json.dumps(status_json(state), indent=2, ensure_ascii=False) + "\n"
    else:
        text = status_html(state) if fmt == "html" else status_text(state)
    if output is None:
        click.echo(text, nl=False)
        return
    from whylog.repo import write_atomic

    write_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--yes", is_flag=True, help="Run without asking (the commands are still shown first).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True)
@click.pass_context
def verify(ctx: click.Context, ids: tuple[str, ...], yes: bool, timeout: float) -> None:
    """Re-run the verification commands records state (a change document's Testing blocks, a session's
    commands, an entry's `Verify:` line), each with a timeout (seconds), after showing them. Results go to
    .whylog/verify.json, where `whylog status` reads them. Exit 1 when a command fails."""
    from whylog.lifecycle.verify import collect_commands, record_runs, run_command
    from whylog.repo import load

    config = _config(ctx)
    commands = collect_commands(load(config, skip_errors=True), ids)
    if not commands:
        raise Found("no verification commands in the records")
    click.echo(f"{_plural(len(commands), 'command')} to run in {config.root}:")
    for command in commands:
        click.echo(f"  {command.record_id}: {command.command}")
    if not yes:
        if not sys.stdin.isatty():
            click.echo("whylog: error: not run: nobody at a terminal to confirm the commands", err=True)
            click.echo("  hint: read them above, then pass --yes to run them", err=True)
            sys.exit(2)
        click.confirm("Run them?", abort=True)
    runs = []
    for command in commands:
        run = run_command(config.root, command, timeout)
        outcome = "timed out" if run.timed_out else "ok" if run.passed else f"failed (exit {run.exit_status})"
        click.echo(f"{outcome:>16}  {run.duration:.2f}s  {command.record_id}: {command.command}")
        runs.append(run)
    click.echo(f"recorded in {record_runs(config.root, runs)}")
    if not all(run.passed for run in runs):
        sys.exit(1)


@cli.command()
@click.option("--budget", type=click.IntRange(min=100), default=2000, show_default=True, help="Tokens, estimated.")
@click.option("--path", "paths", multiple=True, help="Bring the records that explain this file (repeatable).")
@click.option("--query", help="Bring the records that best match this search.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.pass_context
def context(ctx: click.Context, budget: int, paths: tuple[str, ...], query: str | None, fmt: str) -> None:
    """A brief for the start of a session: current context, open objectives, risks and blockers, open
    action items, records relevant to --path or --query, newest records; within --budget tokens,
    estimated as ceil(characters / 4)."""
    from whylog.lifecycle.context import brief_json, build_brief, render_markdown

    config = _config(ctx)
    wanted = tuple(_repo_relative(config.root, path) for path in paths)
    brief = build_brief(config, budget, wanted, query, conn=_synced(config))
    if fmt == "json":
        _emit_json(brief_json(brief))
    else:
        click.echo(render_markdown(brief), nl=False)


@cli.command()
@click.argument("incident_id", metavar="ID")
@click.option("--days", type=click.IntRange(min=1), default=14, show_default=True, help="Days before the incident.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def suspects(ctx: click.Context, incident_id: str, days: int, fmt: str) -> None:
    """The records and commits that touched an incident's files or services in the days before it
    started: same files first, then services named, then newest. Candidates for Related and root cause."""
    from whylog.lifecycle.suspects import find_suspects, format_text, report_json

    config = _config(ctx)
    report = find_suspects(config, incident_id, days, _synced(config))
    if fmt == "json":
        _emit_json(report_json(report))
    else:
        for line in format_text(report):
            click.echo(line)
    if not report.suspects:
        raise Found(f"no suspects for {report.incident.id} in the {days} days before it")


@cli.command()
@click.option("--month", help="The month to review, YYYY-MM.")
@click.option("--quarter", help="The quarter to review, YYYY-Qn.")
@click.option("--since", help="Review from this day, YYYY-MM[-DD] (no previous period to compare).")
@click.option("--until", help="Review up to this day or month, inclusive, YYYY-MM[-DD].")
@click.option("--all", "every", is_flag=True, help="Review every record's date (no previous period).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.pass_context
def review(
    ctx: click.Context,
    month: str | None,
    quarter: str | None,
    since: str | None,
    until: str | None,
    every: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """Patterns over a month or a quarter: counts by kind and type (with the change from the period before),
    recurring problems, hot files, open items with their age, blockers left open, low-confidence entries and
    what followed, time to resolve incidents. Markdown writes its charts as SVG files beside the output (or
    into .whylog/review/); HTML holds them inline. Charts need `pip install 'whylog[review]'`."""
    from whylog.lifecycle.review import review as read_review
    from whylog.lifecycle.review_period import parse_period
    from whylog.lifecycle.review_report import review_html, review_json, review_markdown
    from whylog.repo import write_atomic

    config = _config(ctx)
    report = read_review(config, parse_period(month, quarter, since, until, every))
    if fmt == "json":
        text = json.dumps(review_json(report), indent=2, ensure_ascii=False) + "\n"
    else:
        from whylog.lifecycle.review_charts import review_charts

        charts = review_charts(report)
        if fmt == "html":
            text = review_html(report, charts)
        else:
            label = report.period.label.replace("..", "_")
            text = review_markdown(report, _write_charts(config.root, charts, output, label))
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


def _write_charts(root: Path, charts: dict[str, str], output: Path | None, label: str) -> dict[str, str]:
    """SVG files beside the report (`report.md` -> `report-entries.svg`), else in .whylog/review/; returns
    the links the Markdown uses (relative to the report, or to the repo root when printed)."""
    from whylog.repo import state_dir, write_atomic

    folder = output.parent if output else state_dir(root) / "review"
    stem = output.stem if output else label
    folder.mkdir(parents=True, exist_ok=True)
    links = {}
    for name, svg in charts.items():
        path = folder / f"{stem}-{name}.svg"
        write_atomic(path, svg)
        links[name] = path.name if output else path.relative_to(root).as_posix()
    return links


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


@cli.command()
@click.pass_context
def mcp(ctx: click.Context) -> None:
    """Serve whylog's tools and records to an agent over MCP (stdio): search, why, context, show,
    add_record, lint, status, and records as resources by id."""
    from whylog.mcp import serve

    serve(_config(ctx))


@cli.command(name="merge-file")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("path", required=False)
@click.option("--marker-size", type=click.IntRange(min=1), default=7, show_default=True)
def merge_file(base: Path, ours: Path, theirs: Path, path: str | None, marker_size: int) -> None:
    """git's merge driver for record files (%O %A %B %P): keep every record both sides added, in the
    file's order, writing the result over OURS; exit 1 when a record was edited on both sides."""
    from whylog.merge import merge_files

    conflicts = merge_files(base, ours, theirs, path or str(ours), marker_size)
    if conflicts:
        click.echo(f"whylog: {conflicts} record(s) changed on both sides in {path or ours}", err=True)
        sys.exit(1)


@cli.command(name="agent-hook", hidden=True)
@click.argument("event", type=click.Choice(["session-start", "stop"]))
@click.pass_context
def agent_hook(ctx: click.Context, event: str) -> None:
    """What a coding agent's session hooks run (written by `init --agent claude`)."""
    from whylog.agents import run_hook

    sys.exit(run_hook(ctx.obj["root"], event, sys.stdin.read() if not sys.stdin.isatty() else ""))


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def renumber(ctx: click.Context, ids: tuple[str, ...], dry_run: bool, fmt: str) -> None:
    """Give the next free number to one of two records that share one (the one no remote has yet, else
    the one a merge brought, else the later) and rewrite the citations that came with it, in one step."""
    from whylog.renumber import renumber as run

    changes = run(_config(ctx), ids, dry_run=dry_run)
    if fmt == "json":
        _emit_json([change.to_json() for change in changes])
        return
    if not changes:
        raise Found("no record shares its id with another")
    for change in changes:
        click.echo(change.describe(dry_run))


class _KindGroup(click.Group):
    """Builds `add KIND` commands on first use, so `whylog --help` does not import the record model."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(KINDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _add_command(cmd_name) if cmd_name in KINDS else None


@cli.group(cls=_KindGroup)
def add() -> None:
    """Write a new record in the canonical template, where its file's order puts it.

    People pass fields as options; programs and agents pass the JSON envelope with --json - (options
    given as well override it). The id and source are assigned. Nothing else in the file changes.
    """


def _add_command(kind: str) -> click.Command:
    from whylog.flags import field_options

    params: list[click.Parameter] = [
        click.Option(["--title"], help="One line saying what changed and why it matters."),
        click.Option(["--date"], help="ISO date or time, UTC (default: now)."),
        click.Option(["--tag"], multiple=True, help="Keyword such as SECURITY or CVE-2024-1234 (repeatable)."),
        click.Option(["--file", "files"], multiple=True, help="src/app.py:10-20, or `path` (new file) (repeatable)."),
        click.Option(["--link"], multiple=True, help="A related record, issue or document (repeatable)."),
        click.Option(
            ["--json", "json_input"],
            type=click.File("r", encoding="utf-8"),
            help="Read the record's JSON envelope from this file, or - for stdin.",
        ),
        click.Option(["--format", "fmt"], type=FORMATS, default="text", show_default=True),
        *_capture_options(),
    ]
    for option in field_options(kind):
        if option.kind == "flag":
            params.append(
                click.Option([f"{option.flag}/--no-{option.flag[2:]}", option.name], default=None, help=option.help)
            )
        else:
            kind_type = click.INT if option.kind == "integer" else click.STRING
            params.append(
                click.Option([option.flag, option.name], type=kind_type, multiple=option.multiple, help=option.help)
            )

    @click.pass_context
    def callback(ctx: click.Context, /, **values: Any) -> None:
        from whylog.flags import record_from_input
        from whylog.model import to_json
        from whylog.placement import add_record

        config = _config(ctx.find_root())
        defaults = None if values["from_git"] is None else _from_git(config.root, kind, values["from_git"])
        record = record_from_input(kind, values, defaults)
        if values["edit"]:
            record = _edited(record)
        written = add_record(config, record, allow_secret=values["allow_secret"])
        assert written.source is not None
        if values["fmt"] == "json":
            _emit_json(to_json(written))
        else:
            where = f"{written.source.path}:{written.source.start_line}-{written.source.end_line}"
            click.echo(f"added {written.id} to {where}")

    return click.Command(
        kind, params=params, callback=callback, help=f"Add {'an' if kind[0] in 'aeiou' else 'a'} {kind} record."
    )


def _capture_options() -> list[click.Parameter]:
    git_help = (
        "Fill the files, line ranges, title (the commit subject) and entry type from git: alone, the staged"
        " change (then --title is needed); with a value, that commit REV or the range A..B. Options and --json"
        " override what git gives; --file replaces its files."
    )
    return [
        click.Option(["--from-git", "from_git"], is_flag=False, flag_value="", metavar="[REV]", help=git_help),
        click.Option(["--edit"], is_flag=True, help="Open $EDITOR on the record before writing it."),
        click.Option(["--allow-secret"], is_flag=True, help="Write it even if it seems to hold a credential."),
    ]


def _from_git(root: Path, kind: str, rev: str) -> dict[str, Any]:
    from whylog import git
    from whylog.capture import capture, envelope

    top = git.repo_root(root)
    if top is None:
        raise WhylogError("--from-git: not inside a git work tree", str(root))
    return envelope(capture(top, rev or None), kind)


def _edited(record: Any) -> Any:
    """The record as the person leaves it in $EDITOR, read back with its kind's reader."""
    import dataclasses

    from whylog.errors import WriteError
    from whylog.markdown.readers import read_text
    from whylog.markdown.writers import render
    from whylog.placement import now_utc

    if not record.date:
        record = dataclasses.replace(record, date=now_utc().strftime("%Y-%m-%dT%H:%M:00Z"))
    text = click.edit(render(record), extension=".md", require_save=True)
    if text is None:
        raise click.exceptions.Abort()
    found = [r for r in read_text(text, "<edited>", record.kind).records if r.kind == record.kind]
    if len(found) != 1:
        raise WriteError(f"the edited text holds {len(found)} {record.kind} records; expected one", "<edited>")
    return dataclasses.replace(found[0], id="", source=None)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="whylog", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("whylog: aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except Found as exc:
        click.echo(f"whylog: {exc}", err=True)
        sys.exit(1)
    except NotFound as exc:
        if debug:
            raise
        _error(exc)
        sys.exit(1)
    except WhylogError as exc:
        if debug:
            raise
        _error(exc)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)


def _error(exc: WhylogError) -> None:
    click.echo(f"whylog: error: {exc}", err=True)
    if exc.hint:
        click.echo(f"  hint: {exc.hint}", err=True)
