"""`.whylog/`, the local state beside the records, and how record files are written: the write lock,
temporary files, and multi-file steps that a crash cannot leave half done.

`.whylog/` holds the index, the write lock, verify runs, a pending step and temporary files. It is never
taken from a repository's history: it ignores itself (a `.gitignore` of `*` inside), and a `.whylog` that
is a symbolic link, or that git tracks, is refused before anything in it is read or written.

A pending step (`.whylog/pending/`) is replayed only when its manifest carries the token of a seal kept
outside git's reach (in the git folder; outside git, beside the manifest), so a manifest that came with a
clone or a pull is never run, and only when every path in it passes `boundary.check_path` for writing.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from whylog import git
from whylog.model.errors import PathRefused
from whylog.repo.boundary import check_path

STATE_DIR = ".whylog"
PENDING = "pending"
MANIFEST = "manifest.json"
_STAGED = re.compile(r"[0-9]+\.data")
_held = threading.local()  # the roots whose write lock this thread holds
_untracked: dict[str, str] = {}  # state folder -> git index stamp when it was last found untracked


def check_state_dir(root: Path) -> Path:
    """`.whylog` under `root`, refused when it is a symbolic link, not a folder, or tracked by git."""
    path = root / STATE_DIR
    if path.is_symlink():
        raise PathRefused(
            "is a symbolic link; whylog keeps its local state only in a real folder of the repo",
            STATE_DIR,
            hint="remove the link (rm .whylog); whylog makes the folder again",
        )
    if not path.exists():
        return path
    if not path.is_dir():
        raise PathRefused("is not a folder; whylog keeps its local state there", STATE_DIR)
    found = git.work_tree_of(root)
    if found is not None:
        _refuse_tracked(root, path, found[1])
    return path


def _refuse_tracked(root: Path, path: Path, git_dir: Path) -> None:
    """Ask git whether it tracks `.whylog` once per change of its index: the answer is kept in this
    process and, for the next ones, in a marker in the git folder holding the index stamp it is for."""
    key, stamp = str(path.resolve()), git.index_stamp(git_dir)
    if _untracked.get(key) == stamp:
        return
    marker = git_dir / f"whylog-untracked-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    try:
        known = marker.read_text(encoding="utf-8") == stamp
    except OSError:
        known = False
    if not known:
        if git.is_tracked(root, STATE_DIR):
            raise PathRefused(
                "is tracked by git; whylog keeps only local state there and never takes it from a repo's history",
                STATE_DIR,
                hint="git rm -r --cached .whylog && git commit (then .whylog/ stays ignored)",
            )
        with contextlib.suppress(OSError):  # a read-only git folder: ask again next time
            write_atomic(marker, stamp)
    _untracked[key] = stamp


def state_dir(root: Path) -> Path:
    """`.whylog` under `root`, checked and made (ignoring itself) when missing."""
    path = check_state_dir(root)
    path.mkdir(exist_ok=True)
    ignore = path / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# whylog's local state: never committed\n*\n", encoding="utf-8")
    return path


def _held_roots() -> set[str]:
    roots: set[str] | None = getattr(_held, "roots", None)
    if roots is None:
        roots = _held.roots = set()
    return roots


@contextlib.contextmanager
def write_lock(root: Path) -> Iterator[None]:
    """An inter-process lock for the repo's record files, held while a writer reads, decides and
    writes, so two agents adding at the same moment never lose each other's records. Taking it cleans
    the temporary files a killed writer left and finishes (or drops) a step a crash cut short. A thread
    that holds it may take it again."""
    import fcntl

    key, held = str(root.resolve()), _held_roots()
    if key in held:
        yield
        return
    folder = state_dir(root)
    with open(folder / "write.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        held.add(key)
        try:
            _clean_temporary(folder)
            complete_pending(root)
            yield
        finally:
            held.discard(key)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def settle_pending(root: Path) -> None:
    """Before records are read: finish a step a crash cut short past its manifest (a stat when none)."""
    if (root / STATE_DIR / PENDING / MANIFEST).is_file() and str(root.resolve()) not in _held_roots():
        with write_lock(root):
            pass


def _clean_temporary(folder: Path) -> None:
    """Under the lock, every temporary file is a killed writer's: remove them."""
    temporary = folder / "tmp"
    if temporary.is_dir() and not temporary.is_symlink():
        for path in temporary.iterdir():
            if path.is_file() or path.is_symlink():
                path.unlink(missing_ok=True)


def write_record_bytes(root: Path, path: Path, data: bytes) -> None:
    """Write a record file atomically: through a temporary file in `.whylog/tmp/`, fsync, then rename
    over the target, so a reader sees the old file or the new one and a killed writer leaves nothing in
    the work tree. The path must pass the rule for writing. Hold the write lock."""
    check_path(root, path, "write")
    folder = state_dir(root) / "tmp"
    folder.mkdir(exist_ok=True)
    _replace_through(folder / f"{os.getpid()}-{threading.get_ident()}-{path.name}", path, data)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.whylog-tmp"):  # left beside it by older versions
        stale.unlink(missing_ok=True)


def write_repo_file(root: Path, path: Path, text: str) -> None:
    """Write a file of the repo that whylog keeps (whylog.toml, .gitignore, .gitattributes, agent rule
    files) as a record file is written: checked by the rule, under the lock, through .whylog/tmp."""
    with write_lock(root):
        write_record_bytes(root, path, text.encode("utf-8", errors="surrogateescape"))


def write_atomic(path: Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write a file whylog names itself (config, an output, a hook) through a temporary file beside it,
    fsync, then rename over the target. Record files go through `write_record_bytes`."""
    _replace_through(path.with_name(f".{path.name}.{os.getpid()}.whylog-tmp"), path, data)


def _replace_through(temp: Path, path: Path, data: bytes) -> None:
    """Write `data` to `temp` (keeping `path`'s mode), fsync, rename it over `path`, fsync the folder;
    the temporary file never outlives the call."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        _write_synced(temp, data, mode)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
    _sync_folder(path.parent)


def _write_synced(path: Path, data: bytes, mode: int) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, mode)


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


# --- steps over several files ----------------------------------------------------------------------


def write_files_atomically(
    root: Path, changes: Sequence[tuple[Path, bytes | None]], after_step: Callable[[int], None] | None = None
) -> None:
    """Write (bytes) or delete (None) several files as one step. Hold the write lock.

    Every path is checked first. The new contents are staged in .whylog/pending and a manifest naming
    them is written last, with the token of a seal kept outside git's reach: a crash before the manifest
    leaves every file as it was; a crash after it is finished before the next read or write. `after_step(n)`
    is called after the manifest (0) and after the n-th file (tests stop the process there)."""
    base = root.resolve()
    names = []
    for path, _ in changes:
        resolved = check_path(root, path, "write")
        if not resolved.is_relative_to(base):
            raise PathRefused("is outside the repo's folder; whylog writes record files only there", str(path))
        names.append(resolved.relative_to(base).as_posix())
    folder = state_dir(root) / PENDING
    _remove(folder)
    folder.mkdir()
    steps = []
    for number, ((path, data), name) in enumerate(zip(changes, names, strict=True)):
        staged = None
        if data is not None:
            staged = f"{number}.data"
            _write_synced(folder / staged, data, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        steps.append({"path": name, "staged": staged})
    token = secrets.token_hex(16)
    write_atomic(_seal(root), token)
    write_atomic(folder / MANIFEST, json.dumps({"token": token, "steps": steps}))
    if after_step is not None:
        after_step(0)
    complete_pending(root, after_step)


def complete_pending(root: Path, after_step: Callable[[int], None] | None = None) -> None:
    """Finish a `write_files_atomically` step a crash interrupted, or drop one that never committed.
    A manifest this clone did not write, or one naming a path the rule refuses, is left alone and refused."""
    folder = root / STATE_DIR / PENDING
    if folder.is_symlink():
        raise PathRefused("is a symbolic link; expected whylog's own folder", f"{STATE_DIR}/{PENDING}")
    if not folder.is_dir():
        return
    manifest = folder / MANIFEST
    if manifest.is_file():
        for number, (target, staged) in enumerate(_trusted_steps(root, manifest), start=1):
            if staged is None:
                target.unlink(missing_ok=True)
            elif (folder / staged).exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / staged, target)
            if after_step is not None:
                after_step(number)
    _remove(folder)
    _seal(root).unlink(missing_ok=True)


def _trusted_steps(root: Path, manifest: Path) -> list[tuple[Path, str | None]]:
    shown = f"{STATE_DIR}/{PENDING}/{MANIFEST}"
    hint = f"look at {STATE_DIR}/{PENDING}, then remove it (rm -r {STATE_DIR}/{PENDING})"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        seal = _seal(root).read_text(encoding="utf-8")
    except (OSError, ValueError):
        data, seal = None, ""
    if not isinstance(data, dict) or not seal or data.get("token") != seal or not isinstance(data.get("steps"), list):
        raise PathRefused("was not written by whylog in this clone; not replayed", shown, hint=hint)
    out: list[tuple[Path, str | None]] = []
    for step in data["steps"]:
        path, staged = (step.get("path"), step.get("staged")) if isinstance(step, dict) else (None, None)
        if not isinstance(path, str) or not (staged is None or (isinstance(staged, str) and _STAGED.fullmatch(staged))):
            raise PathRefused("holds a step that is not a path and a staged file; not replayed", shown, hint=hint)
        check_path(root, path, "write")
        out.append((root / path, staged))
    return out


def _seal(root: Path) -> Path:
    """Where the token of this repo's pending step is kept: in the git folder, which no clone or pull
    writes; outside git, beside the step (there is no history to bring one in)."""
    found = git.work_tree_of(root)
    if found is None:
        return root / STATE_DIR / "pending.seal"
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return found[1] / f"whylog-pending-{key}"


def _remove(folder: Path) -> None:
    if folder.is_symlink():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
