"""Shared by the change, session and feature reader tests: a small generated corpus (bench/synthetic.py,
the project's own generator) and the check that every line of a file is placed.

Import the `corpus` fixture into a test module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.synthetic import write_corpus
from hypothesis import strategies as st

from whylog.markdown.document import Document


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 records in the seed formats: about 15 change documents and 15 session notes."""
    out = tmp_path_factory.mktemp("corpus") / "repo"
    write_corpus(out, 300, seed=7)
    return out


def assert_every_line_is_placed(doc: Document) -> None:
    """Every non-blank line is inside a record's source span or an unstructured span."""
    spans = [(r.source.start_line, r.source.end_line) for r in doc.records if r.source]
    spans += [(u.start_line, u.end_line) for u in doc.unstructured]
    for number in range(1, len(doc.lines) + 1):
        if doc.lines.tag(number) != "blank":
            assert any(a <= number <= b for a, b in spans), f"line {number} is in no span"


def scraps(fragments: list[str]) -> st.SearchStrategy[str]:
    """Text made of pieces of a format, shuffled, with arbitrary text mixed in: for readers that must
    never fail on bad input with anything but a ParseError."""
    piece = st.one_of(st.sampled_from(fragments), st.text(max_size=30))
    return st.lists(piece, max_size=25).map("\n".join)
