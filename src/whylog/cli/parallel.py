"""Commands for agents and parallel branches: mcp, merge-file, agent-hook, renumber."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from whylog.cli import FORMATS, NothingFound, _config, _emit_json, cli


@cli.command()
@click.pass_context
def mcp(ctx: click.Context) -> None:
    """Serve whylog's tools and records to an agent over MCP (stdio): search, why, context, show,
    add_record, lint, status, and records as resources by id."""
    from whylog.mcp import serve

    serve(_config(ctx))


@cli.command(name="merge-file")
@click.argument("base", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path", required=False)
@click.option("--marker-size", type=click.IntRange(min=1), default=7, show_default=True)
def merge_file(base: Path, ours: Path, theirs: Path, path: str | None, marker_size: int) -> None:
    """git's merge driver for record files (%O %A %B %P): keep every record both sides added, in the
    file's order, writing the result over OURS; exit 1 when a record was edited on both sides."""
    from whylog.branches.merge import merge_files

    conflicts = merge_files(base, ours, theirs, path or str(ours), marker_size)
    if conflicts:
        click.echo(f"whylog: {conflicts} record(s) changed on both sides in {path or ours}", err=True)
        sys.exit(1)


@cli.command(name="agent-hook", hidden=True)
@click.argument("event", type=click.Choice(["session-start", "stop"]))
@click.pass_context
def agent_hook(ctx: click.Context, event: str) -> None:
    """What a coding agent's session hooks run (written by `init --agent claude`)."""
    from whylog.agents import hook_result

    result = hook_result(ctx.obj["root"], event, sys.stdin.read() if not sys.stdin.isatty() else "")
    # The hook's output channel: the agent reads stdout (session start) and stderr (stop).
    click.echo(result.stdout, nl=False)
    click.echo(result.stderr, nl=False, err=True)
    sys.exit(result.status)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def renumber(ctx: click.Context, ids: tuple[str, ...], dry_run: bool, fmt: str) -> None:
    """Give the next free number to one of two records that share one (the one no remote has yet, else
    the one a merge brought, else the later) and rewrite the citations that came with it, in one step."""
    from whylog.branches.renumber import renumber as run

    changes = run(_config(ctx), ids, dry_run=dry_run)
    if fmt == "json":
        _emit_json([change.to_json() for change in changes])
        return
    if not changes:
        raise NothingFound("no record shares its id with another")
    for change in changes:
        click.echo(change.describe(dry_run))
