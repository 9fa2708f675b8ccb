"""The secret guard over its table: planted credentials caught and missed, look-alikes flagged.

    python bench/secret_table.py [--verbose]

Runs `whylog.secrets.find_secrets_in_text` (the scan behind `add`, MCP `add_record` and lint FIL010) over
tests/secret_cases.py: each planted credential counts as caught when the guard reports exactly its line
and column and nothing else; each harmless look-alike counts as flagged when the guard reports anything.
Prints one row per form and the totals; --verbose also prints each miss and each false positive.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.secret_cases import HARMLESS, PLANTED  # noqa: E402

from whylog.secrets import find_secrets_in_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print each miss and each false positive")
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


if __name__ == "__main__":
    main()
