"""Corpora for the benchmarks: ../shared/bench/gen_corpus.py run into a folder, with its manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

DEFAULT_GEN = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "gen_corpus.py"
SEED = 7


def make_corpus(gen: Path, size: int, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A corpus of `size` records (fixed seed) in `folder`/c<size>, and the generator's manifest."""
    out, manifest = folder / f"c{size}", folder / f"m{size}.json"
    command = [sys.executable, str(gen), str(out), "--entries", str(size), "--seed", str(SEED)]
    subprocess.run([*command, "--manifest", str(manifest)], check=True, capture_output=True)
    data: dict[str, Any] = json.loads(manifest.read_text())
    return out, data


def use_bytecode() -> None:
    """Whole-process times as an installed whylog has them: compiled bytecode, written once. A shell that
    sets PYTHONDONTWRITEBYTECODE (as some containers do) would otherwise make every run compile whylog's
    modules again (about 40 ms per process on this machine)."""
    import compileall

    import whylog

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(Path(whylog.__file__).parent, quiet=1)
