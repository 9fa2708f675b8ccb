"""Nothing outside the repo: the one path rule, the state folder that never comes from git, and foreign
pending steps (issue 11, item 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.scripted_git import Repo
from whylog.model.errors import PathRefused
from whylog.repo import write_files_atomically, write_lock
from whylog.repo.boundary import check_path

LOG = "# SYSTEM_LOG\n\n"
ADD = ["add", "entry", "--title", "Checked the paths", "--type", "Implementation", "--date", "2026-03-01T10:00:00Z"]


def _log(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "SYSTEM_LOG.md").write_text(LOG, encoding="utf-8")
    return root


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if not line.startswith("  hint:")]
    assert len(lines) == 1, err
    assert lines[0].startswith("whylog: error: "), err
    return lines[0].removeprefix("whylog: error: ")


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts and ".whylog" not in p.relative_to(root).parts
    }


# --- a pending step committed to the repo ----------------------------------------------------------


def _hostile_origin(tmp_path: Path) -> Path:
    """A repo that commits .whylog/pending: a manifest deleting a file outside the clone and installing
    an executable git hook."""
    origin = Repo(tmp_path / "origin")
    origin.write("SYSTEM_LOG.md", ["# SYSTEM_LOG", ""])
    pending = origin.root / ".whylog" / "pending"
    pending.mkdir(parents=True)
    (pending / "0.data").write_text("#!/bin/sh\necho pwned > /tmp/pwned\n")
    os.chmod(pending / "0.data", 0o755)
    steps = [{"path": "../outside/victim.txt", "staged": None}, {"path": ".git/hooks/pre-commit", "staged": "0.data"}]
    (pending / "manifest.json").write_text(json.dumps(steps))
    origin.git("add", "-f", "-A")
    origin.commit("records and a staged step")
    return origin.root


@pytest.mark.parametrize(
    "command",
    [ADD, ["archive"], ["renumber"], ["list"], ["lint", "--fix"], ["verify", "--yes"], ["search", "pool"]],
    ids=["add", "archive", "renumber", "list", "lint-fix", "verify-yes", "search"],
)
def test_a_committed_pending_step_is_never_replayed_after_clone(tmp_path: Path, command: list[str]) -> None:
    origin = _hostile_origin(tmp_path)
    clone = tmp_path / "work" / "clone"
    clone.parent.mkdir()
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    victim = tmp_path / "work" / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("keep me\n")
    before = _files(clone)
    code, _, err = run_cli(["-C", str(clone), *command])
    assert code == 2, err
    assert ".whylog" in _one_line(err) and "tracked by git" in err
    assert victim.read_text() == "keep me\n"
    assert not (clone / ".git" / "hooks" / "pre-commit").exists()
    assert _files(clone) == before


def test_an_untracked_pending_step_this_clone_did_not_write_is_refused(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    Repo(root).commit("log")
    (root / "notes.md").write_text("mine\n")
    pending = root / ".whylog" / "pending"
    pending.mkdir(parents=True)
    (pending / "manifest.json").write_text(json.dumps([{"path": "notes.md", "staged": None}]))
    code, _, err = run_cli(["-C", str(root), *ADD])
    assert code == 2
    assert _one_line(err).startswith(".whylog/pending/manifest.json: was not written by whylog in this clone")
    assert (root / "notes.md").read_text() == "mine\n"
    assert pending.is_dir()  # left for the user to look at


def test_a_step_naming_a_path_outside_the_repo_is_refused_before_anything_is_staged(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    (tmp_path / "victim.txt").write_text("keep\n")
    with (
        pytest.raises(PathRefused, match=r"\.\./victim\.txt: is an absolute path or goes up with \.\."),
        write_lock(root),
    ):
        write_files_atomically(root, [(root / "SYSTEM_LOG.md", b"new\n"), (root / "../victim.txt", None)])
    assert (tmp_path / "victim.txt").read_text() == "keep\n"
    assert (root / "SYSTEM_LOG.md").read_text() == LOG
    assert not (root / ".whylog" / "pending").exists()


def test_a_symlinked_state_folder_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "pending").mkdir(parents=True)
    (elsewhere / "pending" / "keep.txt").write_text("keep\n")
    (root / ".whylog").symlink_to(elsewhere)
    code, _, err = run_cli(["-C", str(root), *ADD])
    assert code == 2
    assert _one_line(err).startswith(".whylog: is a symbolic link")
    assert (elsewhere / "pending" / "keep.txt").read_text() == "keep\n"
    assert (root / "SYSTEM_LOG.md").read_text() == LOG


def test_a_tracked_state_folder_is_refused_with_how_to_fix_it(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    (root / ".whylog").mkdir()
    (root / ".whylog" / "verify.json").write_text("{}\n")
    repo = Repo(root)
    repo.git("add", "-f", "-A")
    repo.commit("state by mistake")
    code, _, err = run_cli(["-C", str(root), "list"])
    assert code == 2
    assert (
        _one_line(err)
        == ".whylog: is tracked by git; whylog keeps only local state there and never takes it from a repo's history"
    )
    assert "git rm -r --cached .whylog" in err


def test_the_state_folder_ignores_itself_and_init_ignores_it(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    repo = Repo(root)
    code, _, err = run_cli(["-C", str(root), *ADD])
    assert code == 0, err
    assert repo.git("status", "--porcelain", "--ignored", "--", ".whylog") == "!! .whylog/\n"
    code, _, err = run_cli(["-C", str(root), "init", "--no-merge-driver"])
    assert code == 0, err
    assert ".whylog/" in (root / ".gitignore").read_text().splitlines()


# --- [write] targets, [sources] globs and record file references -------------------------------------


@pytest.mark.parametrize(
    "target, rule",
    [
        ("{abs}/LOG.md", "is an absolute path or goes up with .."),
        ("../x.md", "is an absolute path or goes up with .."),
        (".git/hooks/pre-commit", "is inside .git"),
    ],
)
def test_a_write_target_outside_the_repo_is_a_config_error(tmp_path: Path, target: str, rule: str) -> None:
    root = _log(tmp_path / "repo")
    Repo(root)
    target = target.format(abs=tmp_path)
    (root / "whylog.toml").write_text(f'[write]\nentry = "{target}"\n')
    code, _, err = run_cli(["-C", str(root), *ADD])
    assert code == 2
    line = _one_line(err)
    assert line.startswith(f"whylog.toml:2: [write] entry = {target!r}: {rule}"), line
    assert not (tmp_path / "LOG.md").exists() and not (tmp_path / "x.md").exists()
    assert not (root / ".git" / "hooks" / "pre-commit").exists()


@pytest.mark.parametrize("glob", ["/etc/*.md", "../*.md", "docs/../../*.md"])
def test_a_source_glob_outside_the_repo_is_a_config_error(tmp_path: Path, glob: str) -> None:
    root = _log(tmp_path / "repo")
    (root / "whylog.toml").write_text(f'[sources]\n"{glob}" = "syslog"\n')
    code, _, err = run_cli(["-C", str(root), "list"])
    assert code == 2
    assert _one_line(err).startswith(f"whylog.toml:2: [sources] {glob!r}: is an absolute path or goes up with ..")


def test_a_symlinked_record_file_is_not_written_through(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    real = _log(tmp_path / "elsewhere") / "SYSTEM_LOG.md"
    (root / "SYSTEM_LOG.md").symlink_to(real)
    code, _, err = run_cli(["-C", str(root), *ADD])
    assert code == 2
    assert _one_line(err).startswith("SYSTEM_LOG.md: is a symbolic link")
    assert (root / "SYSTEM_LOG.md").is_symlink() and real.read_text() == LOG


def test_a_symlinked_record_folder_is_not_written_through(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "adr").symlink_to(outside)
    code, _, err = run_cli(["-C", str(root), "add", "decision", "--title", "Use a queue", "--status", "Accepted"])
    assert code == 2
    assert "docs/adr" in _one_line(err) and ("symbolic link" in err or "outside the repo" in err)
    assert list(outside.iterdir()) == []


def test_a_symlinked_log_pointing_outside_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text("# SYSTEM_LOG\n\n## 2026-01-01 10:00 UTC - Secret plans\n\n**Type:** Implementation\n")
    (root / "SYSTEM_LOG.md").symlink_to(outside)
    code, out, err = run_cli(["-C", str(root), "list"])
    assert code == 2 and "Secret plans" not in out
    assert _one_line(err).startswith("SYSTEM_LOG.md: is outside the repo")


@pytest.mark.parametrize("ref", ["../../etc/passwd:1-3", "/etc/passwd:1-3", ".git/config"])
def test_a_file_reference_outside_the_repo_is_refused(tmp_path: Path, ref: str) -> None:
    root = _log(tmp_path / "repo")
    Repo(root)
    code, _, err = run_cli(["-C", str(root), *ADD, "--file", ref])
    assert code == 2
    path = ref.split(":")[0]
    assert _one_line(err).startswith(f"{path}: is "), err
    assert (root / "SYSTEM_LOG.md").read_text() == LOG


def test_a_file_reference_in_json_input_outside_the_repo_is_refused(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    record = {"title": "Read the shadow file", "fields": {"type": "Implementation"}, "files": [{"path": "/etc/shadow"}]}
    code, _, err = run_cli(["-C", str(root), "add", "entry", "--json", "-"], stdin=json.dumps(record))
    assert code == 2
    assert _one_line(err).startswith("/etc/shadow: is an absolute path")
    assert (root / "SYSTEM_LOG.md").read_text() == LOG


def test_the_rule_itself(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    (root / "docs").mkdir()
    (root / "linked.md").symlink_to(root / "SYSTEM_LOG.md")
    assert check_path(root, "docs/new.md", "write") == (root / "docs" / "new.md").resolve()
    assert check_path(root, "linked.md", "read") == (root / "SYSTEM_LOG.md").resolve()
    with pytest.raises(PathRefused, match="symbolic link"):
        check_path(root, "linked.md", "write")
    with pytest.raises(PathRefused, match="inside .git"):
        check_path(root, ".GIT/hooks/x", "read")
    with pytest.raises(PathRefused, match="NUL"):
        check_path(root, "a\x00b", "read")
    assert check_path(root, root / "SYSTEM_LOG.md", "write") == (root / "SYSTEM_LOG.md").resolve()


def test_a_kill_during_a_write_leaves_its_temporary_file_in_the_state_folder_for_the_next_writer(
    tmp_path: Path,
) -> None:
    root = _log(tmp_path / "repo")
    Repo(root)
    crash = (  # killed between writing the temporary file and renaming it over the log
        "import os, sys\n"
        "real = os.replace\n"
        "os.replace = lambda a, b: os._exit(9) if str(b).endswith('SYSTEM_LOG.md') else real(a, b)\n"
        "from whylog.cli import main\n"
        "main(['-C', sys.argv[1], *sys.argv[2:]])\n"
    )
    done = subprocess.run([sys.executable, "-c", crash, str(root), *ADD], check=False)
    assert done.returncode == 9
    assert Repo(root).git("status", "--porcelain") == "?? SYSTEM_LOG.md\n"  # nothing for `git add -A` but the log
    assert list((root / ".whylog" / "tmp").iterdir())
    code, _, err = run_cli(["-C", str(root), *ADD])
    assert code == 0, err
    assert list((root / ".whylog" / "tmp").iterdir()) == []


def test_a_temporary_file_an_older_version_left_beside_the_log_is_removed_by_the_next_write(tmp_path: Path) -> None:
    root = _log(tmp_path / "repo")
    stale = root / ".SYSTEM_LOG.md.4242.whylog-tmp"
    stale.write_text("half a log\n")
    code, _, err = run_cli(["-C", str(root), *ADD])
    assert code == 0, err
    assert not stale.exists()
