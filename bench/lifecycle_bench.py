"""Archive, review and context times on generated corpora, in one table (issue 6's benchmark).

    python bench/lifecycle_bench.py [--sizes 10000,100000] [--gen ../shared/bench/gen_corpus.py]

For each size, makes one corpus with gen_corpus.py (in a temporary folder), builds its index once
(`whylog -C ROOT index`, timed), then prints one row:

- archive s: whole-process `whylog -C COPY archive` in a copy of the corpus (without the index), the first
  run (moves records) and a second run (a no-op);
- review s: whole-process `whylog review --month 2026-03 --format json` and `--quarter 2026-Q1 --format json`
  (median of 3; the output must be JSON);
- context ms: whole-process `whylog -C ROOT context` (median of 3) and in-process `build_brief` on the already
  synced index (median of 5).

Under the table, the issue's targets (context under 300 ms, review under 2 s) as met/MISSED at 100,000
records; for other sizes they are shown for reference. A command that exits non-zero marks its cell with `!`.
Without the generator, says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import shutil
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
TARGET_SIZE = 100_000
CONTEXT_MS = 300.0
REVIEW_S = 2.0
MONTH, QUARTER = "2026-03", "2026-Q1"


class Timed:
    """Seconds of one measurement (a median where repeated) and whether every run succeeded."""

    def __init__(self, seconds: float, ok: bool) -> None:
        self.seconds, self.ok = seconds, ok

    def cell(self, width: int, scale: float = 1.0, digits: int = 2) -> str:
        text = f"{self.seconds * scale:.{digits}f}" + ("" if self.ok else "!")
        return f"{text:>{width}}"


def _run(*args: str, check_json: bool = False) -> Timed:
    start = time.perf_counter()
    done = subprocess.run([WHYLOG, *args], capture_output=True)
    spent = time.perf_counter() - start
    ok = done.returncode == 0
    if ok and check_json:
        try:
            json.loads(done.stdout)
        except ValueError:
            ok = False
    if not ok:
        err = done.stderr.decode(errors="replace").strip().splitlines()
        print(f"  (whylog {' '.join(args[2:])}: exit {done.returncode}: {err[-1] if err else 'no message'})")
    return Timed(spent, ok)


def _median(run: Callable[[], Timed], times: int) -> Timed:
    runs = [run() for _ in range(times)]
    return Timed(statistics.median(r.seconds for r in runs), all(r.ok for r in runs))


def _median_inprocess(run: Callable[[], object], times: int) -> Timed:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return Timed(statistics.median(spent), True)


def measure(gen: Path, size: int) -> dict[str, Timed]:
    from whylog.index.sqlite import open_index
    from whylog.lifecycle.context import build_brief
    from whylog.repo import read_config

    with tempfile.TemporaryDirectory(prefix="whylog-lifecycle-bench-") as tmp:
        root, _ = make_corpus(gen, size, Path(tmp))
        copy = Path(tmp) / f"archive{size}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".whylog"))
        row = {"index": _run("-C", str(root), "index")}
        row["archive"] = _run("-C", str(copy), "archive")
        row["again"] = _run("-C", str(copy), "archive")
        shutil.rmtree(copy)
        month = ("-C", str(root), "review", "--month", MONTH, "--format", "json")
        quarter = ("-C", str(root), "review", "--quarter", QUARTER, "--format", "json")
        row["month"] = _median(lambda: _run(*month, check_json=True), 3)
        row["quarter"] = _median(lambda: _run(*quarter, check_json=True), 3)
        row["context"] = _median(lambda: _run("-C", str(root), "context"), 3)
        config = read_config(root)
        conn = open_index(config)  # synced by `whylog index` above; build_brief only reads it
        try:
            row["brief"] = _median_inprocess(lambda: build_brief(config, conn=conn), 5)
        finally:
            conn.close()
    return row


def _verdict(seconds: float, limit: float, size: int) -> str:
    if size != TARGET_SIZE:
        return "for reference: " + ("under" if seconds < limit else "over")
    return "met" if seconds < limit else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    args = parser.parse_args()
    if not args.gen.is_file():
        print(f"bench: skipped: no corpus generator at {args.gen} (pass --gen PATH to gen_corpus.py)")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[tuple[int, dict[str, Timed]]] = []
    for size in sizes:
        rows.append((size, measure(args.gen, size)))
    print(
        f"{'records':>8} {'index s':>8} {'archive s':>10} {'again s':>8}"
        f" {'review month s':>15} {'review quarter s':>17} {'context cli ms':>15} {'build_brief ms':>15}"
    )
    for size, row in rows:
        print(
            f"{size:>8} {row['index'].cell(8)} {row['archive'].cell(10)} {row['again'].cell(8)}"
            f" {row['month'].cell(15)} {row['quarter'].cell(17)}"
            f" {row['context'].cell(15, 1000, 1)} {row['brief'].cell(15, 1000, 1)}"
        )
    print(f"targets: context under {CONTEXT_MS:.0f} ms, review under {REVIEW_S:.0f} s (at {TARGET_SIZE:,} records)")
    for size, row in rows:
        review = max(row["month"].seconds, row["quarter"].seconds)
        cli, brief = row["context"].seconds * 1000, row["brief"].seconds * 1000
        failed = [k for k, t in row.items() if not t.ok]
        print(
            f"  {size:>7,}: context (whole process) {cli:.0f} ms: {_verdict(cli, CONTEXT_MS, size)};"
            f" build_brief {brief:.0f} ms: {_verdict(brief, CONTEXT_MS, size)};"
            f" review (slower of month/quarter, whole process) {review:.2f} s: {_verdict(review, REVIEW_S, size)}"
            + (f"; FAILED runs: {', '.join(failed)}" if failed else "")
        )
    if TARGET_SIZE not in sizes:
        print(f"  (no run at {TARGET_SIZE:,} records: targets not judged)")


if __name__ == "__main__":
    main()
