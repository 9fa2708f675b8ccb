"""The real record files in ../shared/realworld (when present): every file reads, and most give records.

The files stay in ../shared; this test only reads them, and skips cleanly where they are absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from whylog.markdown.readers import detect_family, read_path

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"


def _rows() -> list[dict[str, str]]:
    if not (REALWORLD / "refs.tsv").is_file():
        pytest.skip("../shared/realworld not present")
    with open(REALWORLD / "refs.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_real_file_is_found_by_name_or_content_and_most_give_titled_records() -> None:
    rows = _rows()
    found = with_records = 0
    for row in rows:
        owner, name = row["repo"].split("/")
        path = REALWORLD / "files" / f"{owner}__{name}" / row["path"]
        head = path.read_bytes()[:65536].decode("utf-8", "replace")
        found += detect_family(head, row["path"]) is not None
        document = read_path(str(path), display=row["path"])
        assert document.render().encode("utf-8") in (path.read_bytes(), path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
        assert all(r.title for r in document.records), row["path"]
        with_records += bool(document.records)
    assert found >= 0.9 * len(rows)
    assert with_records >= 0.9 * len(rows)
