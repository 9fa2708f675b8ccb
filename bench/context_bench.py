"""Session brief and incident suspects speed on generated corpora.

    python bench/context_bench.py [--sizes 1000,10000,100000] [--gen ../shared/bench/gen_corpus.py]

For each size, makes a corpus with gen_corpus.py (in a temporary folder), builds the index, then prints:

- context ms: in-process `build_brief` (index already synced) at the default budget, plain, with a
  --path and with a --query (median of 5 runs each);
- suspects ms: in-process `find_suspects` for the newest incident (median of 5; outside git);
- cli ms: whole-process `whylog -C DIR context` (median of 3).

The issue's target: context under 300 ms at 100,000 records. Without the generator, says so and exits 0.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus import DEFAULT_GEN, make_corpus

HERE = Path(__file__).resolve().parent
WHYLOG = str(Path(sys.executable).with_name("whylog"))
TARGET_MS = 300.0


def _median_ms(run: Callable[[], object], times: int) -> float:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append((time.perf_counter() - start) * 1000)
    return statistics.median(spent)


def measure(gen: Path, size: int) -> dict[str, float]:
    from whylog.index.sqlite import open_index, sync
    from whylog.lifecycle.context import build_brief
    from whylog.lifecycle.suspects import find_suspects
    from whylog.repo import read_config

    with tempfile.TemporaryDirectory() as tmp:
        root, _ = make_corpus(gen, size, Path(tmp))
        config = read_config(root)
        conn = open_index(config)
        sync(conn, config)
        incident = re.search(r"INC-\d{4}-\d+", (root / "INCIDENTS.md").read_text(encoding="utf-8"))
        row = {
            "context": _median_ms(lambda: build_brief(config, conn=conn), 5),
            "path": _median_ms(lambda: build_brief(config, paths=("docker-compose.yml",), conn=conn), 5),
            "query": _median_ms(lambda: build_brief(config, query="connection pool", conn=conn), 5),
            "suspects": _median_ms(lambda: find_suspects(config, incident.group(0), conn=conn), 5) if incident else -1,
            "cli": _median_ms(lambda: subprocess.run([WHYLOG, "-C", str(root), "context"], capture_output=True), 3),
        }
        conn.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    args = parser.parse_args()
    if not args.gen.is_file():
        print(f"no corpus generator at {args.gen}; nothing measured")
        return
    print(f"{'records':>8} {'context ms':>11} {'--path ms':>10} {'--query ms':>11} {'suspects ms':>12} {'cli ms':>8}")
    row: dict[str, float] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(args.gen, size)
        cells = (row["context"], row["path"], row["query"], row["suspects"], row["cli"])
        print(f"{size:>8} {cells[0]:>11.1f} {cells[1]:>10.1f} {cells[2]:>11.1f} {cells[3]:>12.1f} {cells[4]:>8.1f}")
    worst = max(row.get("context", 0.0), row.get("path", 0.0), row.get("query", 0.0))
    verdict = "met" if worst < TARGET_MS else "NOT met"
    print(f"target: context under {TARGET_MS:.0f} ms at the largest size: {verdict} ({worst:.1f} ms)")


if __name__ == "__main__":
    main()
