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


RECORDS = {"SYSTEM_LOG.md": ENTRY}

# --- a repeated single-value option ------------------------------------------------------------------


def test_a_repeated_single_value_option_is_an_error_and_nothing_is_written(log_repo: Path) -> None:
    before = (log_repo / "SYSTEM_LOG.md").read_bytes()
    code, out, err = run(
        ["add", "entry", "--title", "Raised the pool size for report workers", "--result", "A", "--result", "B"]
    )
    assert (code, out) == (2, "")
    assert "--result is given more than once; it takes one value" in err
    assert "Traceback" not in err
    assert (log_repo / "SYSTEM_LOG.md").read_bytes() == before


@pytest.mark.parametrize(
    "args, name",
    [
        (["list", "--since", "2026-01", "--since", "2026-02"], "--since"),
        (["search", "pool", "--limit", "1", "--limit", "2"], "--limit"),
        (["-C", ".", "-C", ".", "list"], "--root"),
        (["lint", "--format", "json", "--format", "text"], "--format"),
    ],
)
def test_every_command_refuses_a_repeated_single_value_option(log_repo: Path, args: list[str], name: str) -> None:
    code, out, err = run(args)
    assert code == 2 and out == ""
    assert f"{name} is given more than once; it takes one value" in err


def test_repeatable_options_and_flags_may_repeat(log_repo: Path) -> None:
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


# --- dates, numbers and line specs ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["yesterday", "2026-13", "2026-02-30", "30 days", "99999999d", ""])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_list_refuses_a_date_filter_that_is_not_a_date(log_repo: Path, option: str, value: str) -> None:
    code, out, err = run(["list", option, value])
    assert (code, out) == (2, "")
    assert err.startswith(f"whylog: error: {option} {value!r} ") and len(err.splitlines()) == 1
    assert "expected YYYY, YYYY-MM, YYYY-MM-DD, or a span back from today such as 30d" in err


@pytest.mark.parametrize("value", ["2026-13", "2026-02-30", "yesterday"])
def test_search_refuses_the_same_values(log_repo: Path, value: str) -> None:
    code, out, err = run(["search", f"since:{value}"])
    assert (code, out) == (2, "")
    assert f"{value!r} is" in err and "a span back from today such as 30d" in err


def test_list_takes_what_search_takes(log_repo: Path) -> None:
    for since in ("2026", "2026-11", "2026-11-20", "99999d"):
        code, out, _ = run(["list", "--since", since])
        assert code == 0 and out.startswith("LOG-2026-11-20-1000"), since
        assert run(["search", f"since:{since}"])[0] == 0
    assert run(["list", "--since", "2026-11-21"])[0] == 1
    assert run(["list", "--until", "2026-11-19"])[0] == 1
    assert run(["list", "--until", "2026-11"])[0] == 0
    assert run(["list", "--since", "1d"]) == (1, "", "whylog: no records match\n")


@pytest.mark.parametrize("query", ["confidence<abc", "confidence>=", "confidence=101", "confidence<8x"])
def test_a_bad_number_in_a_filter_is_an_error(log_repo: Path, query: str) -> None:
    code, out, err = run(["search", query])
    assert (code, out) == (2, "")
    assert "a number from 0 to 100" in err and "column 1" in err


def test_a_good_number_in_a_filter_still_filters(log_repo: Path) -> None:
    assert run(["search", "confidence>80"])[0] == 0
    assert run(["search", "confidence < 80"])[0] == 1


@pytest.mark.parametrize("target", ["src/webhook.py:abc", "src/webhook.py:1x", "SYSTEM_LOG.md:end"])
def test_why_refuses_a_bad_line_spec(log_repo: Path, target: str) -> None:
    code, out, err = run(["why", target])
    assert (code, out) == (2, "")
    assert f"bad target {target!r}: expected a line number or START-END after ':'" in err


def test_why_takes_a_file_whose_name_holds_a_colon(log_repo: Path) -> None:
    (log_repo / "notes:v2.md").write_text("x\n", encoding="utf-8")
    code, _, err = run(["why", "notes:v2.md"])
    assert code == 1 and "no records explain notes:v2.md" in err


# --- a paragraph field given as one string -----------------------------------------------------------------


def test_from_json_takes_a_string_for_a_list_of_paragraphs() -> None:
    from whylog.model import ValidationError, from_json

    record = from_json({"kind": "incident", "title": "x", "fields": {"root_cause": "One sentence", "symptoms": ""}})
    assert (record.fields.root_cause, record.fields.symptoms) == (("One sentence",), ())  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="fields.root_cause: expected an array, got integer"):
        from_json({"kind": "incident", "title": "x", "fields": {"root_cause": 3}})


def test_add_json_takes_a_string_for_a_list_of_paragraphs(log_repo: Path) -> None:
    import json

    envelope = {"title": "Report workers ran out of connections", "fields": {"root_cause": "Pool of 5 for 20"}}
    code, out, err = run(["add", "incident", "--json", "-", "--format", "json"], stdin=json.dumps(envelope))
    assert code == 0, err
    assert json.loads(out)["fields"]["root_cause"] == ["Pool of 5 for 20"]
