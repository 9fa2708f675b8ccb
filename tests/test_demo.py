"""`whylog demo` (the README's first command) runs on the bundled examples and shows real work."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from whylog.demo import run_demo


def test_demo_reads_adds_without_changing_lines_and_searches(tmp_path: Path) -> None:
    lines = list(run_demo(tmp_path / "repo", now=datetime(2026, 11, 24, 15, 0, tzinfo=UTC)))
    text = "\n".join(lines)
    assert "added LOG-2026-11-24-1500 to SYSTEM_LOG.md" in text
    assert "added INC-2026-004 to INCIDENTS.md" in text
    changed = [line for line in lines if "existing lines changed" in line]
    assert len(changed) == 2 and all(line.endswith(" 0 existing lines changed") for line in changed)
    search = lines[lines.index('7. whylog search "why did we choose pyromark?"') + 1 :][:3]
    assert any("ADR-002" in line for line in search)
    assert (tmp_path / "repo" / "whylog.toml").exists()
