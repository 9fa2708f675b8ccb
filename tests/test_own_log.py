"""This repo keeps its own SYSTEM_LOG.md with whylog; it must read cleanly."""

from __future__ import annotations

from pathlib import Path

from whylog.markdown.readers import read_path

ROOT = Path(__file__).resolve().parent.parent


def test_own_system_log_reads_without_diagnostics() -> None:
    document = read_path(str(ROOT / "SYSTEM_LOG.md"))
    assert document.records, "the project logs its own changes"
    assert all(r.kind == "entry" and r.fields.confidence is not None for r in document.records)
    assert document.diagnostics == []
