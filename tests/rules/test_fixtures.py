"""One fixture per rule code: a crafted record file that breaks that rule once, and nothing else."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, check_golden
from whylog.lint import lint_paths
from whylog.lint.rules.registry import RULES
from whylog.markdown.document import diagnostic_json
from whylog.model import Diagnostic
from whylog.repo import read_config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
# Rules without a one-file fixture: FIL011 needs a git history (tested in test_lint.py).
NO_FIXTURE = {"FIL011", "FIL012", "FIL013", "SES002"}  # need git history, verify runs or two files:
# tests/rules/test_verification_rules.py, tests/test_unlogged.py, tests/test_renumber.py
# Where each family's fixture goes in the throwaway repo.
PLACES = {"INC": "INCIDENTS.md", "ADR": "DEVLOG.md", "CHG": "docs/changes/CHG001.md", "SES": "progress/session-001.txt"}
PLACES |= {f"ADR00{n}": "doc/adr/0004-use-redis-for-sessions.md" for n in range(2, 7)} | {"REL": "CHANGELOG.md"}
PLACES["MEM"] = "memory-bank/activeContext.md"
PLACES.update({code: f"docs/postmortems/{code}.md" for code in ("INC003", "INC004")})  # one postmortem per file


def fixture_repo(code: str, root: Path) -> Path:
    """A repo in `root` holding the fixture for `code` (and its side files); returns the record file."""
    source = next(FIXTURES.glob(f"{code}.[mtb][dxi]*"))
    target = root / PLACES.get(code, PLACES.get(code[:3], "SYSTEM_LOG.md"))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    if (FIXTURES / f"{code}.toml").exists():
        shutil.copyfile(FIXTURES / f"{code}.toml", root / "whylog.toml")
    if (FIXTURES / f"{code}.feature_list.json").exists():
        shutil.copyfile(FIXTURES / f"{code}.feature_list.json", root / "feature_list.json")
    return target


def lint_fixture(code: str, root: Path) -> list[Diagnostic]:
    fixture_repo(code, root)
    return lint_paths(read_config(root), now=NOW)


def test_every_rule_has_a_fixture_or_a_reason() -> None:
    have = {p.name.split(".")[0] for p in FIXTURES.iterdir()}
    assert set(RULES) - NO_FIXTURE == have


@pytest.mark.parametrize("code", sorted(set(RULES) - NO_FIXTURE))
def test_fixture_fires_its_rule_once(code: str, tmp_path: Path, update_goldens: bool) -> None:
    found = lint_fixture(code, tmp_path)
    assert [d.code for d in found] == [code], [diagnostic_json(d) for d in found]
    check_golden([diagnostic_json(d) for d in found], GOLDEN / "rules" / f"{code}.json", update_goldens)


def test_the_base_log_is_clean(tmp_path: Path) -> None:
    shutil.copyfile(FIXTURES / "FIL002.md", tmp_path / "SYSTEM_LOG.md")
    assert lint_paths(read_config(tmp_path), now=NOW) == []
