"""The command line: a thin door over the library. Parses input, calls the core, formats the result.

Exit status: 0 success, 1 nothing found, 2 bad usage or bad input (one line naming file and line).
Heavy modules are imported inside the commands that need them; `whylog --help` imports click and little else.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from whylog.model.errors import NotFound, WhylogError

KINDS = ("entry", "incident", "decision", "change", "session", "story", "context", "feature", "release")
FORMATS = click.Choice(["text", "json"])
AGENTS = ("claude", "cursor", "windsurf", "cline", "codex", "copilot")  # `init --agent`; whylog.agents has the same


class NothingFound(Exception):
    """Nothing matched: exit status 1 with a message, not an error."""


def _refuse_repeated(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """A single-value option given twice is a usage error, not a silent overwrite (`--result A --result
    B` kept only B). Flags, counters and repeatable options may repeat."""
    if ctx.resilient_parsing:
        return
    _, _, order = command.make_parser(ctx).parse_args(args=list(args))
    seen: set[str] = set()
    for param in order:
        if not isinstance(param, click.Option) or param.multiple or param.count or param.is_flag:
            continue
        if param.name in seen:
            name = max(param.opts, key=len)
            raise click.UsageError(f"{name} is given more than once; it takes one value", ctx)
        seen.add(param.name or "")


class Command(click.Command):
    """Every whylog command: refuses a repeated single-value option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _refuse_repeated(self, ctx, args)
        return super().parse_args(ctx, args)


class Group(click.Group):
    """Every whylog group: its own options and its commands' refuse a repeated single-value option."""

    command_class = Command
    group_class = type  # subgroups are of this class too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _refuse_repeated(self, ctx, args)
        return super().parse_args(ctx, args)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


class OutputFile(click.Path):
    """`-o FILE`: a file name, not a folder (its folder is made when missing)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and Path(value).name in ("", ".", ".."):
            self.fail(f"{value!r} is not a file name", param, ctx)
        return super().convert(value, param, ctx)


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Writing to a file the user named: the system's refusal (no permission, a file where a folder should
    be) is one line naming the file."""
    try:
        yield
    except OSError as exc:
        raise WhylogError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def _config(ctx: click.Context) -> Any:
    from whylog.repo import find_root, read_config

    root = ctx.obj["root"]
    return read_config(root.resolve() if root else find_root())


def _emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _synced(config: Any) -> Any:
    """The synced index; first, one warning on stderr for each record file that was not read cleanly."""
    from whylog.index.sqlite import open_synced, warning_lines

    conn = open_synced(config)
    for warning in warning_lines(conn):
        click.echo(f"whylog: warning: {warning}", err=True)
    return conn


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _has_lines(target: str) -> bool:
    tail = target.rpartition(":")[2]
    return tail.replace("-", "").isdigit()


def _repo_relative(root: Path, target: str) -> str:
    """A target typed from a subfolder means that folder's file: make it relative to the repo root."""
    path, sep, lines = target.rpartition(":") if _has_lines(target) else (target, "", "")
    full = (Path.cwd() / path).resolve()
    try:
        path = full.relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    return f"{path}{sep}{lines}"


def _refuse_controls(args: list[str]) -> None:
    """No control character but tab and newline in any argument: NUL cannot reach a file name or a
    subprocess, escape codes cannot rewrite what the terminal shows (whylog.model.bounds)."""
    from whylog.model.bounds import control_character

    for number, arg in enumerate(args, start=1):
        found = control_character(arg)
        if found is not None:
            after = f" (after {args[number - 2]})" if number > 1 and args[number - 2].startswith("-") else ""
            raise WhylogError(
                f"argument {number}{after} holds control character {found}: {arg!r}",
                hint="arguments may hold tab and newline, no other control characters",
            )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        _refuse_controls(args)
        cli.main(args=args, prog_name="whylog", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("whylog: aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except NothingFound as exc:
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


# The commands, by subject; each module adds its commands to `cli` when imported.
from whylog.cli import add, lifecycle, parallel, records  # noqa: E402, F401
