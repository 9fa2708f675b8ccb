"""`whylog add KIND`: one subcommand per record kind, built on first use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from whylog.cli import FORMATS, KINDS, Command, Group, _config, _emit_json, cli
from whylog.model.errors import WhylogError


class _KindGroup(Group):
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
    from whylog.writing.flags import field_options

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
        from whylog.model import to_json
        from whylog.writing.flags import record_from_input
        from whylog.writing.placement import add_record

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
            click.echo(f"added {written.id} to {_where(written)}")
        if values["from_git"] is not None:
            _tell_unfilled(written)

    return Command(
        kind, params=params, callback=callback, help=f"Add {'an' if kind[0] in 'aeiou' else 'a'} {kind} record."
    )


def _where(record: Any) -> str:
    return f"{record.source.path}:{record.source.start_line}-{record.source.end_line}"


def _tell_unfilled(record: Any) -> None:
    """Git gives an entry its files, title and type; say what is still empty, and where to write it."""
    from whylog.writing.flags import unfilled

    missing = unfilled(record)
    if missing:
        labels, options = ", ".join(label for label, _ in missing), " ".join(flag for _, flag in missing)
        click.echo(
            f"whylog: fill in {labels} of {record.id} at {_where(record)} "
            f"(next time pass {options} with --from-git, or --edit to write them before it is saved)",
            err=True,
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
    from whylog.writing.capture import capture, envelope

    top = git.repo_root(root)
    if top is None:
        raise WhylogError("--from-git: not inside a git work tree", str(root))
    return envelope(capture(top, rev or None), kind)


def _edited(record: Any) -> Any:
    """The record as the person leaves it in $EDITOR, read back with its kind's reader."""
    import dataclasses

    from whylog.markdown.readers import read_text
    from whylog.markdown.writers import render
    from whylog.model.errors import WriteError
    from whylog.writing.placement import now_utc

    if not record.date:
        record = dataclasses.replace(record, date=now_utc().strftime("%Y-%m-%dT%H:%M:00Z"))
    text = click.edit(render(record), extension=".md", require_save=True)
    if text is None:
        raise click.exceptions.Abort()
    found = [r for r in read_text(text, "<edited>", record.kind).records if r.kind == record.kind]
    if len(found) != 1:
        raise WriteError(f"the edited text holds {len(found)} {record.kind} records; expected one", "<edited>")
    return dataclasses.replace(found[0], id="", source=None)
