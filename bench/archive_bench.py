"""Archive time on generated corpora.

    python bench/archive_bench.py [--sizes 10000,100000] [--gen ../shared/bench/gen_corpus.py]

For each size, makes a corpus with gen_corpus.py (in a temporary folder; its newest record is dated
2026-05-15, and `now` is fixed at 2026-11-16 so the figures repeat) and prints one row: the main files'
lines, the plan time (what `--dry-run` does), the full `archive` time (plan + atomic writes), the time of a
second run (a no-op), the records moved, and a check: past the 10,000-line threshold SYSTEM_LOG.md keeps no
entry older than 12 months and exactly the old entries found before moved; below it, none moved. Skips with
a message when the generator is missing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from corpus import DEFAULT_GEN, make_corpus

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 16, tzinfo=UTC)  # six months after the corpus ends: half a year to move


def _old_entries(root: Path) -> int:
    from whylog.markdown.readers import read_path

    records = read_path(str(root / "SYSTEM_LOG.md"), "syslog").records
    return sum(1 for r in records if r.kind == "entry" and r.date[:10] < "2025-11-16")


def measure(root: Path) -> dict[str, object]:
    from whylog.lifecycle.archive import archive, plan_archive
    from whylog.repo import read_config

    lines = sum(len((root / n).read_bytes().splitlines()) for n in ("SYSTEM_LOG.md", "DEVLOG.md"))
    over = len((root / "SYSTEM_LOG.md").read_bytes().splitlines()) > 10_000  # the default threshold
    old = _old_entries(root) if over else 0
    start = time.perf_counter()
    plan_archive(read_config(root), NOW)
    planned = time.perf_counter() - start
    start = time.perf_counter()
    plan = archive(read_config(root), NOW)
    full = time.perf_counter() - start
    start = time.perf_counter()
    again = archive(read_config(root), NOW)
    second = time.perf_counter() - start
    moved_entries = sum(m.count for m in plan.moves if "SYSTEM_LOG" in m.target)
    ok = (_old_entries(root) == 0 or not over) and moved_entries == old and not again.writes
    moved = sum(m.count for m in plan.moves)
    return {"lines": lines, "plan": planned, "full": full, "second": second, "moved": moved, "ok": ok}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    args = parser.parse_args()
    if not args.gen.exists():
        print(f"bench: skipped: {args.gen} not found (pass --gen PATH to gen_corpus.py)")
        return
    print(f"{'records':>8} {'lines':>8} {'plan s':>7} {'archive s':>10} {'again s':>8} {'moved':>7}  check")
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="whylog-archive-bench-") as tmp:
            row = measure(make_corpus(args.gen, size, Path(tmp))[0])
        print(
            f"{size:>8} {row['lines']:>8} {row['plan']:>7.2f} {row['full']:>10.2f} {row['second']:>8.2f}"
            f" {row['moved']:>7}  {'ok' if row['ok'] else 'FAILED'}"
        )


if __name__ == "__main__":
    main()
