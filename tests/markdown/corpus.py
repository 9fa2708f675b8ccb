"""A small generated corpus (../shared/bench/gen_corpus.py) shared by the reader tests of a module.

Import the `corpus` fixture into a test module; it is skipped cleanly where the generator is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 records in the seed formats: about 15 change documents and 15 session notes."""
    if not GENERATOR.exists():
        pytest.skip("gen_corpus.py not present (../shared/bench is only on the dev machines)")
    out = tmp_path_factory.mktemp("corpus") / "repo"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--entries", "300", "--seed", "7"],
        check=True,
        capture_output=True,
    )
    return out
