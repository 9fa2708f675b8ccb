"""The secret guard over its table: planted credentials caught and missed, look-alikes flagged.

    python bench/secret_table.py [--verbose] [--corpus 10000] [--gen ../shared/bench/gen_corpus.py]

Runs `whylog.writing.secrets.find_secrets_in_text` (the scan behind `add`, MCP `add` and lint FIL010) over
tests/secret_cases.py: each planted credential counts as caught when the guard reports exactly its line
and column and nothing else; each harmless look-alike counts as flagged when the guard reports anything.
Prints one row per form and the totals; --verbose also prints each miss and each false positive.
With --corpus N, also scans a generated corpus of N records (every .md, .txt and .json file, as FIL010
does) and prints the CPU time of the scan (process time, so that other load on the machine counts little),
the findings, and the share of lines the first looks hand to detect-secrets and to our own forms.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from corpus import DEFAULT_GEN, make_corpus  # noqa: E402
from tests.secret_cases import HARMLESS, PLANTED  # noqa: E402

from whylog.writing.secrets import find_secrets_in_text  # noqa: E402


def scan_corpus(gen: Path, size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(gen, size, Path(tmp))[0]
        texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.suffix in {".md", ".txt", ".json"}]
    find_secrets_in_text("import the detectors first")
    start = time.process_time()
    findings = sum(len(find_secrets_in_text(text)) for text in texts)
    seconds = time.process_time() - start
    lines = [line for text in texts for line in text.splitlines()]
    print(f"corpus {size} records: {len(texts)} files, {len(lines)} lines, {sum(map(len, texts)) / 1e6:.1f} MB")
    print(f"  scan {seconds:.2f} s CPU, {findings} findings")
    try:
        from whylog.writing.secret_forms import iter_marked_offsets
        from whylog.writing.secrets import _may_hold_secret
    except ImportError:  # an older whylog: no shares to print
        return
    looked = sum(1 for line in lines if len(line) >= 8 and _may_hold_secret(line))
    marked = sum(1 for line in lines if next(iter_marked_offsets(line.lower()), None) is not None)
    print(f"  lines to detect-secrets {looked / len(lines):.1%}, to our forms {marked / len(lines):.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print each miss and each false positive")
    parser.add_argument("--corpus", type=int, default=0, help="also time the scan over a corpus of N records")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="path to gen_corpus.py")
    args = parser.parse_args()
    caught: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    for case in PLANTED:
        found = [(line, column) for line, column, _ in find_secrets_in_text(case.text)]
        total[case.form] += 1
        if found == [case.where()]:
            caught[case.form] += 1
        elif args.verbose:
            print(f"missed {case.form}: {case.text!r} (want {case.where()}, got {found})")
    flagged: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    for form, text in HARMLESS:
        kinds[form] += 1
        found_any = find_secrets_in_text(text)
        if found_any:
            flagged[form] += 1
            if args.verbose:
                print(f"flagged {form}: {text!r} {found_any}")
    print("planted credentials        caught/planted")
    for form in total:
        print(f"  {form:<26} {caught[form]}/{total[form]}")
    print("look-alikes                flagged/cases")
    for form in kinds:
        print(f"  {form:<26} {flagged[form]}/{kinds[form]}")
    missed = sum(total.values()) - sum(caught.values())
    print(f"planted {sum(total.values())} in {len(total)} forms: caught {sum(caught.values())}, missed {missed}")
    print(f"look-alikes {len(HARMLESS)}: flagged {sum(flagged.values())} (false positives)")
    if args.corpus:
        if not args.gen.is_file():
            sys.exit(f"bench: skipped: {args.gen} not found (pass --gen PATH to gen_corpus.py)")
        scan_corpus(args.gen, args.corpus)


if __name__ == "__main__":
    main()
