"""The record files of a repo: configuration, discovery, loading, atomic writes and the write lock.

Configuration lives in `whylog.toml` at the repo root:

    [sources]            # glob -> format family; every file matching is read for records
    "SYSTEM_LOG.md" = "syslog"
    [write]              # kind -> where `add` puts a new record; a path ending in "/" gets a file per record
    entry = "SYSTEM_LOG.md"
    [archive]            # thresholds for `whylog archive` (a later command)

Without a whylog.toml the defaults below apply, so a repo laid out like the seeds works untouched.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from whylog.model.bounds import control_character
from whylog.model.errors import ConfigError, ParseError
from whylog.repo import settings
from whylog.repo.boundary import check_path, work_tree
from whylog.repo.settings import CONFIG_NAME as CONFIG_NAME
from whylog.repo.state import STATE_DIR as STATE_DIR
from whylog.repo.state import complete_pending as complete_pending
from whylog.repo.state import settle_pending
from whylog.repo.state import state_dir as state_dir
from whylog.repo.state import write_atomic as write_atomic
from whylog.repo.state import write_atomic_bytes as write_atomic_bytes
from whylog.repo.state import write_files_atomically as write_files_atomically
from whylog.repo.state import write_lock as write_lock
from whylog.repo.state import write_record_bytes as write_record_bytes
from whylog.repo.state import write_repo_file as write_repo_file

if TYPE_CHECKING:
    from whylog.markdown.document import Document
    from whylog.model import Diagnostic, Link, Record

# Record families, repeated from markdown.readers so that reading the config and listing files (every
# command does both, searches included) does not import the readers and the record model.
FAMILIES = ("syslog", "incidents", "devlog", "adr", "changes", "changelog", "session", "features", "memory")

DEFAULT_SOURCES = {
    "SYSTEM_LOG.md": "syslog",
    "SYSTEM_LOG_ARCHIVE_*.md": "syslog",
    "INCIDENTS.md": "incidents",
    "DEVLOG.md": "devlog",
    "DEVLOG_ARCHIVE.md": "devlog",
    "docs/adr/[0-9]*.md": "adr",
    "docs/changes/*.md": "changes",
    "CHANGELOG.md": "changelog",
    "progress/*.txt": "session",
    "feature_list.json": "features",
}
DEFAULT_WRITE = {
    "entry": "SYSTEM_LOG.md",
    "incident": "INCIDENTS.md",
    "story": "DEVLOG.md",
    "context": "DEVLOG.md",
    "decision": "docs/adr/",
    "change": "docs/changes/",
    "session": "progress/",
    "feature": "feature_list.json",
    "release": "CHANGELOG.md",
}
DEFAULT_ARCHIVE = {
    "syslog_max_lines": 10000,
    "syslog_keep_months": 12,
    "devlog_keep_days": 14,
}
_SKIP_DIRS = {".git", STATE_DIR, "node_modules", ".venv", "venv", "__pycache__", "dist", "build", ".tox"}


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    sources: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SOURCES))
    write: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_WRITE))
    archive: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_ARCHIVE))
    from_file: bool = False


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards holding whylog.toml, else the git work tree, else `start`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def read_config(root: Path) -> Config:
    """whylog.toml at `root`, every setting checked (whylog.repo.settings); the defaults without one."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config(root, discovered_sources(root))
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", CONFIG_NAME) from None
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror}", CONFIG_NAME) from None
    tables = {name: settings.table_of(data, text, name) for name in ("sources", "write", "archive")}
    sources = (
        dict(DEFAULT_SOURCES)
        if tables["sources"] is None
        else settings.string_table(text, "sources", tables["sources"])
    )
    settings.check_choices(text, "sources", sources, (), FAMILIES)
    write = settings.string_table(text, "write", tables["write"] or {})
    settings.check_choices(text, "write", write, tuple(DEFAULT_WRITE), ())
    archive = {**DEFAULT_ARCHIVE, **settings.archive_table(text, tables["archive"] or {})}
    return Config(root, sources, {**DEFAULT_WRITE, **write}, archive, True)


def render_config(config: Config) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = ["# whylog configuration: which files hold records, and where `whylog add` writes them.", ""]
    families = ", ".join(FAMILIES)
    out.append(f"[sources]  # glob = format family ({families})")
    out += [f"{quoted(glob)} = {quoted(family)}" for glob, family in config.sources.items()]
    out += ["", "[write]  # kind = file; a path ending in / gets one new file per record"]
    out += [f"{kind} = {quoted(target)}" for kind, target in config.write.items()]
    out += ["", "[archive]  # thresholds used by `whylog archive`"]
    out += [f"{key} = {value}" for key, value in config.archive.items()]
    return "\n".join(out) + "\n"


def iter_candidate_files(root: Path, walked: dict[str, list[object]] | None = None) -> Iterator[Path]:
    """Markdown, text and JSON files under `root`, outside tool and dependency folders; `walked` gets each
    folder's modification time and a digest of what it lists. Names with control characters are passed
    over: whylog.toml could not name them (whylog.repo.settings)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if _walked_folder(d))
        names = sorted(n for n in files if _candidate(n))
        if walked is not None:
            rel = Path(folder).relative_to(root).as_posix()
            walked[rel] = [os.stat(folder).st_mtime_ns, _listing_digest(dirs, names)]
        for name in names:
            yield Path(folder) / name


def _walked_folder(name: str) -> bool:
    return name not in _SKIP_DIRS and not name.startswith(".") and not control_character(name)


def _candidate(name: str) -> bool:
    return name.endswith((".md", ".txt", ".json")) and name != CONFIG_NAME and not control_character(name)


def _listing_digest(dirs: list[str], names: list[str]) -> str:
    import hashlib

    return hashlib.blake2b("\0".join(["/"] + dirs + ["|"] + names).encode("utf-8"), digest_size=12).hexdigest()


def _same_listing(folder: Path, mtime: object, digest: object) -> bool:
    """Whether a walked folder still lists what it did: its mtime is unchanged, or (an atomic write renames
    a file into place and so touches the folder) the names it holds are the same."""
    info = os.stat(folder)
    if info.st_mtime_ns == mtime:
        return True
    with os.scandir(folder) as entries:
        found = list(entries)
    dirs = sorted(e.name for e in found if e.is_dir() and _walked_folder(e.name))
    names = sorted(e.name for e in found if not e.is_dir() and _candidate(e.name))
    return _listing_digest(dirs, names) == digest


def discovered_sources(root: Path) -> dict[str, str]:
    """`discover_sources` for a repo with no whylog.toml, which every command reads: the answer is kept in
    .whylog/discovered.json (when .whylog exists) with each walked folder's modification time and a digest
    of its listing, and walked again only when a folder lists other names (a file added, removed or
    renamed there; a file rewritten in place by a rename keeps the listing)."""
    import json

    cache = root / STATE_DIR / "discovered.json"
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        folders, sources = kept["folders"], kept["sources"]
        if all(_same_listing(root / rel, mtime, digest) for rel, (mtime, digest) in folders.items()):
            return {str(k): str(v) for k, v in sources.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    walked: dict[str, list[object]] = {}
    sources = discover_sources(root, walked)
    if cache.parent.is_dir() and not cache.parent.is_symlink():
        try:
            write_atomic(cache, json.dumps({"folders": walked, "sources": sources}))
        except OSError:
            pass  # a read-only checkout still answers, it only walks again next time
    return sources


def discover_sources(root: Path, walked: dict[str, list[object]] | None = None) -> dict[str, str]:
    """Where records live under `root`, as glob -> family: the default places (kept even when empty, so
    `add` can start a file there), every file whose name or folder names a record family in any letter
    case (`markdown.names`), and any other Markdown or text file whose content reads as a record family
    and whose name hints at one. A file found in a folder of records brings the folder's glob, so later
    files there are found too."""
    from whylog.markdown.names import family_by_name

    found: dict[str, str] = dict(DEFAULT_SOURCES)
    config = Config(root, found)
    for path in iter_candidate_files(root, walked):
        rel = path.relative_to(root).as_posix()
        if source_family(config, rel) is not None:
            continue
        family = family_by_name(rel)
        if family is None:
            if path.suffix == ".json" or path.stat().st_size > 50_000_000:
                continue
            family = sniff_family(path, rel)
            if family is None or not _confident(family, rel):
                continue
        found[_glob_for(rel, family, found)] = family
    return found


def sniff_family(path: Path, rel: str) -> str | None:
    """The family of the file at `path` (known in the repo as `rel`) by its name, else by its first 64 KB;
    OSError when it cannot be read."""
    from whylog.markdown.readers import detect_family

    with open(path, "rb") as handle:
        head = handle.read(65536).decode("utf-8", errors="replace")
    return detect_family(head, rel)


def free_path(folder: Path, stem: str, suffix: str = ".md") -> Path:
    """`folder/stem + suffix`, or `stem-2`, `stem-3`... when that name is taken: a new record file's name."""
    path = folder / f"{stem}{suffix}"
    count = 2
    while path.exists():
        path = folder / f"{stem}-{count}{suffix}"
        count += 1
    return path


def _glob_for(rel: str, family: str, found: dict[str, str]) -> str:
    """The file itself, or `folder/*.ext` when its folder is one of records (docs/decisions/, devlog/) that
    no glob lists yet: a second glob over a folder of 10,000 ADRs would list it twice on every command."""
    from whylog.markdown.names import family_by_name

    folder, _, name = rel.rpartition("/")
    ext = name.rpartition(".")[2]
    listed = any(glob.rpartition("/")[0] == folder for glob in found)
    if folder and not listed and family_by_name(f"{folder}/x.{ext}") == family and not any(c in folder for c in "*?["):
        return f"{folder}/*.{ext}"
    return rel


def _confident(family: str, rel: str) -> bool:
    """Sniffing any README for records would pick up prose; outside the named places, accept a file
    only when its name or folder hints at what it is."""
    hints = {
        "syslog": ("log",),
        "incidents": ("incident", "postmortem", "outage"),
        "devlog": ("devlog", "dev-log", "journal", "diary"),
        "adr": ("adr", "decision"),
        "changes": ("change",),
        "changelog": ("changelog", "changes", "history", "release", "news"),
        "session": ("session", "progress"),
        "memory": ("memory", "context", "brief", "patterns"),
    }
    return any(h in rel.lower() for h in hints.get(family, ()))


def source_family(config: Config, rel: str) -> str | None:
    """The family of the record file at `rel` (relative to the root, posix) when a source glob names it;
    globs match part by part, as listing them does (`**` spans folders)."""
    parts = rel.split("/")
    for glob, family in config.sources.items():
        pattern = glob.split("/")
        if "**" in pattern:  # `**/` stands for any folders, none included
            if fnmatch.fnmatchcase(rel, glob) or fnmatch.fnmatchcase(rel, glob.replace("**/", "")):
                return family
        elif len(parts) == len(pattern) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, pattern, strict=True)):
            return family
    return None


def iter_source_files(config: Config) -> Iterator[tuple[Path, str]]:
    """Every record file and its family, sorted by path."""
    for rel, family, _ in sorted(stat_source_files(config)):
        yield config.root / rel, family


def stat_source_files(config: Config) -> list[tuple[str, str, tuple[int, int]]]:
    """Every record file as (path relative to the root, family, (mtime_ns, size)), in folder order; a
    file two globs name has the family of the first.

    Globs whose wildcards are all in the last part (all the defaults) are listed with one os.scandir per
    folder, however many globs name it, which keeps a no-change check of 13,000 files to a few tens of
    milliseconds. A folder or a file that resolves outside the work tree (through a symbolic link) is
    refused, not read. A step a crash cut short is finished first, so no reader sees half of it."""
    settle_pending(config.root)
    top = work_tree(config.root)
    folders: dict[str, list[tuple[str, str]]] = {}
    deep: list[tuple[str, str]] = []
    for glob, family in config.sources.items():
        folder, _, pattern = glob.rpartition("/")
        if any(c in folder for c in "*?["):
            deep.append((glob, family))
        else:
            folders.setdefault(folder, []).append((pattern, family))
    seen: set[str] = set()
    out: list[tuple[str, str, tuple[int, int]]] = []
    for folder, patterns in folders.items():
        if folder:
            check_path(config.root, folder, "read", top=top)
        for rel, family, info in _scan_folder(config.root, folder, patterns, top):
            if rel not in seen:
                seen.add(rel)
                out.append((rel, family, (info.st_mtime_ns, info.st_size)))
    for glob, family in deep:
        for path in config.root.glob(glob):
            rel = path.relative_to(config.root).as_posix()
            if rel not in seen and path.is_file() and check_path(config.root, path, "read", top=top):
                seen.add(rel)
                info = path.stat()
                out.append((rel, family, (info.st_mtime_ns, info.st_size)))
    if deep:  # the first glob in the config names the family, whichever way its files were listed
        out = [(rel, source_family(config, rel) or family, stamp) for rel, family, stamp in out]
    return out


def _scan_folder(
    root: Path, folder: str, patterns: list[tuple[str, str]], top: Path
) -> list[tuple[str, str, os.stat_result]]:
    """The files of one folder that a pattern names, each with the family of the first pattern naming it."""
    prefix = f"{folder}/" if folder else ""
    tests = [(_name_test(pattern), family) for pattern, family in patterns]
    try:
        with os.scandir(root / folder if folder else root) as entries:
            found = []
            for entry in entries:
                name = entry.name
                family = next((family for test, family in tests if test(name)), None)
                if (
                    family is not None
                    and entry.is_file()
                    and (not entry.is_symlink() or check_path(root, prefix + name, "read", top=top))
                ):
                    found.append((prefix + name, family, entry.stat()))
            return found
    except (FileNotFoundError, NotADirectoryError):
        return []


def _name_test(pattern: str) -> Callable[[str], bool]:
    """A fast test of a file name against one glob part: a plain name, `*SUFFIX`, or any other glob."""
    if not any(c in pattern for c in "*?["):
        return pattern.__eq__
    rest = pattern[1:]
    if pattern.startswith("*") and not any(c in rest for c in "*?["):
        return lambda name: name.endswith(rest)
    return lambda name: fnmatch.fnmatchcase(name, pattern)


def read_documents(config: Config) -> Iterator[Document]:
    from whylog.markdown.readers import read_path

    for path, family in iter_source_files(config):
        rel = path.relative_to(config.root).as_posix()
        yield read_path(str(path), family, display=rel)


@dataclass(slots=True)
class Collection:
    records: list[Record]
    diagnostics: list[Diagnostic]
    documents: list[Document]

    def get(self, record_id: str) -> Record | None:
        wanted = record_id.upper()
        return next((r for r in self.records if r.id.upper() == wanted), None)


def load(config: Config, skip_errors: bool = False) -> Collection:
    """Every record of the repo, with link targets resolved; a decision read both from an ADR file and
    from a dev log's ADR index appears once, as the ADR file's record."""
    from whylog.markdown.readers import read_path
    from whylog.model import Diagnostic

    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    for path, family in iter_source_files(config):
        rel = path.relative_to(config.root).as_posix()
        try:
            document = read_path(str(path), family, display=rel)
        except ParseError as exc:
            if not skip_errors:
                raise
            diagnostics.append(Diagnostic("FIL001", exc.message, _source(rel, exc.line), exc.hint, "error"))
            continue
        documents.append(document)
        diagnostics += document.diagnostics
    records = _merge_decisions(documents)
    return Collection(resolve_links(records), diagnostics, documents)


def _source(path: str, line: int):  # type: ignore[no-untyped-def]
    from whylog.model import Source

    return Source(path, line, line)


def _merge_decisions(documents: list[Document]) -> list[Record]:
    from_files = {r.id for d in documents if d.family == "adr" for r in d.records}
    return [
        r for d in documents for r in d.records if d.family == "adr" or r.kind != "decision" or r.id not in from_files
    ]


def resolve_links(
    records: list[Record], ids: set[str] | None = None, by_day: dict[str, list[str]] | None = None
) -> list[Record]:
    """Keep a link's target only when it names a record that exists; a reference to an entry by its
    day alone resolves when exactly one entry has that day. `ids` and `by_day` (entry ids per day) default
    to those of `records`; the index passes the repo's own."""
    if ids is None:
        ids = {r.id for r in records}
    if by_day is None:
        by_day = {}
        for r in records:
            if r.kind == "entry" and r.date:
                by_day.setdefault(r.date[:10], []).append(r.id)
    out = []
    for r in records:
        links = tuple(_resolve(link, ids, by_day) for link in r.links)
        out.append(dataclasses.replace(r, links=links) if links != r.links else r)
    return out


def _resolve(link: Link, ids: set[str], by_day: dict[str, list[str]]) -> Link:
    from whylog.markdown.values import read_date
    from whylog.model import Link

    if link.target in ids:
        return link
    day = read_date(link.text)
    if link.target is None and day and len(day) == 10 and len(by_day.get(day, [])) == 1:
        return Link(link.text, by_day[day][0])
    return Link(link.text, None) if link.target is not None else link
