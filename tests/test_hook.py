"""`whylog init --hook` and the pre-commit hook it installs, run by real `git commit`s with a stand-in whylog."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.scripted_git import ENV, Repo
from whylog.branches.hook import MARKER, install_hook
from whylog.cli import cli
from whylog.model.errors import WriteError
from whylog.repo import Config

ROOT = Path(__file__).resolve().parent.parent
FAKE = """#!/bin/sh
[ "$1" = lint ] && [ "$2" = --help ] && exit {help}
printf '%s|' "$@" >> "{log}"
printf '\\n' >> "{log}"
if [ "$1" = parse ]; then grep -q BAD "$2" && exit 2; exit 0; fi
grep -q BAD "$@" && exit 1
exit 0
"""


def fake_whylog(tmp_path: Path, has_lint: bool = True) -> tuple[Path, Path]:
    log = tmp_path / "calls.log"
    script = tmp_path / "fake-whylog"
    script.write_text(FAKE.format(help=0 if has_lint else 2, log=log), encoding="utf-8")
    script.chmod(0o755)
    return script, log


def commit(committed_repo: Repo, whylog: Path) -> int:
    env = {**os.environ, **ENV, "WHYLOG": str(whylog)}
    committed_repo.git("add", "-A")
    proc = subprocess.run(
        ["git", "commit", "-q", "-m", "change"], cwd=committed_repo.root, env=env, capture_output=True
    )
    return proc.returncode


def calls(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_install_is_idempotent_and_executable(committed_repo: Repo) -> None:
    path, outcome = install_hook(Config(committed_repo.root), "whylog")
    assert (path, outcome) == (committed_repo.root / ".git" / "hooks" / "pre-commit", "installed")
    assert os.access(path, os.X_OK)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n" + MARKER)
    assert "':(glob)SYSTEM_LOG.md'" in text and "':(glob)docs/adr/[0-9]*.md'" in text
    assert install_hook(Config(committed_repo.root), "whylog") == (path, "kept")
    assert path.read_text(encoding="utf-8") == text
    assert install_hook(Config(committed_repo.root, {"LOG.md": "syslog"}), "whylog") == (path, "updated")


def test_core_hooks_path_is_respected(committed_repo: Repo) -> None:
    committed_repo.git("config", "core.hooksPath", "githooks")
    path, outcome = install_hook(Config(committed_repo.root), "whylog")
    assert (path, outcome) == (committed_repo.root / "githooks" / "pre-commit", "installed")
    assert not (committed_repo.root / ".git" / "hooks" / "pre-commit").exists()


def test_a_foreign_hook_is_never_replaced(committed_repo: Repo) -> None:
    hook = committed_repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nmake check\n", encoding="utf-8")
    with pytest.raises(WriteError, match="not whylog's"):
        install_hook(Config(committed_repo.root), "whylog")
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\nmake check\n"


def test_init_hook_from_the_command_line(committed_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(committed_repo.root)
    result = CliRunner().invoke(cli, ["init", "--hook"])
    assert result.exit_code == 0
    assert result.stdout.endswith(
        f"installed the pre-commit hook {committed_repo.root / '.git' / 'hooks' / 'pre-commit'}\n"
    )
    assert CliRunner().invoke(cli, ["init", "--hook"]).stdout.splitlines()[-1].startswith("kept the pre-commit hook")


def test_hook_lints_only_staged_record_files(committed_repo: Repo, tmp_path: Path) -> None:
    whylog, log = fake_whylog(tmp_path)
    install_hook(Config(committed_repo.root), "whylog")
    committed_repo.write("app.py", ["BAD but not a record file"])
    assert commit(committed_repo, whylog) == 0
    assert calls(log) == []
    committed_repo.write("SYSTEM_LOG.md", ["# SYSTEM_LOG"])
    committed_repo.write("docs/changes/my change.md", ["# change"])
    assert commit(committed_repo, whylog) == 0
    assert calls(log) == ["lint|SYSTEM_LOG.md|docs/changes/my change.md|"]
    committed_repo.write("SYSTEM_LOG.md", ["# SYSTEM_LOG", "BAD"])
    assert commit(committed_repo, whylog) != 0
    assert committed_repo.git("status", "--porcelain") == "M  SYSTEM_LOG.md\n"


def test_hook_falls_back_to_parse_without_lint(committed_repo: Repo, tmp_path: Path) -> None:
    whylog, log = fake_whylog(tmp_path, has_lint=False)
    install_hook(Config(committed_repo.root), "whylog")
    committed_repo.write("SYSTEM_LOG.md", ["# SYSTEM_LOG"])
    committed_repo.write("INCIDENTS.md", ["# Incidents"])
    assert commit(committed_repo, whylog) == 0
    assert calls(log) == ["parse|INCIDENTS.md|", "parse|SYSTEM_LOG.md|"]
    committed_repo.write("INCIDENTS.md", ["BAD"])
    assert commit(committed_repo, whylog) != 0


def test_pre_commit_hooks_yaml() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {k: hook[k] for k in ("id", "entry", "language", "pass_filenames")} == {
        "id": "whylog-lint",
        "entry": "whylog lint --for-commit",
        "language": "python",
        "pass_filenames": True,
    }
    files = re.compile(hook["files"])
    for path in ("SYSTEM_LOG.md", "SYSTEM_LOG_ARCHIVE_2025.md", "INCIDENTS.md", "DEVLOG.md", "docs/adr/003-x.md"):
        assert files.search(path), path
    for path in ("README.md", "src/app.py", "docs/guide.md", "whylog.toml"):
        assert not files.search(path), path
