"""Whole-process command times on generated corpora, beside the interpreter and ripgrep floors (issue 14).

    python bench/commands_bench.py [--sizes 10000,100000] [--runs 3] [--gen ../shared/bench/gen_corpus.py]

For each size, makes a corpus with gen_corpus.py (in a temporary folder), commits it to a fresh git
repository (so `why` and the status audit see history), builds the index once (timed, not part of the
table) and times each command as a fresh process, the median of --runs runs after one warm-up run:

- floor: `python -c "import sqlite3"` (the interpreter with SQLite loaded), and ripgrep searching the same
  record files for the same words as `search` (`rg -c -i`), when `rg` is installed;
- read commands: search, list with filters, show, status, context, why PATH:LINE, review --month;
- add: `add entry` with flags (a new entry each run, so the log grows by --runs entries);
- lint: once after nothing changed since the run before, once after one small record file changed, and
  cold (no .whylog/ at all: the index is built again inside that run).

Each row gives the median in ms, its distance above the interpreter floor, the issue's target for that
distance and whether it is met. A command that exits non-zero (lint exits 1 when it finds errors, which
generated corpora have) is marked with its status. Without the generator, says so and exits 0.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_GEN, make_corpus, use_bytecode

WHYLOG = str(Path(sys.executable).with_name("whylog"))
WORDS = "connection pool"
LIMIT = ["--limit", "20"]
READ_TARGET_MS = 150.0
ADD_TARGET_MS = 300.0
LINT_SAME_MS = 1000.0
LINT_ONE_MS = 2000.0


def _timed(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True)
    return (time.perf_counter() - start) * 1000, done.returncode


def _median(command: list[str], runs: int, warm: bool = True) -> tuple[float, int]:
    if warm:
        _timed(command)
    results = [_timed(command) for _ in range(runs)]
    worst = max((rc for _, rc in results), key=lambda rc: rc not in (0, 1))
    return statistics.median(ms for ms, _ in results), worst


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _commit(root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "add", "-A")
    _git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "corpus")


def _named_path(root: Path) -> str:
    """A path that records name, for `why PATH:LINE`."""
    import sqlite3

    conn = sqlite3.connect(root / ".whylog" / "index.sqlite3")
    try:
        row = conn.execute("SELECT path, count(*) n FROM record_files GROUP BY path ORDER BY n DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return str(row[0])


def _first_id(root: Path, kind: str) -> str:
    import sqlite3

    conn = sqlite3.connect(root / ".whylog" / "index.sqlite3")
    try:
        row = conn.execute("SELECT id FROM records WHERE kind = ? ORDER BY rowid LIMIT 1", (kind,)).fetchone()
    finally:
        conn.close()
    return str(row[0])


def _smallest_record_file(root: Path) -> Path:
    files = [p for p in root.rglob("*.md") if ".whylog" not in p.parts and ".git" not in p.parts]
    return min(files, key=lambda p: p.stat().st_size)


def measure(gen: Path, size: int, runs: int) -> list[tuple[str, float, int, float | None]]:
    """(command, median ms, worst exit status, target): the target is ms above the floor, or, when
    negative, a time in ms the command itself must not exceed; None for a floor or a reference."""
    rows: list[tuple[str, float, int, float | None]] = []
    with tempfile.TemporaryDirectory(prefix="whylog-commands-bench-") as tmp:
        root, _ = make_corpus(gen, size, Path(tmp))
        _commit(root)
        build, _ = _timed([WHYLOG, "-C", str(root), "index"])
        base = [WHYLOG, "-C", str(root)]
        floor, _ = _median([sys.executable, "-c", "import sqlite3"], runs)
        rows.append(('python -c "import sqlite3"', floor, 0, None))
        if shutil.which("rg"):
            ms, rc = _median(["rg", "-c", "-i", WORDS, str(root)], runs)
            rows.append((f"rg -c -i {WORDS!r} (the same files)", ms, 0 if rc in (0, 1) else rc, None))
        path = _named_path(root)
        reads = [
            ("search", ["search", WORDS]),
            ("list --kind incident --limit 5", ["list", "--kind", "incident", "--limit", "5"]),
            (
                "list --tag SECURITY --since 2025-01 --limit 20",
                ["list", "--tag", "SECURITY", "--since", "2025-01", "--limit", "20"],
            ),
            ("show ID", ["show", _first_id(root, "incident")]),
            ("status", ["status"]),
            ("context", ["context"]),
            ("why PATH:LINE", ["why", f"{path}:1"]),
            ("review --month 2026-03", ["review", "--month", "2026-03"]),
        ]
        for name, args in reads:
            ms, rc = _median(base + args, runs)
            rows.append((name, ms, rc, READ_TARGET_MS))
        add = [*base, "add", "entry", "--title", "Bench: pool size raised for the load test", "--type", "Configuration"]
        add += ["--observation", "o", "--hypothesis", "h", "--actions", "a", "--result", "r"]
        add += ["--confidence", "90% - measured", "--tag", "PERFORMANCE", "--file", "backend/pool.py:1-5"]
        ms, rc = _median(add, runs, warm=False)
        rows.append(("add entry", ms, rc, ADD_TARGET_MS))
        _timed([*base, "lint"])
        ms, rc = _median([*base, "lint"], runs, warm=False)
        rows.append(("lint (nothing changed)", ms, rc, LINT_SAME_MS))
        small = _smallest_record_file(root)
        spent = []
        for n in range(runs):
            with small.open("a", encoding="utf-8") as handle:
                handle.write(f"\nEdited by the bench, run {n}.\n")
            spent.append(_timed([*base, "lint"]))
        rows.append(
            ("lint (one small file changed)", statistics.median(s for s, _ in spent), spent[-1][1], LINT_ONE_MS)
        )
        shutil.rmtree(root / ".whylog")
        ms, rc = _timed([*base, "lint"])
        rows.append(("lint (cold: no index)", ms, rc, -build))
        rows.append(("index (the build, for the cold lint)", build, 0, None))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    args = parser.parse_args()
    if not args.gen.is_file():
        print(f"bench: skipped: no corpus generator at {args.gen} (pass --gen PATH to gen_corpus.py)")
        return
    use_bytecode()
    for size in (int(s) for s in args.sizes.split(",")):
        rows = measure(args.gen, size, args.runs)
        floor = rows[0][1]
        print(f"\n{size:,} records, whole process, median of {args.runs} (exit status beside it when not 0)\n")
        print("| command | ms | above floor ms | target above floor | |")
        print("|:--|--:|--:|--:|:--|")
        for name, ms, rc, target in rows:
            status = "" if rc == 0 else f" (exit {rc})"
            if target is None:
                print(f"| {name} | {ms:,.0f}{status} | | {'reference' if name.startswith('index') else 'floor'} | |")
                continue
            if target < 0:
                verdict = "met" if ms <= -target and rc in (0, 1) else "MISSED"
                print(f"| {name} | {ms:,.0f}{status} | | no slower than the index build | {verdict} |")
                continue
            above = ms - floor
            verdict = "met" if above <= target and rc in (0, 1) else "MISSED"
            print(f"| {name} | {ms:,.0f}{status} | {above:,.0f} | {target:,.0f} | {verdict} |")


if __name__ == "__main__":
    main()
