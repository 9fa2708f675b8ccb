"""Index and search speed on generated corpora, beside the floors they are judged against.

    python bench/index_bench.py [--sizes 1000,10000,100000] [--quick] [--gen ../shared/bench/gen_corpus.py]

For each size, makes a corpus with gen_corpus.py (in a temporary folder) and prints one row of one table:

- floor s: raw SQLite FTS5 with no whylog code (split the Markdown into records at headings and `---`
  separators, insert the same texts, optimize), split+insert+optimize;
- build s: whylog's full index build (`rebuild` into a fresh .whylog/), and its ratio to the floor;
- log ms / small ms: re-index (`sync`) after appending one entry to SYSTEM_LOG.md, and after editing the
  smallest ADR file (sizes in KB beside them);
- p50 / p95 ms: in-process `parse_query` + `run_search` over a fixed mix of 20 queries (5 runs each);
- cli ms: whole-process `whylog -C DIR search ...` (median), beside `python -c "import sqlite3"`;
- add>search ms: the first whole-process search after `whylog add` of one record (its sync included);
- why ms: `whylog why` on a file with 50 anchored records across 200 commits of a scripted git repo that
  also holds the corpus (first call / cached call); n/a when `whylog --help` has no `why` command;
- peak MB: ru_maxrss of the process doing the build (a fresh process per size; + its workers, if any).

Below the table, the issue's targets checked against the largest size measured. `--quick` is 1,000
records only (CI). Without the generator, the bench says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus import DEFAULT_GEN, make_corpus, use_bytecode

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
WHYLOG = str(Path(sys.executable).with_name("whylog"))
TOKENIZE = "porter unicode61 remove_diacritics 2"
QUERIES = (
    "why did the connection pool run out",
    "what happened when the database ran out of memory",
    "how did we fix the deadlock in billing",
    "latency",
    "regression",
    "latency regression after the deploy",
    '"connection pool exhausted"',
    '"circuit breaker" timeout',
    "kind:incident severity:high",
    'type:"bug fix" tag:SECURITY',
    "file:backend/auth",
    "since:2025-01 kind:decision",
    "confidence<80 type:configuration",
    "open:true kind:incident",
    "migrat*",
    "idempot* AND retry",
    "deadlock AND NOT postgresql",
    "(redis OR memcached) AND eviction",
    "kind:incident OOMKilled",
    "tag:PERFORMANCE latency",
)
CLI_QUERIES = ("why did the connection pool run out", 'type:"bug fix" deadlock', "kind:incident severity:high")
CLI_RUNS = 5
QUERY_RUNS = 5
PROBE_WORD = "zeppelin"
SPLIT = re.compile(r"^(?=#{1,6} )|^-{3,}[ \t]*$", re.M)
APPENDED_ENTRY = """
## 2019-01-01 00:01 UTC - Bench: appended entry for the re-index timing
**Type:** Configuration
**Affected Files:**
- `bench/reindex_probe.py` (lines 1-10)
**Chain of Reasoning:**
- **Observation:** The bench appends one entry to time an incremental sync.
- **Hypothesis:** Only this file is read again.
- **Action:** Appended this entry.
**Result:**
- One file re-read
**Confidence:** 90% - measured by the bench
---
"""


# ---- corpus -------------------------------------------------------------------------------------------


def age_files(root: Path) -> None:
    """Date every file an hour back, so a sync sees settled files (not ones written a moment ago)."""
    stamp = time.time() - 3600
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(Path(folder) / name, (stamp, stamp))


def corpus_files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / n for n in sorted(files) if n.endswith((".md", ".txt"))]
    return found


# ---- measurements that run in a fresh process (`--child NAME DIR`) ------------------------------------


def child_floor(root: Path) -> dict[str, Any]:
    """Raw FTS5, no whylog code: split at headings and separators, insert, optimize."""
    start = time.perf_counter()
    rows = []
    for path in corpus_files(root):
        for chunk in SPLIT.split(path.read_text(encoding="utf-8")):
            title, _, body = chunk.strip().partition("\n")
            if title:
                rows.append((title, body))
    split = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"CREATE VIRTUAL TABLE fts USING fts5 (title, body, tokenize = '{TOKENIZE}')")
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO fts (title, body) VALUES (?, ?)", rows)
        conn.execute("COMMIT")
        insert = time.perf_counter() - start
        start = time.perf_counter()
        conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        optimize = time.perf_counter() - start
        conn.close()
    return {"rows": len(rows), "split": split, "insert": insert, "optimize": optimize}


def child_build(root: Path) -> dict[str, Any]:
    from whylog.index.sqlite import open_index, rebuild
    from whylog.repo import read_config

    shutil.rmtree(root / ".whylog", ignore_errors=True)
    start = time.perf_counter()
    config = read_config(root)
    conn = open_index(config)
    stats = rebuild(conn, config)
    seconds = time.perf_counter() - start
    conn.close()
    return {
        "seconds": seconds,
        "records": stats.records,
        "peak": _peak(resource.RUSAGE_SELF),
        "workers": _peak(resource.RUSAGE_CHILDREN),
    }


def _peak(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def child_queries(root: Path) -> dict[str, Any]:
    from whylog.index.query import parse_query
    from whylog.index.search import run_search
    from whylog.index.sqlite import open_index
    from whylog.repo import read_config

    conn = open_index(read_config(root))
    samples = []
    for text in QUERIES:
        run_search(conn, parse_query(text), 10)  # warm the page cache for this query
        for _ in range(QUERY_RUNS):
            start = time.perf_counter()
            run_search(conn, parse_query(text), 10)
            samples.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": statistics.median(samples), "p95": cuts[94], "max": max(samples)}


def child_reindex(root: Path) -> dict[str, Any]:
    from whylog.index.sqlite import open_index, sync
    from whylog.repo import read_config

    config = read_config(root)
    conn = open_index(config)
    noop = _timed(lambda: sync(conn, config))
    log = root / "SYSTEM_LOG.md"
    with log.open("a", encoding="utf-8") as handle:
        handle.write(APPENDED_ENTRY)
    log_ms = _timed(lambda: sync(conn, config))
    small = min((root / "docs" / "adr").glob("[0-9]*.md"), key=lambda p: p.stat().st_size)
    small.write_text(small.read_text(encoding="utf-8") + "\nEdited by the bench.\n", encoding="utf-8")
    small_ms = _timed(lambda: sync(conn, config))
    return {
        "noop": noop,
        "log": log_ms,
        "log_kb": log.stat().st_size / 1024,
        "small": small_ms,
        "small_kb": small.stat().st_size / 1024,
    }


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


CHILDREN: dict[str, Callable[[Path], dict[str, Any]]] = {
    "floor": child_floor,
    "build": child_build,
    "queries": child_queries,
    "reindex": child_reindex,
}


def in_child(name: str, root: Path) -> dict[str, Any]:
    done = subprocess.run([PYTHON, __file__, "--child", name, str(root)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: the {name} step failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# ---- whole-process measurements ---------------------------------------------------------------------


def wall_ms(command: list[str], runs: int = 1, cwd: Path | None = None) -> float:
    """Median wall time of `command` in milliseconds; a failing command stops the bench."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, cwd=cwd)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode not in (0, 1):  # 1 is "nothing found"
            sys.exit(f"bench: {' '.join(command)} failed:\n{done.stderr.decode()}")
    return statistics.median(times)


def measure_cli(root: Path) -> dict[str, float]:
    floor = wall_ms([PYTHON, "-c", "import sqlite3"], CLI_RUNS * 2)
    times = [wall_ms([WHYLOG, "-C", str(root), "search", q], CLI_RUNS) for q in CLI_QUERIES]
    return {"cli": statistics.median(times), "interp": floor}


def measure_add(root: Path) -> dict[str, float]:
    fields = {
        "--title": f"Rotated the {PROBE_WORD} credentials",
        "--type": "Configuration",
        "--file": "src/bench/probe.py:1-5",
        "--observation": "Probe for the bench",
        "--hypothesis": "None",
        "--actions": "Added one record",
        "--result": "- Found",
        "--confidence": "90% - bench",
    }
    add_ms = wall_ms([WHYLOG, "-C", str(root), "add", "entry", *(x for pair in fields.items() for x in pair)])
    start = time.perf_counter()
    done = subprocess.run([WHYLOG, "-C", str(root), "search", PROBE_WORD, "--format", "json"], capture_output=True)
    first = (time.perf_counter() - start) * 1000
    found = done.returncode == 0 and PROBE_WORD in json.loads(done.stdout)[0]["title"]
    if not found:
        sys.exit(f"bench: the record added with `whylog add` was not found by the next search:\n{done.stderr!r}")
    return {"add": add_ms, "first": first}


def has_why() -> bool:
    done = subprocess.run([WHYLOG, "--help"], capture_output=True, text=True)
    return any(line.split()[:1] == ["why"] for line in done.stdout.splitlines())


# ---- `whylog why` on a scripted git repo ------------------------------------------------------------

WHY_PATH, WHY_RENAMED = "src/ledger/book.py", "src/ledger/journal.py"
WHY_COMMITS, WHY_EVERY, WHY_RENAME_AT = 200, 4, 120  # 200 commits, an anchored entry every 4th: 50 records


def measure_why(corpus: Path, folder: Path) -> dict[str, float] | None:
    if not has_why() or shutil.which("git") is None:
        return None
    repo = folder / "why"
    path = make_why_repo(corpus, repo)
    wall_ms([WHYLOG, "-C", str(repo), "index"])  # the corpus part is already indexed; not timed
    first = wall_ms([WHYLOG, "-C", str(repo), "why", path])
    again = wall_ms([WHYLOG, "-C", str(repo), "why", path], 3)
    done = subprocess.run([WHYLOG, "-C", str(repo), "why", path, "--format", "json"], capture_output=True, text=True)
    found = len(json.loads(done.stdout)) if done.returncode == 0 else 0
    return {"first": first, "again": again, "found": found}


def make_why_repo(corpus: Path, repo: Path) -> str:
    """The corpus (hard links, its index copied) plus a source file edited in 200 commits, every 4th of
    which adds a SYSTEM_LOG.md entry anchored to some of its lines; renamed at commit 120. Returns the
    file's path at HEAD."""
    _link_corpus(corpus, repo)
    git = _git(repo)
    git("init", "-q")
    lines = [f"value_{i} = {i}\n" for i in range(400)]
    (repo / WHY_PATH).parent.mkdir(parents=True, exist_ok=True)
    (repo / WHY_PATH).write_text("".join(lines))
    (repo / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n")
    (repo / ".gitignore").write_text(".whylog/\n")
    git("add", "-A")
    git("commit", "-q", "-m", "corpus and source")
    rng, path, entries = random.Random(7), WHY_PATH, []
    for number in range(1, WHY_COMMITS + 1):
        if number == WHY_RENAME_AT:
            git("mv", path, WHY_RENAMED)
            path = WHY_RENAMED
        _edit(lines, number, rng)
        (repo / path).write_text("".join(lines))
        if number % WHY_EVERY == 0:
            entries.insert(0, _anchored_entry(number, path, rng, len(lines)))
            (repo / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n" + "".join(entries))
        git("commit", "-q", "-a", "-m", f"change {number}")
    return path


def _git(repo: Path) -> Callable[..., None]:
    def run(*args: str) -> None:
        identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        subprocess.run(["git", "-C", str(repo), *identity, *args], check=True, capture_output=True)

    return run


def _link_corpus(corpus: Path, repo: Path) -> None:
    """Hard links keep size and mtime, so the copied index needs no re-read of the corpus files."""
    for folder, dirs, files in os.walk(corpus):
        dirs[:] = [d for d in dirs if d != ".whylog"]
        for name in files:
            source = Path(folder) / name
            rel = source.relative_to(corpus).as_posix()
            target = repo / ("SYSTEM_LOG_ARCHIVE_bench.md" if rel == "SYSTEM_LOG.md" else rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
    (repo / ".whylog").mkdir()
    for name in ("index.sqlite3", "index.sqlite3-wal"):
        if (corpus / ".whylog" / name).exists():
            shutil.copy2(corpus / ".whylog" / name, repo / ".whylog" / name)


def _edit(lines: list[str], number: int, rng: random.Random) -> None:
    """One commit's change: insert, delete, change a line, add a line on top, or rewrite a block."""
    at, op = rng.randrange(len(lines) - 5), number % 5
    if op == 0:
        lines[at:at] = [f"inserted_{number}_{k} = {k}\n" for k in range(3)]
    elif op == 1:
        del lines[at : at + 2]
    elif op == 2:
        lines[at] = f"changed_{number} = {number}\n"
    elif op == 3:
        lines[0:0] = [f"# note {number}\n"]
    else:
        lines[at : at + 5] = [f"rewritten_{number}_{k} = {k}\n" for k in range(5)]


def _anchored_entry(number: int, path: str, rng: random.Random, count: int) -> str:
    start = rng.randrange(1, count - 25)
    end = start + rng.randrange(3, 20)
    return (
        f"## 2026-01-{1 + number // 24:02d} {number % 24:02d}:00 UTC - Changed ledger block {number}\n"
        "**Type:** Bug Fix\n**Affected Files:**\n"
        f"- `{path}` (lines {start}-{end})\n"
        "**Chain of Reasoning:**\n"
        f"- **Observation:** Ledger step {number} was wrong\n- **Hypothesis:** An off-by-one\n- **Action:** Fixed it\n"
        "**Result:**\n- Tests pass\n**Confidence:** 90% - tested\n---\n\n"
    )


# ---- the table ----------------------------------------------------------------------------------------

COLUMNS = (
    "records",
    "MB",
    "floor s (split+ins+opt)",
    "build s",
    "x floor",
    "log ms (KB)",
    "small ms",
    "p50 ms",
    "p95 ms",
    "cli ms",
    "python ms",
    "add>search ms",
    "why ms (1st/again)",
    "peak MB",
)


def measure_size(gen: Path, size: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="whylog-bench-") as tmp:
        root, manifest = make_corpus(gen, size, Path(tmp))
        age_files(root)
        row: dict[str, Any] = {"size": size, "mb": manifest["bytes"] / 1e6}
        row["floor"] = in_child("floor", root)
        row["build"] = in_child("build", root)
        row["queries"] = in_child("queries", root)
        row["cli"] = measure_cli(root)
        row["reindex"] = in_child("reindex", root)
        row["add"] = measure_add(root)
        row["why"] = measure_why(root, Path(tmp))
    return row


def floor_seconds(row: dict[str, Any]) -> float:
    floor = row["floor"]
    return float(floor["split"] + floor["insert"] + floor["optimize"])


def format_row(row: dict[str, Any]) -> list[str]:
    floor, build, rein, why = row["floor"], row["build"], row["reindex"], row["why"]
    peak = f"{build['peak']:.0f}" + (f" (+{build['workers']:.0f} per worker)" if build["workers"] > 1 else "")
    return [
        f"{row['size']:,}",
        f"{row['mb']:.1f}",
        f"{floor['split']:.2f}+{floor['insert']:.2f}+{floor['optimize']:.2f}",
        f"{build['seconds']:.2f}",
        f"{build['seconds'] / floor_seconds(row):.1f}",
        f"{rein['log']:.0f} ({rein['log_kb']:,.0f})",
        f"{rein['small']:.0f}",
        f"{row['queries']['p50']:.1f}",
        f"{row['queries']['p95']:.1f}",
        f"{row['cli']['cli']:.0f}",
        f"{row['cli']['interp']:.0f}",
        f"{row['add']['first']:.0f}",
        "n/a" if why is None else f"{why['first']:.0f}/{why['again']:.0f}",
        peak,
    ]


def print_table(rows: list[dict[str, Any]]) -> None:
    cells = [list(COLUMNS), *(format_row(r) for r in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    for number, line in enumerate(cells):
        print("| " + " | ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if number == 0:
            print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")


def target_lines(row: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, figure, met) for the issue's targets, judged on one row (the largest size measured)."""
    build, rein, queries, cli = row["build"], row["reindex"], row["queries"], row["cli"]
    ratio = build["seconds"] / floor_seconds(row)
    above = cli["cli"] - cli["interp"]
    peak = max(build["peak"], build["workers"])
    proportional = rein["small"] <= rein["noop"] + 50
    return [
        ("full build <= 3x the raw FTS5 floor", f"{build['seconds']:.1f} s = {ratio:.1f}x", ratio <= 3),
        ("first search after `whylog add` < 300 ms", f"{row['add']['first']:.0f} ms", row["add"]["first"] < 300),
        (
            "re-index proportional to the edited file",
            f"{rein['small_kb']:.0f} KB file {rein['small']:.0f} ms (no-change sync {rein['noop']:.0f} ms); "
            f"{rein['log_kb'] / 1024:.1f} MB SYSTEM_LOG.md {rein['log']:.0f} ms",
            proportional,
        ),
        ("in-process query p95 < 20 ms", f"{queries['p95']:.1f} ms (max {queries['max']:.1f})", queries["p95"] < 20),
        (
            "whole-process search < 150 ms above the interpreter",
            f"{cli['cli']:.0f} - {cli['interp']:.0f} = {above:.0f} ms",
            above < 150,
        ),
        ("peak memory < 500 MB", f"{peak:.0f} MB", peak < 500),
    ]


def print_targets(row: dict[str, Any]) -> None:
    full = row["size"] >= 100_000
    scope = "judged" if full else "for reference only (fixed costs dominate small corpora)"
    print(f"\ntargets (issue 4, set for 100,000 records), {scope} at {row['size']:,} records:")
    for target, figure, met in target_lines(row):
        word = ("met" if met else "MISSED") if full else ("within" if met else "over")
        print(f"  {word:<6}  {target:<52} {figure}")
    why = row["why"]
    if why is None:
        print("  n/a     `whylog why`: no `why` command in `whylog --help` yet (or no git)")
    else:
        expected = WHY_COMMITS // WHY_EVERY
        print(
            f"  {'ok    ' if why['found'] == expected else 'WRONG '}  `whylog why` found {why['found']} of the "
            f"{expected} anchored records"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--quick", action="store_true", help="1,000 records only (CI)")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    parser.add_argument("--child", nargs=2, metavar=("STEP", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return
    if not args.gen.exists():
        print(f"bench: skipped: {args.gen} not found (pass --gen PATH to gen_corpus.py)")
        return
    if not Path(WHYLOG).exists():
        sys.exit(f"bench: {WHYLOG} not found; run the bench with the venv's Python (.venv/bin/python)")
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    use_bytecode()
    rows = []
    for size in sizes:
        rows.append(measure_size(args.gen, size))
        print(f"bench: {size:,} records done", file=sys.stderr, flush=True)
    print_table(rows)
    print_targets(rows[-1])


if __name__ == "__main__":
    main()
