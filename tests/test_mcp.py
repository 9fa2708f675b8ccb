"""`whylog mcp` end to end: the SDK's own client drives `python -m whylog -C REPO mcp` over stdio.

One server process per repo and module: an anyio blocking portal keeps the client session open across
tests, which call it from plain functions. The examples repo (always present) is a scripted git repo, so
`why` follows lines through history; the seeds scenario runs when ../shared/seeds is present.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from click.testing import CliRunner
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, TextResourceContents

from tests.conftest import EXAMPLES, copy_seeds
from tests.scripted_git import Repo
from whylog.cli import cli
from whylog.model import KINDS

CODE = "src/whylog/placement.py"  # an examples entry names its lines 140-190
SEED_PLACES = {
    "system-log-template.md": "SYSTEM_LOG.md",
    "incidents.md": "INCIDENTS.md",
    "devlog.md": "DEVLOG.md",
    "blockers-changelog.md": "docs/changes/blockers.md",
    "session-progress.txt": "progress/session-006.txt",
}
ENTRY = {
    "title": "Served the records to agents over MCP",
    "tags": ["MCP"],
    "files": [{"path": "src/whylog/mcp.py", "lines": [], "change": "new", "note": ""}],
    "fields": {
        "type": "Implementation",
        "actions": ["Added the stdio server"],
        "result": "- The client reads every tool's output",
        "confidence": {"value": 90, "reason": "end-to-end tests"},
    },
}


class Client:
    """A connected MCP client session, called from synchronous tests through the portal."""

    def __init__(self, portal: BlockingPortal, session: ClientSession, root: Path) -> None:
        self.portal = portal
        self.session = session
        self.root = root

    def call(self, tool: str, arguments: dict[str, Any] | None = None) -> CallToolResult:
        return self.portal.call(lambda: self.session.call_tool(tool, arguments or {}))

    def data(self, tool: str, arguments: dict[str, Any] | None = None) -> Any:
        """A successful call's structured content, checked against its text (the same JSON)."""
        result = self.call(tool, arguments)
        assert not result.is_error, (result.content, self.server_log())
        assert [block.type for block in result.content] == ["text"]
        assert json.loads(result.content[0].text) == result.structured_content  # type: ignore[union-attr]
        return result.structured_content

    def server_log(self) -> str:
        return (self.root.parent / "server.log").read_text(encoding="utf-8")

    def read(self, uri: str) -> TextResourceContents:
        result = self.portal.call(lambda: self.session.read_resource(uri))
        [contents] = result.contents
        assert isinstance(contents, TextResourceContents)
        return contents

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.session, name)
        return lambda *args: self.portal.call(lambda: method(*args))


@asynccontextmanager
async def _session(root: Path, log: Path) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "whylog", "-C", str(root), "mcp"])
    with log.open("w", encoding="utf-8") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


@contextmanager
def serving(root: Path) -> Iterator[Client]:
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(_session(root, root.parent / "server.log")) as session,
    ):
        yield Client(portal, session, root)


def whylog_json(root: Path, *args: str) -> Any:
    """What `whylog -C ROOT ARGS --format json` prints, parsed."""
    result = CliRunner().invoke(cli, ["-C", str(root), *args, "--format", "json"])
    return json.loads(result.stdout)


def init(root: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(root), "init", "--no-merge-driver"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The bundled examples in a git repo: the records and the code an entry names committed together,
    then five lines put above that code."""
    root = tmp_path_factory.mktemp("examples") / "repo"
    shutil.copytree(EXAMPLES, root)
    init(root)
    repo = Repo(root)
    repo.write(CODE, [f"line {n}" for n in range(1, 201)])
    repo.commit("records and code")
    repo.insert(CODE, 0, [f"new {n}" for n in range(1, 6)])
    repo.commit("five lines on top")
    with serving(root) as client:
        yield client


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The seed files in their default places, after `whylog init`, in a git repo."""
    root = copy_seeds(tmp_path_factory.mktemp("seeds") / "repo")
    init(root)
    Repo(root).commit("the seeds")
    with serving(root) as client:
        yield client


def test_importing_the_door_does_not_import_the_sdk() -> None:
    code = "import sys, whylog.mcp; print(sorted({m.split('.')[0] for m in sys.modules} & {'mcp', 'pydantic'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


# --- the tools as listed ----------------------------------------------------------------------------

REQUIRED = object()
TOOLS: dict[str, tuple[bool, dict[str, Any]]] = {
    "search": (True, {"query": REQUIRED, "limit": 10}),
    "why": (True, {"target": REQUIRED}),
    "context": (True, {"budget": 2000, "path": [], "query": None, "paths": []}),
    "show": (True, {"id": REQUIRED}),
    "lint": (True, {"path": [], "paths": []}),
    "status": (True, {}),
    "add": (False, {"record": REQUIRED, "kind": None, "allow_secret": False}),
    "add_record": (False, {"record": REQUIRED, "kind": None, "allow_secret": False}),  # add's old name
}


def test_the_tools_their_annotations_and_inputs(examples: Client) -> None:
    tools = examples.list_tools().tools
    assert [tool.name for tool in tools] == list(TOOLS)
    for tool in tools:
        read_only, inputs = TOOLS[tool.name]
        schema = tool.input_schema
        assert tool.annotations is not None and tool.annotations.read_only_hint is read_only
        assert list(schema["properties"]) == list(inputs), tool.name
        assert schema.get("required", []) == [name for name, default in inputs.items() if default is REQUIRED]
        for name, default in inputs.items():
            assert schema["properties"][name].get("default", REQUIRED) == default, (tool.name, name)
            assert schema["properties"][name]["description"], (tool.name, name)
        assert tool.description and tool.output_schema is not None
        assert tool.output_schema["type"] == "object"


def test_add_may_write_but_destroys_nothing_and_takes_the_kinds(examples: Client) -> None:
    [tool] = [tool for tool in examples.list_tools().tools if tool.name == "add"]
    assert tool.annotations is not None
    hints = (tool.annotations.read_only_hint, tool.annotations.destructive_hint, tool.annotations.idempotent_hint)
    assert hints == (False, False, False)
    assert tool.input_schema["properties"]["kind"]["enum"] == list(KINDS)
    assert tool.input_schema["properties"]["record"]["type"] == "object"


def test_the_output_schemas_name_the_keys(examples: Client) -> None:
    schemas = {tool.name: tool.output_schema or {} for tool in examples.list_tools().tools}
    keys = {name: list(schema.get("properties", {})) for name, schema in schemas.items()}
    assert keys == {
        "search": ["hits", "warnings"],  # warnings: only when a record file was not read cleanly
        "why": ["target", "matches", "notes", "warnings"],
        "context": [],
        "show": ["record", "markdown", "warnings"],
        "lint": ["diagnostics"],
        "status": [],
        "add": [],
        "add_record": [],
    }


# --- one core: each tool gives what the command prints ----------------------------------------------


def test_search_gives_the_hits_whylog_search_prints(examples: Client) -> None:
    data = examples.data("search", {"query": "lock", "limit": 3})
    assert data == {"hits": whylog_json(examples.root, "search", "lock", "--limit", "3")}
    assert [hit["id"] for hit in data["hits"]] == ["STORY-2026-09-18", "LOG-2026-11-24-1140", "INC-2026-001"]
    assert "**lock**" in data["hits"][0]["snippet"].lower()


def test_why_gives_the_matches_whylog_why_prints_and_its_notes(examples: Client) -> None:
    data = examples.data("why", {"target": f"{CODE}:150"})
    assert data["matches"] == whylog_json(examples.root, "why", f"{CODE}:150")
    assert data["target"] == f"{CODE}:150" and data["notes"] == []
    found = [(m["id"], m["match"]["status"], m["match"]["how"]) for m in data["matches"]]
    assert found == [
        ("LOG-2026-11-24-1140", "path-only", "exact path; path only (no line ranges)"),
        (
            "CHG-2026-11-24-core-blockers-resolved-reader-milestone",
            "path-only",
            "exact path; path only (no line ranges)",
        ),
        ("LOG-2026-11-23-1605", "shifted", "exact path; lines mapped from 140-190 to 145-195"),
    ]
    first = Repo(examples.root, init=False).git("rev-list", "--max-parents=0", "HEAD").strip()
    assert data["matches"][2]["match"]["anchor"] == first
    assert data["matches"][2]["match"]["ranges"] == [
        {
            "recorded": [140, 190],
            "mapped": [145, 195],
            "status": "shifted",
            "how": "lines mapped from 140-190 to 145-195",
        }
    ]


def test_why_outside_git_history_says_how_it_matched(examples: Client) -> None:
    data = examples.data("why", {"target": "tests/test_concurrency.py"})
    assert [m["id"] for m in data["matches"]] == whylog_ids(examples.root, "why", "tests/test_concurrency.py")
    assert data["notes"] == ["git does not know tests/test_concurrency.py: records are matched by path only"]


def whylog_ids(root: Path, *args: str) -> list[str]:
    return [row["id"] for row in whylog_json(root, *args)]


def test_context_gives_the_brief_whylog_context_prints(examples: Client) -> None:
    arguments = {"budget": 600, "path": [CODE], "query": "parser"}
    expected = whylog_json(examples.root, "context", "--budget", "600", "--path", CODE, "--query", "parser")
    assert examples.data("context", arguments) == expected
    assert examples.data("context")["budget"] == 2000


def test_show_gives_the_envelope_and_the_markdown_whylog_show_prints(examples: Client) -> None:
    data = examples.data("show", {"id": "INC-2026-001"})
    assert data["record"] == whylog_json(examples.root, "show", "INC-2026-001")
    markdown = CliRunner().invoke(cli, ["-C", str(examples.root), "show", "INC-2026-001"]).stdout
    assert data["markdown"] == markdown
    assert markdown.startswith("<!-- INC-2026-001 · INCIDENTS.md:")


def test_lint_gives_the_diagnostics_whylog_lint_prints(examples: Client) -> None:
    assert examples.data("lint") == {"diagnostics": whylog_json(examples.root, "lint")}
    only = examples.data("lint", {"path": ["INCIDENTS.md"]})["diagnostics"]
    assert only == whylog_json(examples.root, "lint", str(examples.root / "INCIDENTS.md"))
    assert {d["path"] for d in only} <= {"INCIDENTS.md"}


def test_the_old_names_still_work(examples: Client) -> None:
    """`paths` (now `path`) and the tool `add_record` (now `add`), as agents set up before the rename call them."""
    assert examples.data("lint", {"paths": ["INCIDENTS.md"]}) == examples.data("lint", {"path": ["INCIDENTS.md"]})
    old = examples.data("context", {"budget": 600, "paths": [CODE]})
    assert old == examples.data("context", {"budget": 600, "path": [CODE]})
    assert old != examples.data("context", {"budget": 600})


def test_status_gives_what_whylog_status_prints(examples: Client) -> None:
    assert examples.data("status") == whylog_json(examples.root, "status")


# --- errors -----------------------------------------------------------------------------------------

ERRORS = [
    ("show", {"id": "NOPE-1"}, "no record with id 'NOPE-1'\n  hint: `whylog list` shows the ids"),
    (
        "search",
        {"query": "colour:red pool"},
        "query: column 1: unknown field 'colour'; expected one of kind, type, tag, severity, status, file, since,"
        " until, open, id, version\n  hint: colour:red pool\n        ^",
    ),
    (
        "why",
        {"target": "src/app.py:9-3"},
        "bad line range in 'src/app.py:9-3': lines count from 1 and START <= END\n"
        "  hint: write PATH, PATH:LINE or PATH:START-END, e.g. src/auth.py:42 or src/auth.py:15-45",
    ),
    ("lint", {"path": ["NOPE.md"]}, "NOPE.md: no such file"),
    ("lint", {"path": ["../../etc/passwd"]}, "../../etc/passwd: is outside the repo; name a record file inside it"),
    (
        "add",
        {"kind": "entry", "record": {"title": "x", "fields": {"confidence": {"value": "high", "reason": ""}}}},
        "fields.confidence.value: expected an integer, got string",
    ),
    (
        "add_record",
        {"kind": "incident", "record": {"kind": "entry"}},
        "kind is 'entry' but the command adds 'incident'",
    ),
]


@pytest.mark.parametrize("tool, arguments, text", ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_a_user_error_is_one_error_result_shape_for_every_tool(
    examples: Client, tool: str, arguments: dict[str, Any], text: str
) -> None:
    result = examples.call(tool, arguments)
    assert result.is_error
    assert [(block.type, block.text) for block in result.content] == [("text", text)]  # type: ignore[union-attr]
    error = result.structured_content["error"]
    assert list(error) == ["message", "path", "line", "hint"]
    where = f"{error['path']}:{error['line']}" if error["line"] else error["path"]
    line = f"{where}: {error['message']}" if where else error["message"]
    assert text == line + (f"\n  hint: {error['hint']}" if error["hint"] else "")


def test_a_bad_record_names_the_field_and_leaves_the_file_byte_identical(examples: Client) -> None:
    log = examples.root / "SYSTEM_LOG.md"
    before = log.read_bytes()
    bad = {**ENTRY, "fields": {**ENTRY["fields"], "confidence": {"value": "90%", "reason": "sure"}}}
    result = examples.call("add", {"kind": "entry", "record": bad})
    assert result.is_error
    assert result.content[0].text == "fields.confidence.value: expected an integer, got string"  # type: ignore[union-attr]
    assert log.read_bytes() == before
    assert not [p for p in log.parent.iterdir() if p.name.startswith(".SYSTEM_LOG")]  # no temporary file left


@pytest.mark.parametrize("path", ["/etc/shadow", "../../etc/passwd", ".git/config"])
def test_a_record_naming_a_file_outside_the_repo_is_refused(examples: Client, path: str) -> None:
    log = examples.root / "SYSTEM_LOG.md"
    before = log.read_bytes()
    record = {**ENTRY, "files": [{"path": path, "lines": [[1, 3]], "change": "modified", "note": ""}]}
    result = examples.call("add", {"kind": "entry", "record": record})
    assert result.is_error and log.read_bytes() == before
    assert result.structured_content["error"]["path"] == path
    assert result.content[0].text.startswith(f"{path}: is ")  # type: ignore[union-attr]


def test_a_record_holding_a_credential_is_refused(examples: Client) -> None:
    log = examples.root / "SYSTEM_LOG.md"
    before = log.read_bytes()
    secret = {**ENTRY, "fields": {**ENTRY["fields"], "result": "- AWS key AKIAIOSFODNN7EXAMPLE works"}}
    result = examples.call("add", {"kind": "entry", "record": secret})
    assert result.is_error and log.read_bytes() == before
    assert result.content[0].text.startswith(  # type: ignore[union-attr]
        "SYSTEM_LOG.md: fields.result line 1, column 11: looks like an AWS Access Key"
    )
    # its own minute and title: other tests add entries now and search for the title
    dated = {**secret, "title": "Documented the example key", "tags": [], "date": "2025-01-02T03:04:00Z"}
    written = examples.data("add", {"kind": "entry", "record": dated, "allow_secret": True})
    assert "AKIAIOSFODNN7EXAMPLE" in log.read_text(encoding="utf-8") and written["id"] == "LOG-2025-01-02-0304"


def test_an_unknown_resource_is_a_not_found_protocol_error(examples: Client) -> None:
    with pytest.raises(MCPError) as caught:
        examples.read("whylog://record/NOPE-1")
    assert caught.value.code == -32602
    assert caught.value.message == "no record with id 'NOPE-1'\n  hint: `whylog list` shows the ids"


# --- records as resources, and writing ----------------------------------------------------------------


def test_records_are_resources_by_id(examples: Client) -> None:
    [template] = examples.list_resource_templates().resource_templates
    assert (template.uri_template, template.mime_type) == ("whylog://record/{id}", "text/markdown")
    listed = examples.list_resources().resources
    records = {r["id"]: r for r in whylog_json(examples.root, "list")}
    assert len(records) < 100 and sorted(r.name for r in listed) == sorted(records)  # all of them, when few
    dates = [records[r.name]["date"] for r in listed]
    assert dates == sorted(dates, reverse=True)  # newest first
    for resource in listed:
        record = records[resource.name]
        assert (resource.uri, resource.title, resource.mime_type) == (
            f"whylog://record/{record['id']}",
            record["title"],
            "text/markdown",
        )
    contents = examples.read("whylog://record/ADR-001")
    assert contents.mime_type == "text/markdown"
    assert contents.text == examples.data("show", {"id": "ADR-001"})["markdown"]


def test_an_added_entry_reads_back_by_show_and_as_a_resource(examples: Client) -> None:
    log = examples.root / "SYSTEM_LOG.md"
    before = log.read_text(encoding="utf-8")
    written = examples.data("add", {"kind": "entry", "record": ENTRY})
    assert written["id"].startswith("LOG-") and written["source"]["path"] == "SYSTEM_LOG.md"
    assert {key: written[key] for key in ("title", "tags", "files")} == {
        k: ENTRY[k] for k in ("title", "tags", "files")
    }
    assert written["fields"]["confidence"] == {"value": 90, "reason": "end-to-end tests"}
    shown = examples.data("show", {"id": written["id"]})
    assert shown["record"] == written
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = written["source"]["start_line"], written["source"]["end_line"]
    body = "".join(lines[start - 1 : end]).rstrip("\n")
    assert shown["markdown"] == f"<!-- {written['id']} · SYSTEM_LOG.md:{start}-{end} -->\n{body}\n"
    assert examples.read(f"whylog://record/{written['id']}").text == shown["markdown"]
    assert set(before.splitlines()) <= set(log.read_text(encoding="utf-8").splitlines())  # no line changed
    assert examples.data("search", {"query": "served records agents MCP", "limit": 1})["hits"][0]["id"] == written["id"]


def test_a_session_on_the_examples_finds_asks_why_adds_and_reads_back(examples: Client) -> None:
    [incident] = examples.data("search", {"query": "kind:incident two agents lost record", "limit": 1})["hits"]
    assert incident["id"] == "INC-2026-001"
    why = examples.data("why", {"target": f"{CODE}:150-160"})
    assert "LOG-2026-11-23-1605" in [m["id"] for m in why["matches"]]
    entry = {**ENTRY, "title": "Asked why before changing the splice", "tags": []}
    written = examples.data("add", {"kind": "entry", "record": entry})
    assert examples.data("show", {"id": written["id"]})["record"]["title"] == "Asked why before changing the splice"
    assert "Asked why before changing the splice" in examples.read(f"whylog://record/{written['id']}").text


# --- the acceptance scenario on the seeds -------------------------------------------------------------


def test_a_session_finds_the_pool_incident_asks_why_adds_and_reads_back(seeds: Client) -> None:
    hits = seeds.data("search", {"query": "connection pool exhaustion", "limit": 3})["hits"]
    assert [hit["id"] for hit in hits][:2] == ["LOG-2026-03-18-0915", "INC-2024-001"]  # the fix, then the incident
    [incident] = seeds.data("search", {"query": "kind:incident pool exhaustion", "limit": 1})["hits"]
    assert incident["id"] == "INC-2024-001"
    assert incident["title"] == "API unresponsive under moderate load - DB connection pool exhaustion"
    why = seeds.data("why", {"target": "backend/app/database.py"})
    assert [m["id"] for m in why["matches"]] == ["INC-2024-001"]
    assert why["matches"] == whylog_json(seeds.root, "why", "backend/app/database.py")
    assert why["notes"] == ["git does not know backend/app/database.py: records are matched by path only"]
    written = seeds.data("add", {"kind": "entry", "record": ENTRY})
    assert seeds.data("show", {"id": written["id"]})["record"] == written
    assert seeds.read(f"whylog://record/{written['id']}").text.startswith(f"<!-- {written['id']} · SYSTEM_LOG.md:")
