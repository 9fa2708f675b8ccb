"""MCP add through the SDK's own client: the envelope alone is enough (its kind is its own), every
bad input is whylog's one error shape (no validation dump, no URL), a paragraph field takes a string, and
entries added within one minute get distinct ids."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES
from tests.test_mcp import ENTRY, Client, init, serving
from whylog.markdown.readers import read_path
from whylog.model import KINDS


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    root = tmp_path_factory.mktemp("mcp-add") / "repo"
    shutil.copytree(EXAMPLES, root)
    init(root)
    with serving(root) as connected:
        yield connected


def _error(client: Client, arguments: dict[str, Any]) -> str:
    before = {p: p.read_bytes() for p in client.root.glob("*.md")}
    result = client.call("add", arguments)
    assert result.is_error, result
    [block] = result.content
    text: str = block.text  # type: ignore[union-attr]
    error = result.structured_content["error"]  # type: ignore[index]
    assert list(error) == ["message", "path", "line", "hint"]
    assert "validation error" not in text and "http" not in text and "pydantic" not in text
    assert {p: p.read_bytes() for p in client.root.glob("*.md")} == before  # nothing written
    return text


def test_the_envelope_alone_is_enough(client: Client) -> None:
    entry = {**ENTRY, "kind": "entry", "title": "Logged a change through MCP without a kind argument"}
    written = client.data("add", {"record": entry})
    assert written["kind"] == "entry" and written["id"].startswith("LOG-")
    agreeing = {**entry, "title": "Logged another change naming the kind twice", "date": "2025-05-05T05:05:00Z"}
    assert client.data("add_record", {"record": agreeing, "kind": "entry"})["id"] == "LOG-2025-05-05-0505"


def test_the_schema_asks_for_the_record_only(client: Client) -> None:
    [tool] = [tool for tool in client.list_tools().tools if tool.name == "add"]
    assert tool.input_schema["required"] == ["record"]
    assert tool.input_schema["properties"]["kind"]["enum"] == list(KINDS)


@pytest.mark.parametrize(
    "arguments, text",
    [
        ({"record": {"kind": "memo", "title": "x"}}, "record.kind: expected one of entry, incident"),
        ({"kind": "memo", "record": {"title": "x"}}, "kind: expected one of entry, incident"),
        ({"kind": 7, "record": {"title": "x"}}, "kind: expected one of entry, incident"),
        ({"record": {"title": "Nothing says what kind"}}, "record.kind: missing; expected one of entry"),
        ({"kind": "incident", "record": {"kind": "entry", "title": "x"}}, "kind is 'entry' but the command adds"),
        ({}, "record: expected the JSON envelope"),
        ({"record": "a string"}, "record: expected the JSON envelope"),
        ({"record": ["a", "list"]}, "record: expected the JSON envelope"),
        ({"record": {**ENTRY, "kind": "entry"}, "allow_secret": "yes"}, "allow_secret: expected true or false"),
        ({"record": {"kind": "entry", "title": "x", "fields": {"confidence": "high"}}}, "fields.confidence:"),
    ],
)
def test_every_bad_input_is_one_error_shape(client: Client, arguments: dict[str, Any], text: str) -> None:
    assert text in _error(client, arguments)


def test_a_paragraph_field_takes_one_string(client: Client) -> None:
    incident = {
        "kind": "incident",
        "title": "Report workers ran out of database connections",
        "fields": {
            "severity": "High",
            "symptoms": "Reports timed out after 30 seconds",
            "root_cause": "The pool held 5 connections for 20 workers",
            "resolution": ["Raised the pool to 25"],
        },
    }
    written = client.data("add", {"record": incident})
    assert written["fields"]["root_cause"] == ["The pool held 5 connections for 20 workers"]
    assert written["fields"]["symptoms"] == ["Reports timed out after 30 seconds"]
    entry = {**ENTRY, "kind": "entry", "title": "Wrote actions as one sentence", "date": "2025-05-06T10:00:00Z"}
    entry["fields"] = {**ENTRY["fields"], "actions": "Added the lock around refresh"}
    assert client.data("add", {"record": entry})["fields"]["actions"] == ["Added the lock around refresh"]


def test_entries_added_in_one_minute_get_distinct_ids(client: Client) -> None:
    ids = []
    for n in range(3):
        record = {**ENTRY, "kind": "entry", "title": f"Raised the pool size step {n}", "date": "2025-07-01T09:00:00Z"}
        ids.append(client.data("add", {"record": record})["id"])
    assert ids == ["LOG-2025-07-01-0900", "LOG-2025-07-01-090001", "LOG-2025-07-01-090002"]
    read = read_path(str(client.root / "SYSTEM_LOG.md"), "syslog", "SYSTEM_LOG.md")
    found = [r.id for r in read.records if r.id.startswith("LOG-2025-07-01")]
    assert sorted(found) == ids
    lint = client.data("lint", {"paths": ["SYSTEM_LOG.md"]})
    assert not [d for d in lint["diagnostics"] if d["code"] == "ENT008"]


def test_an_old_tool_call_with_a_kind_still_works(client: Client) -> None:
    record = {**ENTRY, "title": "Named the kind the old way", "date": "2025-08-01T08:00:00Z"}
    assert client.data("add", {"kind": "entry", "record": record})["id"] == "LOG-2025-08-01-0800"
    assert Path(client.root / "SYSTEM_LOG.md").read_text(encoding="utf-8").count("Named the kind the old way") == 1


def test_a_release_through_mcp_is_written_to_the_changelog_and_found_by_version(client: Client) -> None:
    release = {
        "kind": "release",
        "date": "2026-02-03",
        "fields": {"version": "2.1.0", "changes": {"Fixed": ["Stale cache after restart (#77)"]}},
    }
    written = client.data("add", {"record": release})
    assert (written["id"], written["title"], written["fields"]["issues"]) == ("REL-2.1.0", "2.1.0", ["#77"])
    text = (client.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n\n## [2.1.0] - 2026-02-03\n\n### Fixed\n\n- Stale cache after restart (#77)\n")
    hits = client.data("search", {"query": "kind:release version:2.1"})
    assert [hit["id"] for hit in hits["hits"]] == ["REL-2.1.0"]
    assert "release version '2.x' (--version, or fields.version in JSON) is not a version" in _error(
        client, {"record": {**release, "fields": {"version": "2.x"}}}
    )
