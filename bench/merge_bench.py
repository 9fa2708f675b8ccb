"""The merge driver over many random three-way merges of a system log: cases run, failures, time.

Each case (tests/merge_cases.py) is a base log and two sides that add records (some the same on both
sides), edit, re-date and delete records, with minutes drawn from a few so that ids collide. A case fails
when a record added on either side is not held exactly once, a one-sided edit is not taken, or the
conflicts are not exactly the records changed differently on both sides. Cases are seeded, so a failure
names the seed that shows it again:

    python bench/merge_bench.py [--cases 10000] [--first-seed 0]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.merge_cases import make_case, merge_problems  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    failures: list[tuple[int, list[str]]] = []
    conflicted = 0
    started = time.perf_counter()
    for seed in range(args.first_seed, args.first_seed + args.cases):
        case = make_case(random.Random(seed))
        conflicted += bool(case.conflicted)
        problems = merge_problems(case)
        if problems:
            failures.append((seed, problems))
    seconds = time.perf_counter() - started
    print("| cases | with a record changed on both sides | failures | s | ms per case |")
    print("|--:|--:|--:|--:|--:|")
    per_case = 1000 * seconds / args.cases
    print(f"| {args.cases:,} | {conflicted:,} | {len(failures):,} | {seconds:.1f} | {per_case:.1f} |")
    for seed, problems in failures[:10]:
        print(f"seed {seed}: {'; '.join(problems)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
