"""Shared fixtures: where the seeds are (skipped cleanly when ../shared/seeds is absent) and goldens."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.scripted_git import Repo

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_NAMES = [
    "system-log-template.md",
    "incidents.md",
    "devlog.md",
    "blockers-changelog.md",
    "session-progress.txt",
]
# Where each seed goes in a throwaway repo, so that `whylog` finds it by the default [sources].
SEED_PLACES = {
    "system-log-template.md": "SYSTEM_LOG.md",
    "incidents.md": "INCIDENTS.md",
    "devlog.md": "DEVLOG.md",
    "blockers-changelog.md": "docs/changes/blockers-changelog.md",
    "session-progress.txt": "progress/session-006.txt",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden JSON snapshots")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def seed_path(name: str) -> Path:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed {name} not present (../shared/seeds is only in CI and the dev machines)")
    return path


def copy_seeds(root: Path, places: dict[str, str] | None = None) -> Path:
    """The seeds copied into `root`, each at its place (`SEED_PLACES` unless told); the test is skipped when
    ../shared/seeds is absent."""
    for name, place in (SEED_PLACES if places is None else places).items():
        target = root / place
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed_path(name), target)
    return root


@pytest.fixture
def seed_repo(tmp_path: Path) -> Path:
    """A folder holding the five seeds at their default places (skipped without ../shared/seeds)."""
    return copy_seeds(tmp_path)


def check_golden(actual: Any, golden: Path, update: bool) -> None:
    """Compare JSON-able `actual` with the snapshot at `golden`; --update-goldens rewrites it."""
    text = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if update or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"golden {golden.name} was missing and has been written; review and rerun")
    assert json.loads(golden.read_text(encoding="utf-8")) == actual


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx: click.Context) -> None:
    from whylog.cli import main

    main(list(ctx.args))


def run_cli(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    """Run the real entry point (with its mapping of errors to exit statuses); status, stdout, stderr."""
    result = CliRunner().invoke(_entry, args, input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# ---- the shared repos ----------------------------------------------------------------------------------
# One set for every test module; a module that needs different records writes them into one of these.


@pytest.fixture
def git_repo(tmp_path: Path) -> Repo:
    """A git repository at `tmp_path`/repo with no commit yet."""
    return Repo(tmp_path / "repo")


@pytest.fixture
def git_repo_here(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """`git_repo` as the working directory, for commands run without -C."""
    monkeypatch.chdir(git_repo.root)
    return git_repo


@pytest.fixture
def committed_repo(request: pytest.FixtureRequest, git_repo: Repo) -> Repo:
    """`git_repo` with one commit, "first", of the test module's `COMMITTED_FILES` ({path: lines}; app.py
    alone when the module names none), so HEAD exists."""
    for path, lines in getattr(request.module, "COMMITTED_FILES", {"app.py": ["x"]}).items():
        git_repo.write(path, lines)
    git_repo.commit("first")
    return git_repo


def write_records(root: Path, records: dict[str, str]) -> None:
    """Write each {path: text} under `root`, making folders as needed."""
    for name, text in records.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def record_folder(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder (no git, no whylog.toml) holding the test module's `RECORDS` ({path: text}), made the
    working directory, so commands run without -C read it."""
    write_records(tmp_path, request.module.RECORDS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def log_repo(record_folder: Path) -> Path:
    """`record_folder` set up with `whylog init --no-merge-driver`."""
    assert run_cli(["init", "--no-merge-driver"])[0] == 0
    return record_folder
