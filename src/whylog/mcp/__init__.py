"""`whylog mcp`: the MCP door. An agent reaches the same core as the command line over stdio.

Tools (inputs and JSON keys use the CLI's words; each result is the JSON `whylog ... --format json` prints,
as structured content and as its text):

    search(query, limit=10)               {"hits": [envelope + score + snippet, ...]}
    why(target)                           {"target", "matches": [envelope + match, ...], "notes": [...]}
    context(budget=2000, path=[], query) the brief: {"budget", "tokens", "sections", ...}
    show(id)                              {"record": envelope, "markdown": the record's lines in its file}
    add(record, kind=None, allow_secret=False)  the written record's envelope (id and source assigned)
    lint(path=[])                         {"diagnostics": [...]}
    status()                              the status report

Every tool but add only reads. Tools and arguments use the CLI's words (`add`, `path`); the old names
`add_record` and `paths` still work. A user error (a bad query, an unknown id, a record that does not fit
its kind) is a tool result with isError set: its text is `path:line: message` (the location when there is
one), then `  hint: ...` when there is a hint; its structured content is {"error": {message, path, line,
hint}}. Records are resources too: `whylog://record/{id}` reads as the record's Markdown, exactly what
`whylog show ID` prints, and the resource list holds the newest RESOURCE_LIMIT records.

This module imports the MCP SDK (and pydantic) only when a server is built. Annotations here are plain
(no postponed evaluation) because the SDK reads the tools' signatures, which live inside `build_server`.
"""

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from whylog.answers import (
    LintResult,
    SearchResult,
    ShowResult,
    WhyResult,
    add_envelope,
    context_brief,
    error_text,
    explain_target,
    lint_report,
    newest_records,
    read_markdown,
    search_hits,
    show_record,
    status_report,
)
from whylog.model.errors import NotFound, WhylogError
from whylog.repo import Config

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp_types import CallToolResult, Resource

RECORD_URI = "whylog://record/{id}"
OLD_PATHS = "The old name of path, still accepted (the two lists are joined)."
INSTRUCTIONS = (
    "whylog is this repository's engineering memory: system-log entries, incidents, decisions, change "
    "documents, session notes, dev-log stories, the current context and features, read from its Markdown. "
    "Start a session with `context`; ask `why` before changing a file; `search` for past incidents and "
    "decisions; record what you changed with `add` (kind entry)."
)


def serve(config: Config) -> None:
    """Serve the repo at `config.root` over stdio until the client closes the connection."""
    build_server(config).run("stdio")


def tool_result(produce: Callable[[], Mapping[str, Any]]) -> "CallToolResult":
    """What a tool returns: the value as structured content and as JSON text, or a user error as an
    error result (the same shape for every tool)."""
    from mcp_types import CallToolResult, TextContent

    try:
        value = dict(produce())
    except WhylogError as exc:
        return error_result(exc)
    text = TextContent(type="text", text=json.dumps(value, indent=2, ensure_ascii=False))
    return CallToolResult(content=[text], structured_content=value)


def error_result(exc: WhylogError) -> "CallToolResult":
    """The one error shape of every tool: the error's line (and hint) as text, its fields as structured content."""
    from mcp_types import CallToolResult, TextContent

    text = TextContent(type="text", text=error_text(exc))
    return CallToolResult(content=[text], structured_content={"error": exc.to_json()}, is_error=True)


def refused_input(arguments: Mapping[str, Any]) -> WhylogError | None:
    """A tool input holding a control character other than tab and newline (whylog.model.bounds), as the error
    that refuses it."""
    from whylog.model.bounds import control_character, iter_strings

    for where, text in iter_strings(dict(arguments)):
        found = control_character(text)
        if found is not None:
            return WhylogError(
                f"{where} holds control character {found}", hint="inputs may hold tab and newline, no other controls"
            )
    return None


def invalid_input(errors: list[Any]) -> WhylogError:
    """The SDK's validation errors of a tool's arguments (pydantic's), as one line naming each argument."""
    parts = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ())) or "arguments"
        parts.append(f"{where}: {' '.join(str(error.get('msg', 'is not valid')).split())}")
    return WhylogError("; ".join(parts), hint="the tool's input schema gives each argument's type and range")


def build_server(config: Config) -> "MCPServer[Any]":
    """The MCP server for the repo at `config.root`: the tools, and the records as resources."""
    from importlib.metadata import version

    server = _record_server(config)(
        "whylog", title="whylog", instructions=INSTRUCTIONS, version=version("whylog"), log_level="WARNING"
    )
    _add_read_tools(server, config)
    _add_write_tools(server, config)
    _add_resources(server, config)
    return server


def _record_server(config: Config) -> "type[MCPServer[Any]]":
    """MCPServer whose resource list holds the newest records (the SDK lists only fixed resources)."""
    import anyio
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp_types import InputRequiredResult, Resource
    from mcp_types import Tool as MCPTool
    from pydantic import ValidationError

    class RecordServer(MCPServer[Any]):
        async def list_tools(self) -> list[MCPTool]:
            """add's record is required, as its schema says; it has a default only so that leaving
            it out gets whylog's own error rather than the SDK's validation dump."""
            tools = await super().list_tools()
            for tool in tools:
                if tool.name in ("add", "add_record"):
                    properties = dict(tool.input_schema["properties"])
                    properties["record"] = {k: v for k, v in properties["record"].items() if k != "default"}
                    tool.input_schema = {**tool.input_schema, "properties": properties, "required": ["record"]}
            return tools

        async def list_resources(self) -> list[Resource]:
            fixed = await super().list_resources()
            records = await anyio.to_thread.run_sync(newest_records, config)
            return fixed + [_resource(envelope) for envelope in records]

        async def call_tool(
            self, name: str, arguments: dict[str, Any], context: Any = None
        ) -> "CallToolResult | InputRequiredResult":
            """Every tool's input checked where it enters: control characters and arguments that do not fit
            the input schema are refused in the one error shape."""
            refused = refused_input(arguments)
            if refused is not None:
                return error_result(refused)
            try:
                return await super().call_tool(name, arguments, context)
            except ToolError as exc:
                if isinstance(exc.__cause__, ValidationError) and self._tool_manager.get_tool(name) is not None:
                    return error_result(invalid_input(list(exc.__cause__.errors())))
                raise

    return RecordServer


def _resource(envelope: dict[str, Any]) -> "Resource":
    from mcp_types import Resource

    date = str(envelope.get("date") or "").replace("T", " ")[:16]
    return Resource(
        uri=RECORD_URI.format(id=envelope["id"]),
        name=envelope["id"],
        title=envelope["title"],
        description=f"{envelope['kind']} {date}".strip(),
        mime_type="text/markdown",
    )


def _add_read_tools(server: "MCPServer[Any]", config: Config) -> None:
    from typing import Annotated

    from mcp_types import CallToolResult, ToolAnnotations
    from pydantic import Field

    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    @server.tool(annotations=read_only)
    def search(
        query: Annotated[
            str, Field(description='Words, "phrases", filters (kind:incident since:2026-01), or a question.')
        ],
        limit: Annotated[int, Field(ge=1, le=1000, description="At most this many hits.")] = 10,
    ) -> Annotated[CallToolResult, SearchResult]:
        """Search the records (BM25 over titles and text, plus filters: kind: type: tag: severity: status:
        file: since: until: confidence<N open: id: version:). Each hit is the record's JSON envelope with a
        score and a snippet."""
        return tool_result(lambda: search_hits(config, query, limit))

    @server.tool(annotations=read_only)
    def why(
        target: Annotated[str, Field(description="PATH, PATH:LINE or PATH:START-END, relative to the repo root.")],
    ) -> Annotated[CallToolResult, WhyResult]:
        """The records that explain a file or some of its lines, with the line ranges they recorded followed
        through git history (renames included) to the lines they cover now; newest first."""
        return tool_result(lambda: explain_target(config, target))

    @server.tool(annotations=read_only)
    def context(
        budget: Annotated[int, Field(ge=100, description="Tokens, estimated as characters / 4.")] = 2000,
        path: Annotated[list[str], Field(description="Bring the records that explain these files.")] = [],  # noqa: B006
        query: Annotated[str | None, Field(description="Bring the records that best match this search.")] = None,
        paths: Annotated[list[str], Field(description=OLD_PATHS)] = [],  # noqa: B006
    ) -> Annotated[CallToolResult, dict[str, Any]]:
        """A brief for the start of a session: current context, open objectives, risks and blockers, open
        action items, records relevant to path or query, newest records; within the budget."""
        return tool_result(lambda: context_brief(config, budget, path + paths, query))

    @server.tool(annotations=read_only)
    def show(
        id: Annotated[
            str,
            Field(description="A record id (INC-2024-001, LOG-2026-03-19-1432), or FILE:LINE as a text hit names it."),
        ],
    ) -> Annotated[CallToolResult, ShowResult]:
        """One record: its JSON envelope, and its Markdown exactly as in its file. FILE:LINE gives the record
        at that line, or the unstructured text there (kind "text", as a search hit on it)."""
        return tool_result(lambda: show_record(config, id))

    @server.tool(annotations=read_only)
    def lint(
        path: Annotated[list[str], Field(description="Record files to check, relative to the repo root.")] = [],  # noqa: B006
        paths: Annotated[list[str], Field(description=OLD_PATHS)] = [],  # noqa: B006
    ) -> Annotated[CallToolResult, LintResult]:
        """Check record files against the template rules (all record files when path is empty)."""
        return tool_result(lambda: lint_report(config, path + paths))

    @server.tool(annotations=read_only)
    def status() -> Annotated[CallToolResult, dict[str, Any]]:
        """Progress: features passing (and the trend over session notes), blockers resolved, open work, and
        an audit of the claims records make."""
        return tool_result(lambda: status_report(config))


def _add_write_tools(server: "MCPServer[Any]", config: Config) -> None:
    from typing import Annotated

    from mcp_types import CallToolResult, ToolAnnotations
    from pydantic import Field, WithJsonSchema

    from whylog.model import KINDS

    writes = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)

    def add(
        record: Annotated[
            Any,
            WithJsonSchema({"type": "object"}),
            Field(
                description='The JSON envelope: {"kind", "title", "date"?, "tags"?, "files"?, "links"?, "fields": '
                "{...}}. A field that holds paragraphs (root_cause, symptoms, actions, ...) takes one string too."
            ),
        ] = None,
        kind: Annotated[
            Any,
            WithJsonSchema({"enum": list(KINDS)}),
            Field(description="The record's kind, if record has none (when both are given they must agree)."),
        ] = None,
        allow_secret: Annotated[
            Any,
            WithJsonSchema({"type": "boolean"}),
            Field(description="Write it even if it seems to hold a credential (say, a documented example key)."),
        ] = False,
    ) -> Annotated[CallToolResult, dict[str, Any]]:
        """Write a new record in the canonical template where its file's order puts it; nothing else in the
        file changes. The kind is the record's own; the id and source are assigned. A record that does not
        fit its kind, or that seems to hold a credential, is refused with nothing written, as an error that
        names the field. Returns the written record's envelope."""
        return tool_result(lambda: add_envelope(config, kind, record, allow_secret))

    server.tool(annotations=writes)(add)
    old_name = f"The old name of `add`, kept for agents set up before the rename. {add.__doc__}"
    server.tool(name="add_record", description=old_name, annotations=writes)(add)


def _add_resources(server: "MCPServer[Any]", config: Config) -> None:
    from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError

    @server.resource(RECORD_URI, name="record", title="A whylog record", mime_type="text/markdown")
    def record(id: str) -> str:
        """A record's Markdown exactly as in its file, under a comment naming its id and lines."""
        try:
            return read_markdown(config, id)
        except NotFound as exc:
            raise ResourceNotFoundError(error_text(exc)) from None
        except WhylogError as exc:
            raise ResourceError(error_text(exc)) from None
