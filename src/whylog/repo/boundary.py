"""The one rule for which paths whylog may read or write.

A path may be read when, after resolving symbolic links, it lies inside the work tree (the git work tree
holding the repo, else the repo's folder) and not inside `.git`. A path may be written when, besides, no
part of it from the repo's folder down is a symbolic link: a link committed to a repository must not carry
a write somewhere else, nor be silently replaced by a regular file.

Every name whylog did not make itself goes through `check_path`: whylog.toml's [write] targets and
[sources] folders, the files a record names (`--file`, `files[].path`), the steps of a pending multi-file
write, and the record files written through a temporary file. whylog.toml's own paths and globs are
checked as text first (`config_path_problem`), so a bad one is a config error naming its key.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Literal

from whylog import git
from whylog.model.errors import PathRefused

Access = Literal["read", "write"]

OUTSIDE = "is outside the repo; whylog reads and writes only inside the work tree"
IN_GIT = "is inside .git; whylog never reads or writes git's own files"
UP_OR_ABSOLUTE = "is an absolute path or goes up with ..; expected a path inside the repo"


def work_tree(root: Path) -> Path:
    """The top of the git work tree holding `root`, else `root` itself; resolved."""
    found = git.work_tree_of(root)
    return found[0] if found is not None else root.resolve()


def config_path_problem(text: str) -> str | None:
    """Why a path or glob from whylog.toml may not be used (None when it may): it is read as text,
    before any file is looked at."""
    if "\0" in text:
        return "holds a NUL byte; expected a path"
    parts = PurePosixPath(text.replace("\\", "/")).parts
    if text.startswith(("/", "\\", "~")) or os.path.isabs(text) or text[1:2] == ":" or ".." in parts:
        return UP_OR_ABSOLUTE
    if any(part.lower() == ".git" for part in parts):
        return IN_GIT
    return None


def check_path(root: Path, path: str | Path, access: Access, *, top: Path | None = None) -> Path:
    """`path` resolved, when the rule allows `access` to it; else PathRefused naming the path and the
    rule. A `str` is a name from input, relative to `root` (an absolute one is refused); a `Path` is one
    whylog built. `top` (the work tree) may be passed by callers checking many paths."""
    shown = path if isinstance(path, str) else _shown(root, path)
    if "\0" in str(path):
        raise PathRefused("holds a NUL byte; expected a file name", shown)
    if isinstance(path, str) and (os.path.isabs(path) or path.startswith("~")):
        raise PathRefused("is an absolute path; expected a path relative to the repo", shown)
    target = root / path
    if access == "write":
        if ".." in target.parts:
            raise PathRefused(UP_OR_ABSOLUTE, shown)
        link = _first_link(root, target)
        if link is not None:
            what = "is a symbolic link" if link == target else f"goes through a symbolic link ({_shown(root, link)})"
            raise PathRefused(f"{what}; whylog writes only to real files inside the repo", shown)
    resolved = target.resolve()
    try:
        inside = resolved.relative_to(top or work_tree(root))
    except ValueError:
        raise PathRefused(OUTSIDE, shown) from None
    if any(part.lower() == ".git" for part in (*inside.parts, *Path(path).parts)):
        raise PathRefused(IN_GIT, shown)
    return resolved


def _first_link(root: Path, target: Path) -> Path | None:
    """The first symbolic link on the way from `root` down to `target` (`target` included)."""
    try:
        parts = target.relative_to(root).parts
    except ValueError:
        return target if target.is_symlink() else None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
