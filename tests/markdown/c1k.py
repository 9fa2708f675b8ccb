"""The 1,000-record corpus of bench/synthetic.py (seed 1), made once per test run. Its manifest is the
ground truth: 40 incidents, 110 dev log stories, 30 ADRs."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from bench.synthetic import write_corpus


@functools.cache
def _generate() -> Path:
    base = Path(tempfile.mkdtemp(prefix="whylog-c1k-"))
    atexit.register(shutil.rmtree, base, True)
    out = base / "c1k"
    write_corpus(out, 1000, seed=1)
    return out


def c1k_path(relative: str) -> Path:
    """A file of the generated corpus."""
    return _generate() / relative
