"""Input the command line refuses in one line (exit 2) instead of reading it some other way: a repeated
single-value option, a date filter that is not a date, a number that is not one, a bad line spec."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from tests.conftest import run_cli as run
from whylog.cli import cli

ENTRY = (
    "# SYSTEM_LOG\n\n"
    "## 2026-11-20 10:00 UTC - Capped webhook retries at five attempts\n"
    "**Type:** Bug Fix\n"
    "**Affected Files:**\n"
    "- `src/webhook.py` (lines 10-40)\n"
    "**Chain of Reasoning:**\n"
    "- **Observation:** Retries ran forever\n"
    "- **Hypothesis:** No cap\n"
    "- **Action:** Capped at 5\n"
    "**Result:**\n"
    "- Retries capped at 5 in the soak test\n"
    "**Confidence:** 90% - Soak tested for one day\n"
    "---\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "SYSTEM_LOG.md").write_text(ENTRY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["init", "--no-merge-driver"])[0] == 0
    return tmp_path


# --- a repeated single-value option ------------------------------------------------------------------


def test_a_repeated_single_value_option_is_an_error_and_nothing_is_written(repo: Path) -> None:
    before = (repo / "SYSTEM_LOG.md").read_bytes()
    code, out, err = run(
        ["add", "entry", "--title", "Raised the pool size for report workers", "--result", "A", "--result", "B"]
    )
    assert (code, out) == (2, "")
    assert "--result is given more than once; it takes one value" in err
    assert "Traceback" not in err
    assert (repo / "SYSTEM_LOG.md").read_bytes() == before


@pytest.mark.parametrize(
    "args, name",
    [
        (["list", "--since", "2026-01", "--since", "2026-02"], "--since"),
        (["search", "pool", "--limit", "1", "--limit", "2"], "--limit"),
        (["-C", ".", "-C", ".", "list"], "--root"),
        (["lint", "--format", "json", "--format", "text"], "--format"),
    ],
)
def test_every_command_refuses_a_repeated_single_value_option(repo: Path, args: list[str], name: str) -> None:
    code, out, err = run(args)
    assert code == 2 and out == ""
    assert f"{name} is given more than once; it takes one value" in err


def test_repeatable_options_and_flags_may_repeat(repo: Path) -> None:
    code, out, _ = run(["list", "--kind", "entry", "--kind", "incident"])
    assert code == 0 and "LOG-2026-11-20-1000" in out


def _commands(command: click.Command) -> list[click.Command]:
    out = [command]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            out += _commands(sub)
    return out


def test_every_command_is_of_the_class_that_refuses_repeats() -> None:
    from whylog.cli import Command, Group

    for command in _commands(cli):
        assert isinstance(command, (Command, Group)), command.name
