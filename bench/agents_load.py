"""Load runs: many agents at once on one repo, with a table of what was lost or doubled.

    python bench/agents_load.py [--seconds 30] [--records 50]

On a copy of the bundled examples, three runs:

- CLI: 8 writer processes adding records and 4 searching, through `whylog`, for --seconds;
- MCP: the same load through 3 `whylog mcp` server processes, one client process each;
- library: 4 processes calling `add` --records times each on one SYSTEM_LOG.md.

Afterwards the files are read: a record a writer was told it wrote and that is not there under that id is
lost; an id held by two records (or given twice) is doubled; the index must hold what the files hold. Exits 1
when any call failed or anything was lost, doubled or left behind. tests/test_many_agents.py and
tests/test_concurrency.py run the same checks for a few seconds; this is the long version.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whylog.lint.rules.entry_order import natural_id
from whylog.repo import Config, load, read_config

WHYLOG = [sys.executable, "-m", "whylog"]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# A writer adds, in turn, an entry (its own stamp, before any generated corpus: entries are named by their
# minute), an incident and a decision (numbers whylog assigns), until the time is up and at least once each;
# it reports each id whylog printed and how long each call took.
WRITER = """
import json, subprocess, sys, time
root, worker, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
whylog = [sys.executable, "-m", "whylog", "-C", root]
done, failures, spent, n = [], [], [], 0
end = time.monotonic() + seconds
while n < 3 or time.monotonic() < end:  # a round of each kind, however slow the machine
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
while calls == 0 or time.monotonic() < end:
    query = queries[(worker + calls) % len(queries)]
    began = time.perf_counter()
    proc = subprocess.run(whylog + ["search", query, "--format", "json"], capture_output=True, text=True)
    spent.append(time.perf_counter() - began)
    if proc.returncode not in (0, 1) or (proc.returncode == 0 and not isinstance(json.loads(proc.stdout), list)):
        failures.append([query, proc.returncode, proc.stderr])
    calls += 1
print(json.dumps({"calls": calls, "failures": failures, "search_seconds": spent}))
"""

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
    while n < 3 or time.monotonic() < end:
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
        result = await session.call_tool("add", {"kind": kind, "record": record})
        add_seconds.append(time.perf_counter() - began)
        if result.is_error:
            failures.append([kind, title, result.content[0].text])
        else:
            done.append([kind, result.structured_content["id"], title])
        n += 1

async def search(session, worker, end):
    queries = ["server agent change", "kind:incident", "pool exhaustion", "type:implementation"]
    while calls[0] == 0 or time.monotonic() < end:
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


def examples_repo(root: Path) -> Path:
    """A copy of the bundled examples at `root`, initialised and indexed: the repo the agents share."""
    shutil.copytree(EXAMPLES, root)
    subprocess.run([*WHYLOG, "-C", str(root), "init"], check=True, capture_output=True)
    subprocess.run([*WHYLOG, "-C", str(root), "index"], check=True, capture_output=True)
    return root


def _spawn(script: str, root: Path, worker: int, seconds: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", script, str(root), str(worker), str(seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _report(process: subprocess.Popen[str], seconds: float) -> dict[str, Any]:
    out, err = process.communicate(timeout=seconds * 10 + 120)
    if process.returncode != 0:
        raise RuntimeError(f"an agent process exited with {process.returncode}: {err}")
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


@dataclass(frozen=True)
class Losses:
    """What reading the files back found wrong; every list empty means nothing was lost or doubled."""

    doubled: list[str]  # ids held by more than one record, or given to two writes
    lost: list[tuple[str, str, str]]  # (kind, id, title) not in the files under the id the writer was given
    unindexed: list[str]  # ids the index and the files disagree on
    leftovers: list[str]  # temporary files an interrupted write left

    @property
    def clean(self) -> bool:
        return not (self.doubled or self.lost or self.unindexed or self.leftovers)


def find_losses(root: Path, written: list[list[object]]) -> Losses:
    """Every record a writer was told it wrote should be in the files under that id, no id it was given held
    by another record too, and the index should hold what the files hold."""
    records = load(read_config(root)).records
    by_id = {r.id: r for r in records}
    natural = Counter(natural_id(r, set(by_id)) for r in records)
    doubled = [str(i) for i, n in Counter(r.id for r in records).items() if n > 1]
    doubled += [str(ident) for _, ident, _ in written if natural[str(ident)] != 1]
    doubled += [str(i) for i, n in Counter(str(ident) for _, ident, _ in written).items() if n > 1]
    lost = [
        (str(kind), str(ident), str(title))
        for kind, ident, title in written
        if getattr(by_id.get(str(ident)), "title", None) != title
    ]
    index = subprocess.run([*WHYLOG, "-C", str(root), "export", "--format", "json"], capture_output=True, text=True)
    if index.returncode != 0:
        raise RuntimeError(f"export failed: {index.stderr}")
    indexed = Counter(r["id"] for r in json.loads(index.stdout))
    files = Counter(r.id for r in records)
    unindexed = sorted((indexed - files) | (files - indexed))
    return Losses(sorted(set(doubled)), lost, unindexed, [str(p) for p in root.rglob("*.whylog-tmp")])


# A process that calls the library's add_record `count` times on one SYSTEM_LOG.md, with no door between.
LIBRARY_WRITER = """
import sys
from pathlib import Path
from whylog.model import EntryFields, Record
from whylog.writing.placement import add_record
from whylog.repo import read_config
root, worker, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
config = read_config(root)
for n in range(count):
    fields = EntryFields(type="Implementation", result=f"- writer {worker} record {n}")
    title = f"Writer {worker} added record number {n}"
    add_record(config, Record("", "entry", title, f"2026-11-{1 + n % 28:02d}T{worker:02d}:{n % 60:02d}:00Z", fields))
"""


def run_library_writers(root: Path, workers: int, count: int) -> list[tuple[int, str]]:
    """`workers` processes adding `count` entries each to `root`/SYSTEM_LOG.md at once: (status, stderr) of
    each. The titles they write are `library_titles(workers, count)`."""
    (root / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    command = [sys.executable, "-c", LIBRARY_WRITER, str(root)]
    processes = [subprocess.Popen([*command, str(w), str(count)], stderr=subprocess.PIPE) for w in range(workers)]
    errors = [p.communicate(timeout=300 + count * workers)[1].decode() for p in processes]
    return [(p.returncode, e) for p, e in zip(processes, errors, strict=True)]


def library_titles(workers: int, count: int) -> list[str]:
    return sorted(f"Writer {w} added record number {n}" for w in range(workers) for n in range(count))


def library_losses(root: Path, workers: int, count: int) -> tuple[list[str], list[str]]:
    """(titles missing, ids doubled) after `run_library_writers`."""
    records = load(Config(root)).records
    missing = sorted((Counter(library_titles(workers, count)) - Counter(r.title for r in records)).elements())
    doubled = sorted(i for i, n in Counter(r.id for r in records).items() if n > 1)
    return missing, doubled


# ---- the load run -------------------------------------------------------------------------------------


def _agents_row(door: str, seconds: float, folder: Path) -> tuple[list[str], bool]:
    root = examples_repo(folder / door)
    if door == "CLI":
        written, searched = run_cli_agents(root, seconds)
        reports, searches = written + searched, sum(r["calls"] for r in searched)
    else:
        reports = run_mcp_agents(root, seconds)
        searches = sum(r["calls"] for r in reports)
    done = [item for r in reports for item in r.get("done", [])]
    failed = sum(len(r["failures"]) for r in reports)
    losses = find_losses(root, done)
    cells = [door, f"{seconds:.0f} s", f"{len(done):,}", f"{searches:,}", str(failed), str(len(losses.lost))]
    cells += [str(len(losses.doubled)), str(len(losses.unindexed) + len(losses.leftovers))]
    for name, items in (("lost", losses.lost), ("doubled", losses.doubled), ("index", losses.unindexed)):
        if items:
            print(f"{door} {name}: {items[:5]}", file=sys.stderr)
    return cells, failed == 0 and losses.clean


def _library_row(count: int, folder: Path) -> tuple[list[str], bool]:
    root = folder / "library"
    root.mkdir()
    statuses = run_library_writers(root, 4, count)
    failed = [e for code, e in statuses if code != 0]
    missing, doubled = library_losses(root, 4, count)
    leftovers = list(root.glob(".*.whylog-tmp"))
    for error in failed[:2]:
        print(f"library writer: {error}", file=sys.stderr)
    cells = ["library", f"4 x {count}", f"{4 * count - len(missing):,}", "-", str(len(failed)), str(len(missing))]
    cells += [str(len(doubled)), str(len(leftovers))]
    return cells, not (failed or missing or doubled or leftovers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the CLI and MCP agents run")
    parser.add_argument("--records", type=int, default=50, help="records each library writer adds")
    args = parser.parse_args()
    heads = ["run", "length", "records added", "searches", "failed calls", "lost", "doubled", "index or tmp"]
    rows, ok = [], True
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for door in ("CLI", "MCP"):
            cells, clean = _agents_row(door, args.seconds, folder)
            rows.append(cells)
            ok = ok and clean
        cells, clean = _library_row(args.records, folder)
        rows.append(cells)
        ok = ok and clean
    print("| " + " | ".join(heads) + " |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    print("nothing lost or doubled" if ok else "SOMETHING WAS LOST, DOUBLED OR FAILED (details on stderr)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
