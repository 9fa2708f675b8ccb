"""Lint time on generated corpora.

    python bench/lint_bench.py [--sizes 10000,100000] [--secrets] [--gen ../shared/bench/gen_corpus.py]

For each size, makes a corpus with gen_corpus.py (in a temporary folder) and prints one row: records and
files linted, the time to read the repo (parse, as lint does), the full `lint_paths` time with every rule
except the secret scan (FIL010) and the git-based FIL011, the rules' own share (full minus read), and the
findings. With --secrets, also the time of a run with only FIL010 (detect-secrets over every line).
Skips with a message when the generator is missing.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_GEN, make_corpus

HERE = Path(__file__).resolve().parent


def _with_lint_table(root: Path, table: str) -> None:
    config = root / "whylog.toml"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    text = text.split("\n[lint]\n")[0]
    config.write_text(text + "\n[lint]\n" + table + "\n", encoding="utf-8")


def measure(root: Path, secrets: bool) -> dict[str, object]:
    from whylog.lint import lint_paths
    from whylog.repo import load, read_config

    start = time.perf_counter()
    collection = load(read_config(root), skip_errors=True)
    read = time.perf_counter() - start
    _with_lint_table(root, 'ignore = ["FIL010", "FIL011"]')
    start = time.perf_counter()
    found = lint_paths(read_config(root))
    full = time.perf_counter() - start
    row: dict[str, object] = {
        "records": len(collection.records),
        "files": len(collection.documents),
        "read": read,
        "full": full,
        "found": found,
    }
    if secrets:
        _with_lint_table(root, 'select = ["FIL010"]')
        start = time.perf_counter()
        row["secrets_found"] = len(lint_paths(read_config(root)))
        row["secrets"] = time.perf_counter() - start
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--secrets", action="store_true", help="also time the detect-secrets rule (FIL010)")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    args = parser.parse_args()
    if not args.gen.exists():
        print(f"bench: skipped: {args.gen} not found (pass --gen PATH to gen_corpus.py)")
        return
    head = f"{'records':>8} {'files':>6} {'read s':>7} {'lint s':>7} {'rules s':>8} {'rec/s':>8} {'findings':>9}"
    print(head + ("  FIL010 s" if args.secrets else "") + "  top codes")
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="whylog-lint-bench-") as tmp:
            row = measure(make_corpus(args.gen, size, Path(tmp))[0], args.secrets)
        found = row["found"]
        assert isinstance(found, list)
        top = collections.Counter(d.code for d in found).most_common(4)
        full, read, records = float(row["full"]), float(row["read"]), int(str(row["records"]))  # type: ignore[arg-type]
        line = f"{records:>8} {row['files']:>6} {read:>7.2f} {full:>7.2f} {full - read:>8.2f} {records / full:>8.0f}"
        line += f" {len(found):>9}"
        if args.secrets:
            line += f"  {float(row['secrets']):>8.2f}"  # type: ignore[arg-type]
        print(line + "  " + ", ".join(f"{code} {n}" for code, n in top))


if __name__ == "__main__":
    main()
