"""The `why` target (PATH, PATH:LINE, PATH:START-END) and the paths records name."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from whylog.model.errors import TargetError as TargetError  # the one error tree lives in model.errors

_LINES = re.compile(r"^(.+):(\d+)(?:-(\d+))?$")
_BAD_LINES = re.compile(r":[\d\s-]*$")
_HINT = "write PATH, PATH:LINE or PATH:START-END, e.g. src/auth.py:42 or src/auth.py:15-45"


@dataclass(frozen=True, slots=True)
class Target:
    """What `why` was asked about: a path relative to the repo root (a folder ends with "/"), and lines."""

    path: str
    lines: tuple[int, int] | None = None


def read_target(text: str, root: Path) -> Target:
    """`PATH`, `PATH:LINE` or `PATH:START-END`; the path relative to `root` (absolute paths under it too)."""
    raw = text.strip()
    match = _LINES.match(raw)
    lines: tuple[int, int] | None = None
    if match:
        raw, start = match.group(1), int(match.group(2))
        end = int(match.group(3) or start)
        if start < 1 or end < start:
            raise TargetError(f"bad line range in {text!r}: lines count from 1 and START <= END", hint=_HINT)
        lines = (start, end)
    elif _BAD_LINES.search(raw) or _bad_line_spec(raw, root):
        raise TargetError(f"bad target {text!r}: expected a line number or START-END after ':'", hint=_HINT)
    path = _relative(raw, root, text)
    if path.endswith("/") and lines:
        raise TargetError(f"bad target {text!r}: {path} is a folder; line numbers need a file", hint=_HINT)
    return Target(path, lines)


def _bad_line_spec(raw: str, root: Path) -> bool:
    """`src/app.py:abc`: what follows the last ':' is no line spec and no file has the whole name, while
    the part before it is a file, or the part after it reads as no file name (no extension). A name that
    merely holds a colon (`weird:name.py`) stays a path."""
    head, sep, tail = raw.rpartition(":")
    if not (sep and head) or "/" in tail or (root / raw).exists():
        return False
    return (root / head).is_file() or "." not in tail


def _relative(raw: str, root: Path, text: str) -> str:
    if not raw:
        raise TargetError(f"bad target {text!r}: no path", hint=_HINT)
    path = Path(raw)
    if path.is_absolute():
        try:
            raw = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise TargetError(f"{raw} is outside the repo at {root}", hint=_HINT) from None
    clean = posixpath.normpath(raw)
    if clean in (".", "..") or clean.startswith("../"):
        raise TargetError(f"bad target {text!r}: name a file or folder inside the repo", hint=_HINT)
    return clean + "/" if raw.endswith("/") or (root / clean).is_dir() else clean


def norm_path(path: str) -> str:
    """A recorded path as the target is written: no leading ./, no doubled slashes, folders end with /."""
    text = path.strip()
    if text and "//" not in text and "./" not in text and not text.endswith(("/.", "/..")) and text not in (".", ".."):
        return text  # already clean: the common case, and `why` checks every reference of every record
    clean = posixpath.normpath(text) if text else text
    return clean + "/" if text.endswith("/") and clean != "/" else clean


def covers(recorded: str, wanted: str) -> bool:
    """A recorded path names the wanted one: equal, a recorded folder holding it, or under a wanted folder."""
    if recorded == wanted or (recorded.endswith("/") and wanted.startswith(recorded)):
        return True
    return wanted.endswith("/") and recorded.startswith(wanted)
