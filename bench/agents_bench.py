"""What agents feel: hook and MCP call times, and many agents at once (issue 7's benchmark).

    python bench/agents_bench.py [--sizes 1000,10000] [--seconds 30] [--gen ../shared/bench/gen_corpus.py]

For each size, makes a corpus with gen_corpus.py in a temporary folder, commits it to a new git repo, runs
`whylog init` and builds the index, then measures:

- hooks: whole-process `whylog agent-hook session-start` and `whylog agent-hook stop` (after a commit that
  changed a code file no record names, so the stop hook has something to report), median of 5, in ms;
- MCP: one `whylog mcp` server driven by the SDK's client; per tool (search, why, context, show, status
  and add) the median and 95th percentile of 20 calls, in ms;
- many agents: the load of bench/agents_load.py for --seconds: 8 writer and 4 searcher processes on
  the CLI, then the same through 3 MCP server processes; records added, searches, failed calls, records
  lost or given a duplicate id (checked by reading the files afterwards), and add/search latency p50/p95.

Without the generator, says so and exits 0.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from agents_load import find_losses, run_cli_agents, run_mcp_agents
from corpus import DEFAULT_GEN, make_corpus

WHYLOG = [sys.executable, "-m", "whylog"]
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def prepare(root: Path) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*WHYLOG, "-C", str(root), "init"], check=True, capture_output=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "records"], cwd=root, check=True)
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "bench_code.py").write_text("print('changed')\n")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "code no record names"], cwd=root, check=True)
    subprocess.run([*WHYLOG, "-C", str(root), "index"], check=True, capture_output=True)


def hook_ms(root: Path, event: str) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(5):
        start = time.perf_counter()
        done = subprocess.run([*WHYLOG, "-C", str(root), "agent-hook", event], input=b"{}", capture_output=True)
        times.append(time.perf_counter() - start)
        code = done.returncode
    return 1000 * statistics.median(times), code


def mcp_calls(root: Path) -> dict[str, list[float]]:
    import anyio
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    calls: dict[str, dict[str, Any]] = {
        "search": {"query": "connection pool exhaustion"},
        "why": {"target": "src/bench_code.py:1"},
        "context": {"budget": 2000},
        "show": {"id": ""},
        "status": {},
        "add": {
            "kind": "entry",
            "record": {"title": "Measured the MCP door", "fields": {"type": "Implementation"}},
        },
    }
    spent: dict[str, list[float]] = {name: [] for name in calls}

    async def run() -> None:
        params = StdioServerParameters(command=sys.executable, args=["-m", "whylog", "-C", str(root), "mcp"])
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            first = await session.call_tool("search", {"query": "pool", "limit": 1})
            calls["show"]["id"] = first.structured_content["hits"][0]["id"]  # type: ignore[index]
            for n in range(20):
                for name, arguments in calls.items():
                    if name == "add":
                        arguments["record"]["date"] = f"2020-01-01T00:{n:02d}:00Z"
                    start = time.perf_counter()
                    result = await session.call_tool(name, arguments)
                    spent[name].append(time.perf_counter() - start)
                    if result.is_error:
                        raise SystemExit(f"{name} failed: {result.content}")

    anyio.run(run)
    return spent


def load_row(root: Path, door: str, seconds: float) -> str:
    if door == "CLI":
        written, searched = run_cli_agents(root, seconds)
        reports = written + searched
        searches = sum(r["calls"] for r in searched)
    else:
        reports = run_mcp_agents(root, seconds)
        searches = sum(r["calls"] for r in reports)
    done = [item for r in reports for item in r.get("done", [])]
    failed = sum(len(r["failures"]) for r in reports)
    losses = find_losses(root, done)
    lost = "0" if losses.clean else "FAILED (below)"
    if not losses.clean:
        print(f"{door}: {losses}", file=sys.stderr)
    adds = [t for r in reports for t in r.get("add_seconds", [])]
    finds = [t for r in reports for t in r.get("search_seconds", [])]
    return (
        f"| {door} | {seconds:.0f} | {len(done):,} | {searches:,} | {failed} | {lost} | "
        f"{_ms(adds, 0.5):.0f} / {_ms(adds, 0.95):.0f} | {_ms(finds, 0.5):.0f} / {_ms(finds, 0.95):.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    args = parser.parse_args()
    if not args.gen.exists():
        print(f"no corpus generator at {args.gen}; nothing measured")
        return
    hooks, tools, loads = [], [], []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            root, _ = make_corpus(args.gen, size, Path(folder))
            prepare(root)
            start_ms, start_code = hook_ms(root, "session-start")
            stop_ms, stop_code = hook_ms(root, "stop")
            hooks.append(f"| {size:,} | {start_ms:.0f} (exit {start_code}) | {stop_ms:.0f} (exit {stop_code}) |")
            spent = mcp_calls(root)
            cells = " | ".join(f"{_ms(v, 0.5):.0f} / {_ms(v, 0.95):.0f}" for v in spent.values())
            tools.append(f"| {size:,} | {cells} |")
            loads += [f"| {size:,} " + load_row(root, door, args.seconds) for door in ("CLI", "MCP")]
    print("Hooks, whole process, median of 5 (ms):\n")
    print("| records | session-start | stop |\n|--:|--:|--:|")
    print("\n".join(hooks))
    print("\nMCP tool calls on one server, p50 / p95 of 20 (ms):\n")
    print("| records | search | why | context | show | status | add |\n|--:|--:|--:|--:|--:|--:|--:|")
    print("\n".join(tools))
    print("\nMany agents at once: 8 writers and 4 searchers (ms are p50 / p95 per call):\n")
    print("| records | door | s | records added | searches | failed calls | lost or doubled | add ms | search ms |")
    print("|--:|---|--:|--:|--:|--:|--:|--:|--:|")
    print("\n".join(loads))


if __name__ == "__main__":
    main()
