"""Many writers at once: `whylog add` processes beside `whylog lint --fix` and `whylog archive` (issue 11).

    python bench/writers_bench.py [--adders 6] [--adds 50] [--fixers 2] [--archivers 1] [--rounds 1]
                                  [--seconds 20] [--parts cli,library]

In a fresh git repo with an empty SYSTEM_LOG.md and low archive thresholds (so archive moves entries while
the adders write), starts --adders threads that each run `whylog add entry` --adds times through the real
CLI, --fixers threads running `whylog lint --fix` and --archivers threads running `whylog archive` in a loop
until the adders are done, and one thread gluing a separator to a heading now and then (under the write
lock) so the fixers always have a line to fix. Then reads every record file and prints, per round, the adds
attempted, succeeded (exit 0), lost (a successful add whose record is in no file) and doubled (a title in
more than one place), the fix and archive runs, the calls that printed a traceback, and the seconds taken.
Then runs the same load as library calls in processes of their own (tests/test_writers.py's, faster, so the
writers overlap more), --adders processes of --adds each beside a fixer, an archiver and a gluer for
--seconds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from whylog.repo import Config, load, write_atomic, write_lock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_writers import run_many_writers  # noqa: E402

WHYLOG = [sys.executable, "-m", "whylog"]
CONFIG = "[archive]\nsyslog_max_lines = 60\nsyslog_keep_months = 12\n"


class Load:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.added: list[str] = []
        self.attempted = 0
        self.runs: Counter[str] = Counter()
        self.tracebacks: list[str] = []

    def run(self, args: list[str]) -> int:
        proc = subprocess.run([*WHYLOG, "-C", str(self.root), *args], capture_output=True, text=True, check=False)
        if "Traceback" in proc.stderr:
            with self.lock:
                self.tracebacks.append(proc.stderr[-800:])
        return proc.returncode

    def adder(self, worker: int, count: int) -> None:
        for n in range(count):
            title = f"Writer {worker} record {n}"
            stamp = f"20{23 + n % 4}-{1 + n % 12:02d}-{1 + worker:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
            args = ["add", "entry", "--title", title, "--type", "Implementation", "--date", stamp]
            code = self.run([*args, "--result", f"- writer {worker} record {n}"])
            with self.lock:
                self.attempted += 1
                if code == 0:
                    self.added.append(title)

    def loop(self, name: str, args: list[str]) -> None:
        while not self.done.is_set():
            self.run(args)
            with self.lock:
                self.runs[name] += 1

    def spoil(self) -> None:
        log = self.root / "SYSTEM_LOG.md"
        while not self.done.is_set():
            with write_lock(self.root):
                text = log.read_text(encoding="utf-8")
                if "---\n\n## " in text:
                    write_atomic(log, text.replace("---\n\n## ", "---## ", 1))
            time.sleep(0.2)


def one_round(args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
        (root / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
        (root / "whylog.toml").write_text(CONFIG, encoding="utf-8")
        work = Load(root)
        start = time.perf_counter()
        others = [threading.Thread(target=work.loop, args=("fix", ["lint", "--fix"])) for _ in range(args.fixers)]
        others += [threading.Thread(target=work.loop, args=("archive", ["archive"])) for _ in range(args.archivers)]
        others.append(threading.Thread(target=work.spoil))
        adders = [threading.Thread(target=work.adder, args=(w, args.adds)) for w in range(args.adders)]
        for thread in others + adders:
            thread.start()
        for thread in adders:
            thread.join()
        work.done.set()
        for thread in others:
            thread.join()
        seconds = time.perf_counter() - start
        titles = Counter(r.title for r in load(Config(root)).records)
        lost = sum(1 for t in work.added if titles[t] == 0)
        doubled = sum(1 for t in work.added if titles[t] > 1)
        archives = len(list(root.glob("SYSTEM_LOG_ARCHIVE_*.md")))
        for text in work.tracebacks[:3]:
            print(text, file=sys.stderr)
        return (
            f"| {args.adders} | {args.fixers} | {args.archivers} | {work.attempted} | {len(work.added)} | {lost} | "
            f"{doubled} | {work.runs['fix']} | {work.runs['archive']} ({archives} archive files) | "
            f"{len(work.tracebacks)} | {seconds:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adders", type=int, default=6)
    parser.add_argument("--adds", type=int, default=50, help="adds per adder")
    parser.add_argument("--fixers", type=int, default=2)
    parser.add_argument("--archivers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the library-call load")
    parser.add_argument("--parts", default="cli,library", help="which loads to run: cli, library or both")
    args = parser.parse_args()
    if "cli" in args.parts:
        cli_rounds(args)
    if "library" in args.parts:
        library_rounds(args)


def cli_rounds(args: argparse.Namespace) -> None:
    print("Through the CLI (whole processes):\n")
    print(
        "| adders | fixers | archivers | adds attempted | succeeded | lost | doubled | lint --fix runs "
        "| archive runs | tracebacks | s |"
    )
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for _ in range(args.rounds):
        print(one_round(args), flush=True)


def library_rounds(args: argparse.Namespace) -> None:
    print("\nLibrary calls (tests/test_writers.py's load: one fixer, one archiver, one separator-gluer):\n")
    print("| adders | adds attempted | succeeded | lost | doubled | crashed processes |")
    print("|--:|--:|--:|--:|--:|--:|")
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as folder:
            r = run_many_writers(Path(folder), args.adders, args.adds, args.seconds)
            cells = [args.adders, r["attempted"], r["succeeded"], r["lost"], r["doubled"], r["crashed"]]
            print("| " + " | ".join(str(c) for c in cells) + " |")
            if r["first_crash"]:
                print(r["first_crash"], file=sys.stderr)


if __name__ == "__main__":
    main()
