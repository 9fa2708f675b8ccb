"""Commands that keep the memory alive: archive, status, verify, context, suspects, review."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from whylog.cli import (
    FORMATS,
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

if TYPE_CHECKING:
    from whylog.checks.verify import Command, Run


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
@click.option("-o", "--output", type=OutputFile(), help="Write to this file.")
@click.pass_context
def status(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Progress: features passing (and the trend over session notes), blockers resolved, open work, and an
    audit of the claims records make (counts, readiness, verification runs). `--format html` is a page
    with a chart."""
    from whylog.lifecycle.render import status_html, status_json, status_text
    from whylog.lifecycle.status import status as read_status

    config = _config(ctx)
    conn = _synced(config)  # warns about record files that were not read cleanly
    try:
        state = read_status(config, conn)
    finally:
        conn.close()
    if fmt == "json":
        text = json.dumps(status_json(state), indent=2, ensure_ascii=False) + "\n"
    else:
        text = status_html(state) if fmt == "html" else status_text(state)
    if output is None:
        click.echo(text, nl=False)
        return
    from whylog.repo import write_atomic

    with _writing(output):
        write_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--list", "list_only", is_flag=True, help="Print the commands that would run, with their ids; run none.")
@click.option("--yes", is_flag=True, help="Run without asking (the commands are still shown first).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True)
@click.pass_context
def verify(ctx: click.Context, ids: tuple[str, ...], list_only: bool, yes: bool, timeout: float) -> None:
    """Re-run the checks records state: a change document's Testing blocks, an entry's `Verify:` line, a
    session's verification section (never its commands for the next session). Each runs in its own session
    with a timeout (seconds); a process it leaves running is killed and fails it. A command with
    control characters is shown escaped and never run. Results go to .whylog/verify.json, where `whylog
    status` reads them. Exit 1 when a command fails or is refused."""
    from whylog.checks.verify import collect_commands, record_runs, run_command
    from whylog.repo import load

    if list_only and yes:
        raise click.UsageError("--list runs nothing; drop --yes or --list")
    config = _config(ctx)
    commands = collect_commands(load(config, skip_errors=True), ids)
    if not commands:
        raise NothingFound("no verification commands in the records")
    runnable = [command for command in commands if not command.refused]
    refused = [command for command in commands if command.refused]
    _show_commands(config.root, runnable, refused)
    if list_only:
        return
    if runnable and not yes:
        if not sys.stdin.isatty():
            click.echo("whylog: error: not run: nobody at a terminal to confirm the commands", err=True)
            click.echo("  hint: read them above, then pass --yes to run them", err=True)
            sys.exit(2)
        click.confirm("Run them?", abort=True)
    runs = []
    for command in runnable:
        run = run_command(config.root, command, timeout)
        line = _command_line(command)
        click.echo(f"{_outcome(run):>16}  {run.duration:.2f}s  {line}")
        if run.left_behind:
            left = f"{run.left_behind} background process{'es' if run.left_behind > 1 else ''}"
            click.echo(f"{'':>16}  failed: {left} still running when it ended (killed)")
        runs.append(run)
    if runs:
        click.echo(f"recorded in {record_runs(config.root, runs)}")
    if refused or not all(run.passed for run in runs):
        sys.exit(1)


def _outcome(run: Run) -> str:
    if run.timed_out:
        return "timed out"
    if run.left_behind:
        return "left running"
    return "ok" if run.passed else f"failed (exit {run.exit_status})"


def _show_commands(root: Path, runnable: list[Command], refused: list[Command]) -> None:
    """The commands as they run (`--list` prints exactly this); refused ones escaped, under their own head."""
    from whylog.checks.verify import show_text

    click.echo(f"{_plural(len(runnable), 'command')} to run in {show_text(str(root))}:")
    for command in runnable:
        click.echo(f"  {_command_line(command)}")
    if refused:
        click.echo(f"{_plural(len(refused), 'command')} refused, never run (control characters, shown escaped):")
        for command in refused:
            click.echo(f"  {_command_line(command)}")


def _command_line(command: Command) -> str:
    """`ID: command`, both escaped as `Command.shown`; a command's later lines indented under its first."""
    from whylog.checks.verify import show_text

    record_id = show_text(command.record_id)
    first, *rest = command.shown.split("\n")
    pad = "\n" + " " * (len(record_id) + 4)
    return f"{record_id}: {first}" + "".join(pad + line for line in rest)


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
        raise NothingFound(f"no suspects for {report.incident.id} in the {days} days before it")


@cli.command()
@click.option("--month", help="The month to review, YYYY-MM.")
@click.option("--quarter", help="The quarter to review, YYYY-Qn.")
@click.option("--since", help="Review from this day, YYYY-MM[-DD] (no previous period to compare).")
@click.option("--until", help="Review up to this day or month, inclusive, YYYY-MM[-DD].")
@click.option("--all", "every", is_flag=True, help="Review every record's date (no previous period).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=OutputFile(), help="Write to this file.")
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
    from whylog.lifecycle.review_index import review as read_review
    from whylog.lifecycle.review_period import parse_period
    from whylog.lifecycle.review_report import review_html, review_json, review_markdown
    from whylog.repo import write_atomic

    config = _config(ctx)
    period = parse_period(month, quarter, since, until, every)
    conn = _synced(config)  # warns about record files that were not read cleanly
    try:
        report = read_review(config, period, conn=conn)
    finally:
        conn.close()
    if fmt == "json":
        text = json.dumps(review_json(report), indent=2, ensure_ascii=False) + "\n"
    else:
        from whylog.lifecycle.review_charts import review_charts

        charts = review_charts(report)
        if fmt == "html":
            text = review_html(report, charts)
        else:
            label = report.period.label.replace("..", "_")
            with _writing(output or config.root):
                text = review_markdown(report, _write_charts(config.root, charts, output, label))
    if output is None:
        click.echo(text, nl=False)
        return
    with _writing(output):
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
