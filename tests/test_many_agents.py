"""Many agents at once on one repo, briefly: 8 processes adding records and 4 searching for a few seconds
(WHYLOG_STRESS_SECONDS sets how many), through the CLI and through MCP server processes. No call may fail, no
record may be lost, and no id may be given twice. bench/agents_load.py runs the same load for 30 seconds."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from bench.agents_load import WHYLOG, examples_repo, find_losses, run_cli_agents, run_mcp_agents

SECONDS = float(os.environ.get("WHYLOG_STRESS_SECONDS", "3"))


@pytest.fixture
def agents_repo(tmp_path: Path) -> Path:
    return examples_repo(tmp_path / "repo")


def check_nothing_lost(root: Path, written: list[list[object]]) -> None:
    """Every record a writer was told it wrote is in the files under that id, no id it was given is held by
    another record too, and the index holds what the files hold."""
    losses = find_losses(root, written)
    assert losses.doubled == [], f"ids held by more than one record: {losses.doubled[:5]}"
    assert losses.lost == [], f"not in the files under the id given: {losses.lost[:5]}"
    assert losses.unindexed == [], f"index and files differ: {losses.unindexed[:5]}"
    assert losses.leftovers == []


def test_eight_writers_and_four_searchers_for_a_few_seconds(agents_repo: Path) -> None:
    written, searched = run_cli_agents(agents_repo, SECONDS)
    assert [r["failures"] for r in written] == [[]] * 8
    assert [r["failures"] for r in searched] == [[]] * 4
    done = [item for r in written for item in r["done"]]
    assert len(done) >= 8 * 3  # every writer got through at least a round of each kind
    assert all(r["calls"] > 0 for r in searched)
    check_nothing_lost(agents_repo, done)
    lint = subprocess.run([*WHYLOG, "-C", str(agents_repo), "lint", "--format", "json"], capture_output=True, text=True)
    codes = {d["code"] for d in json.loads(lint.stdout)}
    assert codes.isdisjoint({"ENT008", "INC002", "ADR001", "FIL001"}), lint.stdout


def test_the_same_through_three_mcp_server_processes(agents_repo: Path) -> None:
    reports = run_mcp_agents(agents_repo, SECONDS)
    assert [r["failures"] for r in reports] == [[]] * 3
    done = [item for r in reports for item in r["done"]]
    assert len(done) >= 8 * 3
    assert all(r["calls"] > 0 for r in reports)
    check_nothing_lost(agents_repo, done)
