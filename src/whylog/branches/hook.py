"""The git pre-commit hook `whylog init --hook` installs: it checks the record files a commit stages.

The hook is a POSIX shell script. It asks git for the staged record files (the config's source globs as
`:(glob)` pathspecs) and runs `whylog lint --for-commit` on them: findings in those files only, and this
clone's own verify results (FIL012, FIL013, which the commit does not carry) as warnings. A whylog without
`--for-commit` runs plain `lint`; one without `lint` runs `whylog parse` on each and fails the commit on
bad input (exit 2). It checks the files as they are in the work tree. It never
replaces a hook that is not whylog's (one without MARKER); installing again rewrites whylog's own.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import sys
from pathlib import Path, PurePosixPath
from typing import Literal

from whylog import git
from whylog.model.errors import WriteError
from whylog.repo import Config, write_atomic

MARKER = "# whylog pre-commit hook"
Outcome = Literal["installed", "updated", "kept"]

_SCRIPT = """#!/bin/sh
{marker}: checks the staged record files. Written by `whylog init --hook`;
# running that again rewrites this file. Set WHYLOG to the whylog command to use another one.
whylog="${{WHYLOG:-whylog}}"
command -v "$whylog" >/dev/null 2>&1 || whylog={fallback}
if "$whylog" lint --help >/dev/null 2>&1; then check=lint; else check=parse; fi
"$whylog" lint --help 2>/dev/null | grep -q -e --for-commit && check=lint-for-commit
git diff --cached --name-only -z --diff-filter=ACMR -- {pathspecs} |
  xargs -0 sh -c '
    whylog=$1 check=$2
    shift 2
    [ $# -gt 0 ] || exit 0
    [ "$check" = lint-for-commit ] && exec "$whylog" lint --for-commit -- "$@"
    [ "$check" = lint ] && exec "$whylog" lint "$@"
    status=0
    for file in "$@"; do
      "$whylog" parse "$file" >/dev/null
      [ $? -eq 2 ] && status=1
    done
    exit $status
  ' whylog-hook "$whylog" "$check"
"""


def hook_script(config: Config, top: Path, fallback: str) -> str:
    """The hook's text for the record files of `config` in the git work tree at `top`."""
    try:
        prefix = config.root.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        prefix = "."
    globs = [(PurePosixPath(prefix) / glob).as_posix() for glob in config.sources]
    pathspecs = " ".join(shlex.quote(f":(glob){glob}") for glob in globs)
    return _SCRIPT.format(marker=MARKER, fallback=shlex.quote(fallback), pathspecs=pathspecs)


def whylog_command() -> str:
    """The whylog beside the running Python (a venv's console script), else `whylog` on PATH."""
    beside = Path(sys.executable).parent / "whylog"
    return str(beside) if beside.is_file() else shutil.which("whylog") or "whylog"


def install_hook(config: Config, fallback: str | None = None) -> tuple[Path, Outcome]:
    """Write the pre-commit hook where git looks for hooks (core.hooksPath included)."""
    top = git.repo_root(config.root)
    if top is None:
        raise WriteError("--hook: not inside a git work tree", str(config.root), hint="run `git init` first")
    path = git.hooks_folder(top) / "pre-commit"
    text = hook_script(config, top, fallback or whylog_command())
    outcome: Outcome = "installed"
    if path.exists() or path.is_symlink():
        old = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        if MARKER not in old:
            raise WriteError(
                "a pre-commit hook that is not whylog's is already there; left as it is",
                str(path),
                hint="add `whylog lint` to that hook yourself, or move it away and run `whylog init --hook` again",
            )
        outcome = "kept" if old == text else "updated"
    if outcome != "kept":
        write_atomic(path, text)
    mode = path.stat().st_mode
    os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path, outcome
