"""Many agents at once on one repo: 8 processes adding records and 4 searching for 30 seconds (the length
can be set with WHYLOG_STRESS_SECONDS), through the CLI and through MCP server processes. No call may fail,
no record may be lost, and no id may be given twice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from whylog.repo import load, read_config
from whylog.rules.entry_order import natural_id

SECONDS = float(os.environ.get("WHYLOG_STRESS_SECONDS", "30"))
WHYLOG = [sys.executable, "-m", "whylog"]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# A writer adds, in turn, an entry (its own stamp, before any generated corpus: entries are named by their
# minute), an incident and a decision (numbers whylog assigns), until the time is up; it reports each id
# whylog printed and how long each call took.
WRITER = """
import json, subprocess, sys, time
root, worker, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
whylog = [sys.executable, "-m", "whylog", "-C", root]
done, failures, spent, n = [], [], [], 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    title = f"Agent {worker} change {n}"
    kind = ("entry", "incident", "decision")[n % 3]
    args = ["add", kind, "--title", title, "--format", "json"]
    if kind == "entry":
        day, minute = divmod(worker * 1000 + n, 1440)
        args += ["--date", f"1999-{1 + day // 28:02d}-{1 + day % 28:02d}T{minute // 60:02d}:{minute % 60:02d}:00Z",
                 "--type", "Implementation", "--file", f"src/agent{worker}.py:1-{n + 1}"]
    elif kind == "incident":
        args += ["--severity", "Low", "--date", "2026-03-01"]
    began = time.perf_counter()
    proc = subprocess.run(whylog + args, capture_output=True, text=True)
    spent.append(time.perf_counter() - began)
    if proc.returncode != 0:
        failures.append([args, proc.returncode, proc.stderr])
    else:
        done.append([kind, json.loads(proc.stdout)["id"], title])
    n += 1
print(json.dumps({"done": done, "failures": failures, "add_seconds": spent}))
"""

SEARCHER = """
import json, subprocess, sys, time
root, worker, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
whylog = [sys.executable, "-m", "whylog", "-C", root]
queries = ["agent change", "kind:incident", "pool exhaustion", "type:implementation agent"]
calls, failures, spent = 0, [], []
end = time.monotonic() + seconds
while time.monotonic() < end:
    query = queries[(worker + calls) % len(queries)]
    began = time.perf_counter()
    proc = subprocess.run(whylog + ["search", query, "--format", "json"], capture_output=True, text=True)
    spent.append(time.perf_counter() - began)
    if proc.returncode not in (0, 1) or (proc.returncode == 0 and not isinstance(json.loads(proc.stdout), list)):
        failures.append([query, proc.returncode, proc.stderr])
    calls += 1
print(json.dumps({"calls": calls, "failures": failures, "search_seconds": spent}))
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    subprocess.run([*WHYLOG, "-C", str(root), "init"], check=True, capture_output=True)
    subprocess.run([*WHYLOG, "-C", str(root), "index"], check=True, capture_output=True)
    return root


def _spawn(script: str, root: Path, worker: int, seconds: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", script, str(root), str(worker), str(seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _report(process: subprocess.Popen[str], seconds: float) -> dict[str, Any]:
    out, err = process.communicate(timeout=seconds * 10 + 120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_cli_agents(root: Path, seconds: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """8 writer and 4 searcher processes calling the CLI at once for `seconds`: their reports."""
    writers = [_spawn(WRITER, root, w, seconds) for w in range(8)]
    searchers = [_spawn(SEARCHER, root, s, seconds) for s in range(4)]
    return [_report(p, seconds) for p in writers], [_report(p, seconds) for p in searchers]


def run_mcp_agents(root: Path, seconds: float) -> list[dict[str, Any]]:
    """The same load through 3 `whylog mcp` processes, one client process each: their reports."""
    clients = [_spawn(MCP_CLIENT, root, server, seconds) for server in range(3)]
    return [_report(p, seconds) for p in clients]


def check_nothing_lost(root: Path, written: list[list[object]]) -> None:
    """Every record a writer was told it wrote is in the files under that id, no id it was given is held by
    another record too, and the index holds what the files hold."""
    records = load(read_config(root)).records
    by_id = {r.id: r for r in records}
    assert len(by_id) == len(records), "two records read with one id"
    natural = Counter(natural_id(r, set(by_id)) for r in records)
    doubled = [ident for _, ident, _ in written if natural[str(ident)] != 1]
    assert doubled == [], f"ids held by more than one record: {doubled[:5]}"
    lost = [
        (kind, ident, title) for kind, ident, title in written if getattr(by_id.get(str(ident)), "title", None) != title
    ]
    assert lost == [], f"not in the files under the id given: {lost[:5]}"
    assert len({ident for _, ident, _ in written}) == len(written), "an id given twice"
    index = subprocess.run([*WHYLOG, "-C", str(root), "export", "--format", "json"], capture_output=True, text=True)
    assert index.returncode == 0, index.stderr
    indexed = Counter(r["id"] for r in json.loads(index.stdout))
    files = Counter(r.id for r in records)
    assert indexed == files, f"index and files differ: {sorted((indexed - files) | (files - indexed))[:5]}"
    assert not list(root.rglob("*.whylog-tmp"))


def test_eight_writers_and_four_searchers_for_thirty_seconds(repo: Path) -> None:
    written, searched = run_cli_agents(repo, SECONDS)
    assert [r["failures"] for r in written] == [[]] * 8
    assert [r["failures"] for r in searched] == [[]] * 4
    done = [item for r in written for item in r["done"]]
    assert len(done) >= 8 * 3  # every writer got through at least a round of each kind
    assert all(r["calls"] > 0 for r in searched)
    check_nothing_lost(repo, done)
    lint = subprocess.run([*WHYLOG, "-C", str(repo), "lint", "--format", "json"], capture_output=True, text=True)
    codes = {d["code"] for d in json.loads(lint.stdout)}
    assert codes.isdisjoint({"ENT008", "INC002", "ADR001", "FIL001"}), lint.stdout


# One MCP client process per server: it starts `whylog mcp` over stdio and runs its share of the 8
# writers and 4 searchers as concurrent tasks on that one session for the whole time.
MCP_CLIENT = """
import json, sys, time
import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

root, server, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
writers = [w for w in range(8) if w % 3 == server]
searchers = [s for s in range(4) if s % 3 == server]
done, failures, calls, add_seconds, search_seconds = [], [], [0], [], []

async def write(session, worker, end):
    n = 0
    while time.monotonic() < end:
        title = f"Server {server} agent {worker} change {n}"
        kind = ("entry", "incident", "decision")[n % 3]
        record = {"title": title, "fields": {}}
        if kind == "entry":
            day, minute = divmod(500 * server + worker * 60 + n, 1440)
            record["date"] = f"1998-{1 + day // 28:02d}-{1 + day % 28:02d}T{minute // 60:02d}:{minute % 60:02d}:00Z"
            record["fields"] = {"type": "Implementation", "result": "- ok", "confidence": {"value": 90, "reason": "ok"}}
        elif kind == "incident":
            record["date"] = "2026-04-01"
            record["fields"] = {"severity": "Low"}
        began = time.perf_counter()
        result = await session.call_tool("add_record", {"kind": kind, "record": record})
        add_seconds.append(time.perf_counter() - began)
        if result.is_error:
            failures.append([kind, title, result.content[0].text])
        else:
            done.append([kind, result.structured_content["id"], title])
        n += 1

async def search(session, worker, end):
    queries = ["server agent change", "kind:incident", "pool exhaustion", "type:implementation"]
    while time.monotonic() < end:
        began = time.perf_counter()
        result = await session.call_tool("search", {"query": queries[(worker + calls[0]) % 4], "limit": 5})
        search_seconds.append(time.perf_counter() - began)
        if result.is_error and "nothing found" not in result.content[0].text.lower():
            failures.append(["search", result.content[0].text])
        calls[0] += 1

async def main():
    params = StdioServerParameters(command=sys.executable, args=["-m", "whylog", "-C", root, "mcp"])
    async with stdio_client(params) as (read, write_stream), ClientSession(read, write_stream) as session:
        await session.initialize()
        end = time.monotonic() + seconds
        async with anyio.create_task_group() as group:
            for w in writers:
                group.start_soon(write, session, w, end)
            for s in searchers:
                group.start_soon(search, session, s, end)

anyio.run(main)
print(json.dumps({"done": done, "failures": failures, "calls": calls[0], "add_seconds": add_seconds,
                  "search_seconds": search_seconds}))
"""


def test_the_same_through_three_mcp_server_processes(repo: Path) -> None:
    reports = run_mcp_agents(repo, SECONDS)
    assert [r["failures"] for r in reports] == [[]] * 3
    done = [item for r in reports for item in r["done"]]
    assert len(done) >= 8 * 3
    assert all(r["calls"] > 0 for r in reports)
    check_nothing_lost(repo, done)
