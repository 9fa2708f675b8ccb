"""The 1,000-record corpus of ../shared/bench/gen_corpus.py (seed 1, the one in the bench README), made
once per test run. Its manifest is the ground truth: 40 incidents, 110 dev log stories, 30 ADRs."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


@functools.cache
def _generate() -> Path:
    base = Path(tempfile.mkdtemp(prefix="whylog-c1k-"))
    atexit.register(shutil.rmtree, base, True)
    out = base / "c1k"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--entries", "1000", "--seed", "1"],
        check=True,
        capture_output=True,
    )
    return out


def c1k_path(relative: str) -> Path:
    """A file of the generated corpus; the test is skipped when the generator is not present."""
    if not GENERATOR.exists():
        pytest.skip("../shared/bench/gen_corpus.py not present")
    return _generate() / relative
