"""Read speed of whylog's readers on generated corpora, beside the bare CommonMark parser.

    python bench/parse_bench.py [--sizes 1000,10000] [--gen ../shared/bench/gen_corpus.py]

Makes each corpus with gen_corpus.py (in a temporary folder), then reports for each size: records found
against the generator's manifest, the time and MB/s for pyromark alone (the floor: events with source
ranges, nothing else) and for whylog's full read (scan + readers + records), and the peak resident memory
of the process that did the reading (each size is measured in a fresh process).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_GEN, make_corpus

HERE = Path(__file__).resolve().parent


def measure(corpus: Path) -> dict[str, float]:
    import pyromark

    from whylog.markdown.readers import read_path
    from whylog.repo import Config, iter_source_files

    files = list(iter_source_files(Config(corpus)))
    size = sum(p.stat().st_size for p, _ in files) / 1e6
    floor = 0.0
    for path, _ in files:
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        for _ in pyromark.events_with_range(text, options=pyromark.Options.ENABLE_TABLES):
            pass
        floor += time.perf_counter() - start
    start = time.perf_counter()
    records = 0
    for path, family in files:
        records += len(read_path(str(path), family).records)
    full = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mb": size, "records": records, "floor": floor, "full": full, "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if not args.gen.exists():
        sys.exit(f"bench: {args.gen} not found; pass --gen PATH to gen_corpus.py")
    header = ("records", 8), ("found", 7), ("MB", 6), ("pyromark s", 10), ("MB/s", 6), ("whylog s", 9), ("MB/s", 6)
    print(" ".join(f"{name:>{width}}" for name, width in (*header, ("peak MB", 8))))
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            root, _ = make_corpus(args.gen, size, Path(tmp))
            command = [sys.executable, __file__, "--measure", str(root)]
            child = subprocess.run(command, check=True, capture_output=True, text=True)
            m = json.loads(child.stdout)
            print(
                f"{size:>8} {int(m['records']):>7} {m['mb']:>6.1f} {m['floor']:>10.2f} {m['mb'] / m['floor']:>6.1f}"
                f" {m['full']:>9.2f} {m['mb'] / m['full']:>6.1f} {m['peak']:>8.1f}"
            )


if __name__ == "__main__":
    main()
