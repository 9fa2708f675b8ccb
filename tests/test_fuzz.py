"""Every door with arbitrary input: no traceback, ever.

Every CLI command (found by walking the click group, so a new command is fuzzed without a change here) runs
in-process through the real entry point with arguments drawn from strings holding NUL and other control
characters, huge and negative numbers, dates at and past the bounds, query filters and paths outside the
repo; it must exit 0, 1 or 2 and print no traceback. Every MCP tool (found through the SDK's own client's
`list_tools`) is called with arguments drawn from its input schema, and with values of the wrong type; it
must answer with an ordinary result or the one error shape (`{"error": {message, path, line, hint}}`).

Commands that would run for long or write outside the test's folder are run so that they do not: `mcp`
with an empty stdin (it ends at end of input), `verify` never with `--yes` (it shows its commands and stops,
as nobody is at a terminal), `demo` always with `--dir` inside the test's folder, `--edit` with an editor
that changes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp.shared.exceptions import MCPError

from tests.conftest import EXAMPLES, _entry
from tests.scripted_git import ENV, Repo
from tests.test_mcp import Client, serving
from whylog.cli import cli

FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
MCP_FUZZ = settings(FUZZ, max_examples=20)

# --- the values ---------------------------------------------------------------------------------------

_CONTROLS = "".join(chr(c) for c in [*range(0, 32), 127, 0x85, 0x9B, 0x200B, 0x2028])
ODD_DATES = [
    "9999-12-31",
    "9999-12",
    "9999-Q4",
    "0001-01-01",
    "0000-01",
    "1899-12-31",
    "1900-01-01",
    "10000-01-01",
    "2026-13-45",
    "2026-02-30 25:61 UTC",
    "9999-12-31 23:59 -05:00",
    "1900-01-01 00:00 +05:00",
    "December 31, 9999",
    "30d",
    "99999999999d",
    "yesterday",
]
NUMBERS = ["0", "-1", "-99999999999", "99999999999999999999999", "1e309", "nan", "inf", "1.5", "0x10", "１２"]
PATHS = [
    "SYSTEM_LOG.md",
    "INCIDENTS.md",
    "src/app.py",
    "src/app.py:3",
    "src/app.py:99999999999999999999",
    "src/app.py:5-2",
    "src/app.py:-3",
    "src/app.py:0",
    "src/app.py:abc",
    "../outside.md",
    "../../etc/passwd",
    "/proc/whylog-fuzz/x.md",  # absolute, outside the repo; nothing can be made there
    ".git/config",
    ".whylog",
    "docs/adr/",
    "",
    ".",
]
QUERIES = [
    "since:9999-12-31",
    "until:9999-12-31",
    "since:0001-01-01",
    "since:99999999999d",
    "confidence<abc",
    "confidence<99999999999999999999",
    "file:../../etc",
    'kind:incident "unclosed',
    "NOT",
    "*",
    "id:",
    "AND OR NOT ( ) : ^",
]
IDS = ["LOG-2026-11-24-1140", "INC-2026-001", "ADR-001", "LOG-9999-12-31", "ADR-99999999999999999999", "FIL001"]
# Values a person might give an option or argument of this name: most examples should get past the parser
# and into the core, where the dates, numbers and paths above do their work.
LIKELY = {
    "month": ["2026-03", "9999-12", "1900-01", "0000-01", "2026-13"],
    "quarter": ["2026-Q1", "9999-Q4", "1900-Q1", "0001-Q1", "2026-Q5"],
    "since": ["2026-01", "2026-03-01", "9999-12-31", "1899-12", "30d", "2026-02-30"],
    "until": ["2026-12", "9999-12-31", "9999-12", "9999", "1900-01-01", "2026-13"],
    "date": ["2026-11-24 09:30 UTC", "2026-11-24", *ODD_DATES],
    "updated": ["2026-11-24", *ODD_DATES],
    "days": ["1", "14", "99999999", "99999999999999999999", "0", "-3"],
    "limit": ["1", "10", "0", "-1", "99999999999999999999"],
    "budget": ["100", "2000", "99", "99999999999999999999"],
    "timeout": ["0.01", "0", "-1", "1e309", "nan"],
    "marker_size": ["7", "1", "0", "99999999999999999999"],
    "number": ["1", "0", "-1", "99999999999999999999"],
    "type": ["Implementation", "Bug Fix", "Incident", "nope"],
    "confidence": ["90% - tested", "101%", "-5%", "abc", "99999999999999999999%"],
    "title": ["Fixed the queue", "Line one\nline two", "x" * 300, ""],
    "file": PATHS,
    "files": PATHS,
    "paths": PATHS,
    "path": PATHS,
    "target": PATHS,
    "base": PATHS,
    "ours": PATHS,
    "theirs": PATHS,
    "folder": ["demo"],
    "output": ["out.md", "SYSTEM_LOG.md", "../outside.md", "/proc/whylog-fuzz/x.md", "", ".", "a/b/c.json"],
    "query": QUERIES + ["lock", "why did we pick postgres"],
    "ids": IDS,
    "record_id": IDS,
    "incident_id": IDS,
    "code": ["ENT001", "FIL001", "XYZ999", ""],
    "json_input": ["-", "SYSTEM_LOG.md", "missing.json"],
    "from_git": ["HEAD", "HEAD~1", "HEAD~99", "--all", "-x", "main..HEAD"],
    "tag": ["SECURITY", "", "a b"],
    "kind": ["entry", "incident", "decision", "change", "session", "story", "context", "feature", "nope"],
}

printable = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=24)
text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(_CONTROLS), max_size=24)
curated = st.sampled_from(ODD_DATES + NUMBERS + PATHS + QUERIES + IDS)
word = st.one_of(
    curated,
    printable,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    curated,
    printable,
    text,
    st.builds(lambda a, c, b: a + c + b, st.sampled_from(PATHS + IDS + ODD_DATES), st.sampled_from(_CONTROLS), text),
)


def _value(param: click.Parameter) -> st.SearchStrategy[str]:
    """Mostly a likely value for the parameter (a choice it offers, or one of LIKELY), now and then anything."""
    kind = param.type
    likely: list[str] = LIKELY.get(param.name or "", [])
    if isinstance(kind, click.Choice):
        likely = [str(c) for c in kind.choices]
    elif isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        likely = likely or NUMBERS
    if not likely:  # free text: mostly printable, so that the rest of the command line gets its turn
        return st.one_of(printable, printable, curated, word)
    return st.one_of(st.sampled_from(likely), st.sampled_from(likely), st.sampled_from(likely), word)


@st.composite
def _arguments(draw: st.DrawFn, command: click.Command, path: tuple[str, ...]) -> list[str]:
    """Each option with a chance of one in three (given twice, for some that repeat), the arguments, and now
    and then something out of place."""
    args: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument):
            count = draw(st.integers(0, 3)) if param.nargs == -1 else param.nargs
            args += [draw(_value(param)) for _ in range(count)]
            continue
        assert isinstance(param, click.Option)
        if draw(st.integers(0, 2)) or param.name in SKIPPED_OPTIONS.get(path, ()):
            continue
        name = max(param.opts, key=len)
        if param.is_flag:
            args.append(name)
            continue
        for _ in range(draw(st.integers(1, 2)) if param.multiple else 1):
            args += [name, draw(_value(param))]
    if not draw(st.integers(0, 5)):  # options out of place, unknown ones, a stray `--`
        args.insert(draw(st.integers(0, len(args))), draw(st.sampled_from(["--", "--nope", "-x", "--help", "-"])))
    return args


# Options the fuzz leaves out, and why: `verify --yes` would run the records' commands.
SKIPPED_OPTIONS = {("verify",): {"yes"}}


def _commands() -> list[tuple[tuple[str, ...], click.Command]]:
    """Every leaf command under the group, hidden ones and lazily built ones included."""
    found: list[tuple[tuple[str, ...], click.Command]] = []

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None
            if isinstance(command, click.Group):
                walk(command, (*prefix, name))
            else:
                found.append(((*prefix, name), command))

    walk(cli, ())
    return found


COMMANDS = _commands()


# --- the repo -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples (a few records of every kind) and some code, committed twice, after init."""
    root = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(EXAMPLES, root)
    repo = Repo(root)
    for sample in (root / ".git" / "hooks").glob("*.sample"):
        sample.unlink()  # fewer files to copy for every example
    repo.write("src/app.py", [f"line {n}" for n in range(1, 21)])
    code, _, err = _run(root, ["init", "--no-merge-driver"], "")
    assert code == 0, err
    repo.commit("records and code")
    repo.insert("src/app.py", 0, ["new"])
    repo.commit("one line on top")
    return root


# Commands that write nothing in the repo but the index: their examples share one copy of it (copying the
# repo for every example costs more than most runs). Any other command, or one given -o, gets a fresh copy.
READ_ONLY = {"list", "show", "search", "why", "context", "suspects", "review", "status", "rules", "parse", "verify"}
READ_ONLY |= {"export", "agent-hook", "mcp"}


@contextmanager
def _working_copy(template: Path, folder: Path, fresh: bool) -> Iterator[Path]:
    """A copy of the repo to run in, with the working folder inside it: a fresh one, or the folder's."""
    root = folder / ("fresh" if fresh else "shared") / "repo"
    if not root.exists():
        shutil.copytree(template, root, symlinks=True)
    here = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(here)
        if fresh:
            shutil.rmtree(root.parent)


def _run(root: Path, args: list[str], stdin: str) -> tuple[int, str, str]:
    """The real entry point in-process; an exception escaping it is a failure, not exit status 1."""
    env = {**ENV, "EDITOR": "true", "VISUAL": "true", "GIT_EDITOR": "true"}
    result = CliRunner().invoke(_entry, ["-C", str(root), *args], input=stdin, env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


envelope = st.fixed_dictionaries(
    {"title": word},
    optional={
        "date": st.sampled_from(ODD_DATES),
        "kind": st.sampled_from(["entry", "incident", "nope", ""]),
        "tags": st.lists(word, max_size=2),
        "files": st.lists(
            st.fixed_dictionaries({"path": st.sampled_from(PATHS)}, optional={"lines": st.just([[5, 2]])}), max_size=2
        ),
        "links": st.lists(st.fixed_dictionaries({"text": word}), max_size=2),
        "fields": st.dictionaries(
            st.sampled_from(["type", "result", "severity", "root_cause", "confidence", "number", "items"]),
            st.one_of(word, st.integers(-(10**20), 10**20), st.lists(word, max_size=2), st.none()),
            max_size=3,
        ),
    },
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["title", "fields", "a"]), inner),
    max_leaves=8,
)
stdin = st.one_of(st.just(""), st.just(""), text, json_value.map(json.dumps), envelope.map(json.dumps))


def _special(path: tuple[str, ...], args: list[str], root: Path) -> list[str]:
    """`demo` writes into a folder of its own: always one inside the test's folder."""
    if path == ("demo",):
        return ["--dir", str(root.parent / "demo")]
    return args


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_takes_any_arguments_without_a_traceback(
    path: tuple[str, ...], command: click.Command, template: Path, tmp_path: Path
) -> None:
    @FUZZ
    @given(args=_arguments(command, path), given_stdin=stdin)
    def fuzz(args: list[str], given_stdin: str) -> None:
        fresh = path[0] not in READ_ONLY or "-o" in args or "--output" in args
        with _working_copy(template, tmp_path, fresh) as root:
            full = [*path, *_special(path, args, root)]
            code, out, err = _run(root, full, given_stdin)
        assert code in (0, 1, 2), (full, code, out, err)
        assert "Traceback" not in out + err, (full, out, err)

    fuzz()


def test_every_command_is_fuzzed() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"add entry", "add feature", "review", "suspects", "why", "mcp", "demo", "verify"} <= names


# --- MCP ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """`whylog mcp` on a copy of the repo (add_record writes), through the SDK's own client."""
    root = tmp_path_factory.mktemp("mcp") / "repo"
    shutil.copytree(template, root, symlinks=True)
    with serving(root) as connected:
        yield connected


def _from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of the type a JSON schema names, with the awkward content above; now and then one of another
    type, which the server must refuse in the same error shape."""
    other = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), text, st.lists(text, max_size=2))
    if "anyOf" in schema:
        return st.one_of([_from_schema(choice) for choice in schema["anyOf"]])
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), word)
    kind = schema.get("type")
    typed: st.SearchStrategy[Any]
    if kind == "string":
        typed = word
    elif kind == "integer":
        typed = st.one_of(st.integers(-(10**30), 10**30), st.integers(-5, 5000))
    elif kind == "number":
        typed = st.floats()
    elif kind == "boolean":
        typed = st.booleans()
    elif kind == "null":
        typed = st.none()
    elif kind == "array":
        typed = st.lists(_from_schema(schema.get("items", {})), max_size=3)
    elif kind == "object":
        typed = st.one_of(envelope, st.dictionaries(text, json_value, max_size=3))
    else:
        typed = json_value
    return st.one_of(typed, typed, typed, other)


def _tool_arguments(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {name: _from_schema(p) for name, p in properties.items() if name in required},
        optional={name: _from_schema(p) for name, p in properties.items() if name not in required},
    )


def _ordinary_or_the_error_shape(client: Client, tool: str, arguments: dict[str, Any]) -> None:
    result = client.call(tool, arguments)
    [block] = result.content
    assert block.type == "text"
    if result.is_error:
        assert result.structured_content is not None, (tool, arguments, block.text)
        error = result.structured_content["error"]
        assert list(result.structured_content) == ["error"]
        assert sorted(error) == ["hint", "line", "message", "path"]
        assert isinstance(error["message"], str) and error["message"] and isinstance(error["line"], int)
        assert block.text.split("\n")[0].endswith(error["message"])
    else:
        assert json.loads(block.text) == result.structured_content


def test_every_tool_takes_any_input_without_a_traceback(client: Client) -> None:
    tools = client.list_tools().tools
    assert {"search", "why", "context", "show", "lint", "status", "add_record"} <= {tool.name for tool in tools}
    calls = st.one_of([st.tuples(st.just(t.name), _tool_arguments(t.input_schema)) for t in tools])

    @settings(MCP_FUZZ, max_examples=MCP_FUZZ.max_examples * len(tools))
    @given(call=calls)
    def fuzz(call: tuple[str, dict[str, Any]]) -> None:
        _ordinary_or_the_error_shape(client, *call)

    fuzz()
    assert "Traceback" not in client.server_log()


def test_a_record_read_by_any_id_without_a_traceback(client: Client) -> None:
    @MCP_FUZZ
    @given(record_id=word)
    def fuzz(record_id: str) -> None:
        try:
            client.read(f"whylog://record/{record_id}")
        except MCPError as exc:
            assert "Traceback" not in str(exc)

    fuzz()
    assert "Traceback" not in client.server_log()


@pytest.mark.parametrize(
    "tool,arguments,message",
    [
        ("why", {"target": "src/a\x00b.py"}, "target holds control character U+0000"),
        ("search", {"query": "\x1b[2Jlock"}, "query holds control character U+001B"),
        ("context", {"paths": ["ok", "a\rb"]}, "paths[1] holds control character U+000D"),
        ("show", {"id": "INC\x9b"}, "id holds control character U+009B"),
        ("lint", {"paths": ["SYSTEM_LOG.md\x00"]}, "paths[0] holds control character U+0000"),
        (
            "add_record",
            {"kind": "entry", "record": {"title": "x", "fields": {"actions": ["a\x00"]}}},
            "record.fields.actions[0] holds control character U+0000",
        ),
        ("search", {"query": "lock", "limit": 0}, "limit: Input should be greater than or equal to 1"),
        (
            "context",
            {"budget": "lots"},
            "budget: Input should be a valid integer, unable to parse string as an integer",
        ),
    ],
)
def test_a_bad_input_is_the_one_error_shape(client: Client, tool: str, arguments: dict[str, Any], message: str) -> None:
    before = (client.root / "SYSTEM_LOG.md").read_bytes()
    result = client.call(tool, arguments)
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"]["message"] == message
    assert (client.root / "SYSTEM_LOG.md").read_bytes() == before
