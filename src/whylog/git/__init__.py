"""git: the only module that runs git. Blame for anchors, history for renames, diffs for line mapping.

Every call is `git -c core.quotepath=off --literal-pathspecs ...` without a shell, with machine-readable
output (`-z`, `--porcelain`), so names with spaces or non-ASCII letters survive. A failing git becomes a
`GitError`; a folder outside git gives None from `repo_root` and `probe`, never an exception.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from whylog.model.errors import GitError as GitError  # the one error tree lives in model.errors

Status = Literal["exact", "shifted", "partly-rewritten", "rewritten", "deleted", "unknown"]
Request = tuple[str, int, int]
Hunk = tuple[int, int, int, int]
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}
_SHA = re.compile(rb"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.M)
_SECTION = re.compile(rb"^(?:diff --git |\* Unmerged path )", re.M)
_DIFF = ("--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", "-z", "-M")


@dataclass(frozen=True, slots=True)
class Mapped:
    """Where a line range recorded at an anchor commit is now (HEAD plus uncommitted changes).

    `status`: exact (no change), shifted (moved by lines added or removed above), partly-rewritten (some
    lines changed; start-end spans the surviving lines), rewritten (every line replaced; start-end spans
    the replacement, None when there is none), deleted (the lines or the file are gone), unknown (git did
    not have the path at the anchor)."""

    path: str
    renamed_from: str | None
    start: int | None
    end: int | None
    status: Status


@dataclass(frozen=True, slots=True)
class Probe:
    """A work tree read from the files under .git, without running git: its top folder, the HEAD commit
    (None before the first commit) and the index file's mtime and size (a cheap change stamp)."""

    root: Path
    head: str | None
    index: str


@dataclass(frozen=True, slots=True)
class _Change:
    status: str
    old: str
    new: str
    hunks: tuple[Hunk, ...]
    opaque: bool
    binary: bool = False


def _git(root: Path, *args: str, literal: bool = True) -> subprocess.CompletedProcess[bytes]:
    command = ["git", "-c", "core.quotepath=off", *(["--literal-pathspecs"] if literal else []), *args]
    try:
        return subprocess.run(command, cwd=root, capture_output=True, env={**os.environ, **_ENV}, check=False)
    except OSError as exc:
        raise GitError(f"could not run git: {exc.strerror or exc}", str(root), hint="is git installed?") from None


def _fail(proc: subprocess.CompletedProcess[bytes], what: str, root: Path) -> GitError:
    lines = os.fsdecode(proc.stderr).strip().splitlines() or [f"exit status {proc.returncode}"]
    return GitError(f"git {what} failed: {lines[-1]}", str(root))


def repo_root(path: Path) -> Path | None:
    """The top folder of the git work tree holding `path`; None outside git (or when git is missing)."""
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        proc = _git(folder, "rev-parse", "--show-toplevel")
    except GitError:
        return None
    text = os.fsdecode(proc.stdout).rstrip("\n")
    return Path(text) if proc.returncode == 0 and text else None


def head_commit(root: Path) -> str | None:
    """The commit HEAD names; None in a repository with no commits yet, or outside git."""
    proc = _git(root, "rev-parse", "-q", "--verify", "HEAD^{commit}")
    text = proc.stdout.strip()
    return text.decode() if proc.returncode == 0 and _SHA.match(text) else None


# --- reading .git without running git (for cache keys) ----------------------------------------------


def probe(start: Path) -> Probe | None:
    """The work tree holding `start`, read from .git's files; None outside git. HEAD is read from loose
    or packed refs; layouts this cannot read (reftable) ask git instead."""
    here = start.resolve()
    top = next((f for f in (here, *here.parents) if (f / ".git").exists()), None)
    git_dir = _git_dir(top) if top is not None else None
    if top is None or git_dir is None:
        return None
    common = git_dir
    if (git_dir / "commondir").is_file():
        common = (git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()).resolve()
    if (common / "reftable").is_dir():
        return Probe(top, head_commit(top), _stamp(git_dir / "index"))
    return Probe(top, _read_head(git_dir, common), _stamp(git_dir / "index"))


def work_tree_of(start: Path) -> tuple[Path, Path] | None:
    """The top folder of the work tree holding `start` and its git folder, read from the files; None
    outside git."""
    here = start.resolve()
    top = next((f for f in (here, *here.parents) if (f / ".git").exists()), None)
    git_dir = _git_dir(top) if top is not None else None
    return None if top is None or git_dir is None else (top, git_dir)


def index_stamp(git_dir: Path) -> str:
    """The index file's mtime and size: it changes whenever git adds, removes or checks out files."""
    return _stamp(git_dir / "index")


def is_tracked(root: Path, path: str) -> bool:
    """Whether git tracks `path` (relative to `root`) or any file under it; False outside git."""
    try:
        proc = _git(root, "ls-files", "-z", "--", path)
    except GitError:
        return False
    return proc.returncode == 0 and bool(proc.stdout.strip(b"\0"))


def _git_dir(top: Path) -> Path | None:
    dot = top / ".git"
    if dot.is_dir():
        return dot
    try:
        text = dot.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return (top / text[len("gitdir:") :].strip()).resolve() if text.startswith("gitdir:") else None


def _read_head(git_dir: Path, common: Path) -> str | None:
    try:
        text = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("ref:"):
        return text if _SHA.match(text.encode()) else None
    ref = text[4:].strip()
    for folder in (git_dir, common):
        loose = folder / ref
        if loose.is_file():
            value = loose.read_text(encoding="utf-8").strip()
            return value if _SHA.match(value.encode()) else None
    return _packed_ref(common / "packed-refs", ref)


def _packed_ref(path: Path, ref: str) -> str | None:
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        sha, _, name = line.partition(" ")
        if name == ref and _SHA.match(sha.encode()):
            return sha
    return None


def _stamp(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_mtime_ns}:{info.st_size}"


# --- blame: the commit that added a record's lines --------------------------------------------------


def blame_commits(root: Path, log_path: str, lines: Iterable[tuple[int, int]]) -> dict[int, str]:
    """The commit that last added each line of `log_path` (relative to `root`) in the ranges asked, from
    one `git blame --porcelain` call. Lines moved within the file or from another file in the same commit
    (`-M -C`: an entry archived to another log) keep their first commit. Lines not committed yet, or a
    file git does not track, map to nothing: their anchor is the working tree."""
    count = _line_count(root / log_path)
    spans = merge_spans((max(1, a), min(b, count)) for a, b in lines)
    if not spans:
        return {}
    ranges = (f"-L{a},{b}" for a, b in spans)
    proc = _git(root, "blame", "--porcelain", "-w", "-M", "-C", *ranges, "--", log_path)
    if proc.returncode != 0:
        if b"no such path" in proc.stderr or b"no such ref" in proc.stderr:
            return {}
        raise _fail(proc, f"blame {log_path}", root)
    commits: dict[int, str] = {}
    for line in proc.stdout.split(b"\n"):
        parts = line.split(b" ")
        if len(parts) in (3, 4) and _SHA.match(parts[0]) and parts[2].isdigit() and parts[0].strip(b"0"):
            commits[int(parts[2])] = parts[0].decode()
    return commits


def _line_count(path: Path) -> int:
    try:
        data = path.read_bytes()
    except OSError:
        return 0
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def merge_spans(spans: Iterable[tuple[int, int]], gap: int = 0) -> list[tuple[int, int]]:
    """Line ranges sorted, with ranges that overlap, touch or lie at most `gap` lines apart made one."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[0] <= s[1]):
        if merged and a - merged[-1][1] - 1 <= gap:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


# --- names: what a path was called before ------------------------------------------------------------


def path_names(root: Path, path: str) -> tuple[str, ...]:
    """Every name git knows `path` by, itself first: a staged rename's source and the earlier names
    `git log --follow` finds. Empty when git does not know the path (untracked or nonexistent)."""
    names = _followed(root, path)
    if names:
        return names
    proc = _git(root, "diff", "--cached", "--raw", "-z", "-M", "--diff-filter=AR", "HEAD")
    if proc.returncode != 0:
        return ()
    for status, old, new in _raw_entries(proc.stdout)[0]:
        if new == path:
            return (path, *_followed(root, old)) if status.startswith("R") else (path,)
    return ()


def _followed(root: Path, path: str) -> tuple[str, ...]:
    proc = _git(root, "log", "--follow", "-M", "--name-status", "-z", "--format=%x01", "--", path)
    if proc.returncode != 0:
        return ()
    tokens = [t.lstrip(b"\n") for t in proc.stdout.split(b"\0")]
    names: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token or token.startswith(b"\x01"):
            continue
        count = 2 if token[:1] in (b"R", b"C") else 1
        names += [os.fsdecode(t) for t in tokens[index : index + count]]
        index += count
    return tuple(dict.fromkeys([path, *names])) if names else ()


# --- line mapping -----------------------------------------------------------------------------------


def map_range(root: Path, anchor_commit: str, path: str, start: int, end: int) -> Mapped:
    """Where lines `start`-`end` of `path` as of `anchor_commit` are now (HEAD and the working tree)."""
    return map_ranges(root, anchor_commit, [(path, start, end)])[0]


def map_ranges(root: Path, anchor: str, requests: Sequence[Request], also: Iterable[str] = ()) -> list[Mapped]:
    """`map_range` for many (path, start, end) at one anchor, from one `git diff -M -U0 ANCHOR` against
    the working tree. `also` names paths a requested file may have been renamed to; a requested file that
    git shows as deleted is looked up once more among the whole tree's renames."""
    if anchor.startswith("-") or not anchor:
        raise GitError(f"not a commit: {anchor!r}", str(root))
    changes = _diff(root, anchor, sorted({p for p, _, _ in requests} | set(also)))
    lost = sorted({p for p, _, _ in requests if p in changes and changes[p].status == "D"})
    moved = _renames(root, anchor, lost) if lost else {}
    if moved:
        again = _diff(root, anchor, sorted(set(moved) | set(moved.values())))
        changes.update({p: c for p, c in again.items() if p in moved})
    return [_map_file(root, changes.get(p), p, s, e) for p, s, e in requests]


def _diff(root: Path, anchor: str, paths: Sequence[str]) -> dict[str, _Change]:
    changes: dict[str, _Change] = {}
    for change in _read_diff(root, anchor[:12], anchor, "--", *paths):
        if change.status[0] != "A" or change.old not in changes:
            changes[change.old] = change
    for change in list(changes.values()):
        if change.status[0] in "RC":
            changes.setdefault(change.new, _Change("A", change.new, change.new, (), False))
    return changes


def _read_diff(root: Path, what: str, *args: str) -> list[_Change]:
    proc = _git(root, "diff", *_DIFF, "--raw", "-p", "-U0", "--histogram", *args)
    if proc.returncode != 0:
        raise _fail(proc, f"diff {what}", root)
    entries, rest = _raw_entries(proc.stdout)
    sections = _sections(rest.lstrip(b"\0"))
    if len(sections) != sum(2 if s.startswith("T") else 1 for s, _, _ in entries):
        raise GitError(f"git diff {what} gave output whylog cannot read", str(root))
    changes: list[_Change] = []
    for status, old, new in entries:
        section = sections.pop(0) if not status.startswith("T") else sections.pop(0) + sections.pop(0)
        binary = b"\nBinary files " in section or b"\nGIT binary patch" in section
        hunks = tuple(_hunk(m) for m in _HUNK.finditer(section))
        changes.append(_Change(status, old, new, hunks, binary or status[0] in "TU", binary))
    return changes


def _hunk(match: re.Match[bytes]) -> Hunk:
    old, old_count, new, new_count = match.groups()
    return int(old), 1 if old_count is None else int(old_count), int(new), 1 if new_count is None else int(new_count)


def _raw_entries(data: bytes) -> tuple[list[tuple[str, str, str]], bytes]:
    """`--raw -z` entries (status, old path, new path) at the start of `data`, and the bytes after them."""
    entries: list[tuple[str, str, str]] = []
    pos = 0
    while data.startswith(b":", pos):
        end = data.index(b"\0", pos)
        status = data[pos:end].rsplit(b" ", 1)[-1].decode()
        first = data.index(b"\0", end + 1)
        old = new = os.fsdecode(data[end + 1 : first])
        pos = first + 1
        if status[:1] in ("R", "C"):
            second = data.index(b"\0", pos)
            new, pos = os.fsdecode(data[pos:second]), second + 1
        entries.append((status, old, new))
    return entries, data[pos:]


def _sections(patch: bytes) -> list[bytes]:
    starts = [m.start() for m in _SECTION.finditer(patch)]
    return [patch[a:b] for a, b in zip(starts, [*starts[1:], len(patch)], strict=False)]


def _renames(root: Path, anchor: str, lost: Sequence[str]) -> dict[str, str]:
    proc = _git(root, "diff", "--raw", "-z", "-M", "--diff-filter=R", anchor)
    if proc.returncode != 0:
        raise _fail(proc, f"diff {anchor[:12]}", root)
    return {old: new for _, old, new in _raw_entries(proc.stdout)[0] if old in lost}


def _map_file(root: Path, change: _Change | None, path: str, start: int, end: int) -> Mapped:
    if change is None:
        known = (root / path).is_file()
        return Mapped(path, None, start, end, "exact" if known else "unknown")
    renamed = change.old if change.new != change.old else None
    if change.status[0] == "A":
        return Mapped(path, None, start, end, "unknown")
    if change.status[0] == "D":
        return Mapped(path, None, None, None, "deleted")
    if change.opaque:
        return Mapped(change.new, renamed, None, None, "rewritten")
    status, new_start, new_end = map_lines(change.hunks, start, end)
    return Mapped(change.new, renamed, new_start, new_end, status)


def map_lines(hunks: Sequence[Hunk], start: int, end: int) -> tuple[Status, int | None, int | None]:
    """Lines `start`-`end` of the old file through `-U0` hunks (old start, old count, new start, new
    count): the status and the lines they span in the new file."""
    kept: list[tuple[int, int]] = []
    replaced: list[tuple[int, int]] = []
    shift, cursor, touched = 0, start, False
    for old, old_count, new, new_count in hunks:
        last = old + old_count - 1 if old_count else old
        if (old_count and last < start) or (not old_count and old < start):
            shift += new_count - old_count
            continue
        if (old_count and old > end) or (not old_count and old >= end):
            break
        touched = True
        first = old if old_count else old + 1
        if first > cursor:
            kept.append((cursor + shift, first - 1 + shift))
        if old_count and new_count:
            replaced.append((new, new + new_count - 1))
        cursor, shift = max(cursor, last + 1), shift + new_count - old_count
    if cursor <= end:
        kept.append((cursor + shift, end + shift))
    if not touched:
        return ("exact" if shift == 0 else "shifted"), start + shift, end + shift
    if kept:
        return "partly-rewritten", kept[0][0], kept[-1][1]
    if replaced:
        return "rewritten", replaced[0][0], replaced[-1][1]
    return "deleted", None, None


# --- capture: what a change touched, for `add --from-git` -------------------------------------------


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parent: str | None
    subject: str
    committed: str = ""  # the committer date, ISO 8601 UTC to the second: 2026-03-19T14:32:07Z


def staged_changes(root: Path) -> list[_Change]:
    """The staged change: the index against HEAD, or against the empty tree before the first commit."""
    return _read_diff(root, "--cached", "--cached", head_commit(root) or empty_tree(root))


def changes_between(root: Path, old: str, new: str) -> list[_Change]:
    """What changed from commit (or tree) `old` to commit `new`."""
    return _read_diff(root, f"{old[:12]}..{new[:12]}", old, new, "--")


def read_commit(root: Path, rev: str) -> Commit:
    """The commit `rev` names, its first parent (None for a root commit), its subject and committer date."""
    if not rev or rev.startswith("-"):
        raise GitError(f"not a revision: {rev!r}", str(root))
    form = "--format=%H%x00%P%x00%ct%x00%s"
    proc = _git(root, "show", "-s", "--no-show-signature", form, f"{rev}^{{commit}}", "--")
    if proc.returncode != 0:
        raise _fail(proc, f"show {rev}", root)
    sha, parents, stamp, subject = os.fsdecode(proc.stdout).rstrip("\n").split("\0", 3)
    committed = datetime.fromtimestamp(int(stamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Commit(sha, parents.split()[0] if parents.split() else None, subject, committed)


def empty_tree(root: Path) -> str:
    """The empty tree's id in this repository's hash (SHA-1 or SHA-256)."""
    proc = _git(root, "hash-object", "-t", "tree", os.devnull)
    if proc.returncode != 0:
        raise _fail(proc, "hash-object", root)
    return proc.stdout.decode().strip()


def existing_folders(root: Path, tree: str, folders: Sequence[str]) -> set[str]:
    """Which of `folders` (repo-relative, no trailing slash) are folders in commit or tree `tree`."""
    if not folders:
        return set()
    proc = _git(root, "ls-tree", "-r", "-d", "-z", "--name-only", tree, "--", *folders)
    if proc.returncode != 0:
        raise _fail(proc, f"ls-tree {tree[:12]}", root)
    return {os.fsdecode(n) for n in proc.stdout.split(b"\0") if n} & set(folders)


def hooks_folder(root: Path) -> Path:
    """Where git looks for hooks (core.hooksPath when set, else .git/hooks)."""
    proc = _git(root, "rev-parse", "--git-path", "hooks")
    if proc.returncode != 0:
        raise _fail(proc, "rev-parse --git-path hooks", root)
    return root / os.fsdecode(proc.stdout).rstrip("\n")


# --- history: commits since a revision, for the unlogged-changes rule ----------------------------------


@dataclass(frozen=True, slots=True)
class ChangedCommit:
    """A commit and the paths it changed (relative to the folder git ran in), with each rename's old name."""

    sha: str
    subject: str
    files: tuple[str, ...]
    renamed_from: dict[str, str]


def commits_since(root: Path, since: str | None) -> list[ChangedCommit]:
    """Commits reachable from HEAD but not from `since` (every commit when None), newest first, each with
    the files it changed under `root` (merges list none). Empty before the first commit."""
    if since is not None and (not since or since.startswith("-")):
        raise GitError(f"not a revision: {since!r}", str(root))
    if head_commit(root) is None:
        return []
    span = f"{since}..HEAD" if since else "HEAD"
    proc = _git(root, "log", "--relative", "-M", "--name-status", "-z", "--format=%x01%H%x00%s", span, "--")
    if proc.returncode != 0:
        raise _fail(proc, f"log {span}", root)
    return [_changed_commit(chunk) for chunk in proc.stdout.split(b"\x01") if chunk.strip()]


def _changed_commit(chunk: bytes) -> ChangedCommit:
    sha, subject, *tokens = chunk.split(b"\0")
    files: list[str] = []
    renamed: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        status = tokens[index].lstrip(b"\n")
        index += 1
        if not status:
            continue
        count = 2 if status[:1] in (b"R", b"C") else 1
        names = [os.fsdecode(t) for t in tokens[index : index + count]]
        index += count
        files.append(names[-1])
        if status[:1] == b"R" and len(names) == 2:
            renamed[names[1]] = names[0]
    return ChangedCommit(sha.decode(), os.fsdecode(subject), tuple(dict.fromkeys(files)), renamed)


def earlier_names(root: Path, path: str) -> tuple[str, ...]:
    """The names `path` had before, newest first, through renames only: a copy's source (which `git log
    --follow` also walks into) is another file, not an earlier name."""
    if head_commit(root) is None:
        return ()
    proc = _git(root, "log", "--relative", "--follow", "-M", "--name-status", "-z", "--format=%x01", "HEAD", "--", path)
    if proc.returncode != 0:
        return ()
    tokens = [t.lstrip(b"\n") for t in proc.stdout.split(b"\0")]
    names: list[str] = []
    current, index = path, 0
    while index < len(tokens):
        status, index = tokens[index], index + 1
        if not status or status.startswith(b"\x01"):
            continue
        count = 2 if status[:1] in (b"R", b"C") else 1
        pair = [os.fsdecode(t) for t in tokens[index : index + count]]
        index += count
        if count == 2 and pair[1] == current:
            if status[:1] == b"C":
                break
            current = pair[0]
            names.append(current)
    return tuple(dict.fromkeys(names))


# --- a file at a commit and the last change to files, for `status` and `verify` --------------------


def show_file(root: Path, commit: str, path: str) -> bytes | None:
    """`path` (relative to `root`) as it was at `commit`; None when that commit did not have it."""
    if not commit or commit.startswith("-"):
        raise GitError(f"not a revision: {commit!r}", str(root))
    proc = _git(root, "show", f"{commit}:./{path}")
    return proc.stdout if proc.returncode == 0 else None


def last_change(root: Path, paths: Sequence[str]) -> tuple[str, str] | None:
    """The newest commit that changed any of `paths` and its committer date (ISO 8601); None when none did."""
    if not paths or head_commit(root) is None:
        return None
    proc = _git(root, "log", "-1", "--format=%H%x00%cI", "HEAD", "--", *paths)
    if proc.returncode != 0:
        raise _fail(proc, "log -1", root)
    sha, _, when = os.fsdecode(proc.stdout).strip().partition("\0")
    return (sha, when) if sha else None


def is_ancestor(root: Path, older: str, newer: str) -> bool:
    """Whether commit `older` is `newer` or one of its ancestors (False when either is unknown)."""
    if not older or not newer or older.startswith("-") or newer.startswith("-"):
        return False
    return _git(root, "merge-base", "--is-ancestor", older, newer).returncode == 0


# --- history: commits in a time window, for incident suspects ------------------------------------------


@dataclass(frozen=True, slots=True)
class DatedCommit:
    """A commit with its committer time (ISO 8601, UTC) and the paths it changed under the folder git ran in."""

    sha: str
    date: str
    subject: str
    files: tuple[str, ...]


def commits_between(root: Path, since: datetime, until: datetime) -> list[DatedCommit]:
    """Commits reachable from HEAD committed at or after `since` and before `until` (aware datetimes),
    newest first. Empty before the first commit."""
    if head_commit(root) is None:
        return []
    window = (f"--since=@{int(since.timestamp())}", f"--until=@{int(until.timestamp())}")
    log = ("log", "--relative", "-M", "--name-status", "-z", "--format=%x01%H%x00%ct%x09%s")
    proc = _git(root, *log, *window, "HEAD", "--")
    if proc.returncode != 0:
        raise _fail(proc, "log in a time window", root)
    found = []
    for chunk in proc.stdout.split(b"\x01"):
        if not chunk.strip():
            continue
        commit = _changed_commit(chunk)
        stamp, _, subject = commit.subject.partition("\t")
        when = datetime.fromtimestamp(int(stamp), tz=UTC)
        if since <= when < until:
            found.append(DatedCommit(commit.sha, when.strftime("%Y-%m-%dT%H:%M:%SZ"), subject, commit.files))
    return found


def blobs_at_head(root: Path, paths: Sequence[str]) -> dict[str, str]:
    """The blob id of each of `paths` (relative to `root`) in HEAD's tree; a path HEAD lacks is left out."""
    found: dict[str, str] = {}
    if head_commit(root) is None:
        return found
    for chunk in (paths[i : i + 1000] for i in range(0, len(paths), 1000)):
        proc = _git(root, "ls-tree", "-z", "HEAD", "--", *(f"./{p}" for p in chunk))
        if proc.returncode != 0:
            raise _fail(proc, "ls-tree HEAD", root)
        for entry in os.fsdecode(proc.stdout).split("\0"):
            meta, _, name = entry.partition("\t")
            if name and meta.split(" ")[1:2] == ["blob"]:
                found[name] = meta.split(" ")[2]
    return found


def commits_and_parents(root: Path, path: str) -> list[tuple[str, str | None]]:
    """`commits_changing` with each commit's first parent (None for a root commit), from one `git log`."""
    if head_commit(root) is None:
        return []
    proc = _git(root, "log", "--format=%H %P", "HEAD", "--", path)
    if proc.returncode != 0:
        raise _fail(proc, f"log -- {path}", root)
    pairs = [line.split() for line in os.fsdecode(proc.stdout).splitlines() if line.strip()]
    return [(pair[0], pair[1] if len(pair) > 1 else None) for pair in pairs]


def commits_changing(root: Path, path: str) -> list[str]:
    """The commits reachable from HEAD that changed `path` (relative to `root`), newest first."""
    if head_commit(root) is None:
        return []
    proc = _git(root, "log", "--format=%H", "HEAD", "--", path)
    if proc.returncode != 0:
        raise _fail(proc, f"log -- {path}", root)
    return [line for line in os.fsdecode(proc.stdout).split() if line]


# --- other branches: ids taken there, and the two sides of a merge ---------------------------------


def branch_tips(root: Path, remote_only: bool = False) -> list[str]:
    """The commits at the tips of every local and remote-tracking branch (or only the remote-tracking
    ones), each once."""
    refs = ("refs/remotes",) if remote_only else ("refs/heads", "refs/remotes")
    proc = _git(root, "for-each-ref", "--format=%(objectname)", *refs)
    if proc.returncode != 0:
        return []
    return list(dict.fromkeys(os.fsdecode(proc.stdout).split()))


def grep_branches(root: Path, pattern: str, globs: Sequence[str]) -> set[str]:
    """Every match of the extended regular expression `pattern` in the files matching `globs` (relative
    to `root`) at the tip of every branch; empty outside git or before the first commit."""
    tips = branch_tips(root)
    if not tips or not globs:
        return set()
    specs = [f":(glob){glob}" for glob in globs]
    proc = _git(root, "grep", "-h", "-o", "-I", "-E", "-e", pattern, *tips, "--", *specs, literal=False)
    if proc.returncode not in (0, 1):
        raise _fail(proc, "grep on the branches", root)
    found = set()
    for line in os.fsdecode(proc.stdout).splitlines():
        found.add(line.rsplit(":", 1)[-1] if ":" in line else line)
    return found


def merge_sides(root: Path) -> tuple[str, str] | None:
    """(ours, theirs) of the merge in progress (HEAD and MERGE_HEAD) or of the merge commit at HEAD;
    None when HEAD is not a merge and none is in progress."""
    merging = _git(root, "rev-parse", "-q", "--verify", "MERGE_HEAD^{commit}")
    if merging.returncode == 0 and (head := head_commit(root)):
        return head, os.fsdecode(merging.stdout).strip()
    proc = _git(root, "rev-parse", "HEAD^@")
    shas = os.fsdecode(proc.stdout).split()
    return (shas[0], shas[1]) if proc.returncode == 0 and len(shas) == 2 else None


# --- merging: git's own line merge and the repository's config, for the merge driver ---------------------


def merge_file(ours: Path, base: Path, theirs: Path, marker_size: int) -> tuple[bytes, int] | None:
    """`git merge-file`'s line merge of three files (labelled ours, base, theirs) as (merged bytes, number
    of conflicts); None when git cannot merge them (binary files). Nothing is written."""
    labels = ("-L", "ours", "-L", "base", "-L", "theirs")
    files = (str(ours), str(base), str(theirs))
    proc = _git(ours.parent, "merge-file", "-p", *labels, f"--marker-size={marker_size}", *files)
    if not 0 <= proc.returncode <= 127:
        return None
    return proc.stdout, proc.returncode


def config_value(root: Path, key: str) -> str | None:
    """The value of `key` in the repository's own config (.git/config); None when it is not set."""
    proc = _git(root, "config", "--local", "--get", key)
    return os.fsdecode(proc.stdout).rstrip("\n") if proc.returncode == 0 else None


def set_config_value(root: Path, key: str, value: str) -> None:
    """Set `key` in the repository's own config, replacing every value it had."""
    proc = _git(root, "config", "--local", "--replace-all", key, value)
    if proc.returncode != 0:
        raise _fail(proc, "config", root)


def uncommitted_paths(root: Path) -> list[str]:
    """Tracked files under `root` whose work-tree or staged content differs from HEAD (from the empty tree
    before the first commit), relative to `root`."""
    base = head_commit(root) or empty_tree(root)
    proc = _git(root, "diff", "--relative", "--no-renames", "--name-only", "-z", base, "--")
    if proc.returncode != 0:
        raise _fail(proc, f"diff {base[:12]}", root)
    return [os.fsdecode(name) for name in proc.stdout.split(b"\0") if name]
