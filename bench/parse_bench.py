"""Read speed of whylog's readers on generated corpora, beside the bare CommonMark parser; `add` into a big log.

    python bench/parse_bench.py [--sizes 1000,10000] [--gen ../shared/bench/gen_corpus.py]
    python bench/parse_bench.py --sizes "" --add-mb 9,30

Makes each corpus with gen_corpus.py (in a temporary folder), then reports for each size: records found
against the generator's manifest, the time and MB/s for pyromark alone (the floor: events with source
ranges, nothing else) and for whylog's full read (scan + readers + records), and the peak resident memory
of the process that did the reading (each size is measured in a fresh process).

With --add-mb, for each size in MB: one SYSTEM_LOG.md of that size (the generator's log and its yearly
archives, newest first, cut at an entry), and the whole-process time of `whylog add entry` into it (median
of 3, each into a fresh copy, no index; in brackets the CPU seconds, which the load of a shared machine
disturbs less), beside two floors measured in the same run: `python -c pass`, and a
Python process that reads the file and writes it back through a temporary file; and, for reference, one
in-process whylog read of the file (the time it takes to parse it once).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
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


def big_log(gen: Path, megabytes: float, folder: Path) -> tuple[Path, int]:
    """A repo holding one SYSTEM_LOG.md of about `megabytes` MB, and the number of entries in it."""
    corpus, _ = make_corpus(gen, int(megabytes * 1150) + 500, folder)
    text = (corpus / "SYSTEM_LOG.md").read_text(encoding="utf-8").rstrip("\n") + "\n"
    for archive in sorted(corpus.glob("SYSTEM_LOG_ARCHIVE_*.md"), reverse=True):
        body = archive.read_text(encoding="utf-8").split("\n---\n\n", 1)[1]
        text += "\n---\n\n" + body.rstrip("\n") + "\n"
    data = text.encode("utf-8")
    cut = data.rfind(b"\n---\n\n## ", 0, int(megabytes * 1e6)) + 1 if len(data) > megabytes * 1e6 else len(data)
    root = folder / f"log{megabytes:g}"
    root.mkdir()
    (root / "SYSTEM_LOG.md").write_bytes(data[:cut])
    (root / "whylog.toml").write_text('[sources]\n"SYSTEM_LOG.md" = "syslog"\n\n[write]\nentry = "SYSTEM_LOG.md"\n')
    return root, data[:cut].count(b"\n## 20")


_RAW = (
    "import os, sys; p = sys.argv[1]; d = open(p, 'rb').read(); t = p + '.tmp'; f = open(t, 'wb'); f.write(d);"
    " f.flush(); os.fsync(f.fileno()); f.close(); os.replace(t, p)"
)
_ADD = [
    *("add", "entry", "--title", "Capped the webhook retries at five", "--type", "Bug Fix"),
    *("--observation", "Retries piled up", "--result", "- no pile-up in the soak test"),
    *("--confidence", "90% - soak test"),
]


def _seconds(command: list[str], cwd: Path, fresh: Path | None = None, runs: int = 3) -> tuple[float, float]:
    """Median wall seconds of `runs` runs and the median CPU seconds (user + system) of the process."""
    wall, cpu = [], []
    for _ in range(runs):
        if fresh is not None:
            shutil.copyfile(fresh, cwd / "SYSTEM_LOG.md")
            shutil.rmtree(cwd / ".whylog", ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(wall), statistics.median(cpu)


def add_table(gen: Path, sizes: list[float]) -> None:
    from whylog.markdown.readers import read_path

    print(
        "| MB | entries | `python -c pass` s | read + write in Python s | whylog read of the file s | `whylog add` s |"
    )
    print("|--:|--:|--:|--:|--:|--:|")
    whylog = [sys.executable, "-m", "whylog"]
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in sizes:
            root, entries = big_log(gen, megabytes, Path(tmp))
            original = Path(tmp) / f"original{megabytes:g}.md"
            shutil.copyfile(root / "SYSTEM_LOG.md", original)
            bare = _seconds([sys.executable, "-c", "pass"], root)
            raw = _seconds([sys.executable, "-c", _RAW, str(root / "SYSTEM_LOG.md")], root)
            start, cpu = time.perf_counter(), time.process_time()
            read_path(str(original), "syslog")
            read = time.perf_counter() - start, time.process_time() - cpu
            add = _seconds([*whylog, *_ADD], root, fresh=original)
            size = original.stat().st_size / 1e6
            cells = " | ".join(f"{wall:.2f} ({cpu:.2f})" for wall, cpu in (bare, raw, read, add))
            print(f"| {size:.1f} | {entries:,} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    parser.add_argument("--add-mb", default="", help="sizes in MB of a SYSTEM_LOG.md to time `whylog add` into")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if not args.gen.exists():
        sys.exit(f"bench: {args.gen} not found; pass --gen PATH to gen_corpus.py")
    if args.add_mb:
        add_table(args.gen, [float(s) for s in args.add_mb.split(",")])
    if not args.sizes:
        return
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
