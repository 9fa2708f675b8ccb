"""Where `add incident` writes in a repo that keeps one postmortem per file: the folder, the template (the
headings of the folder's newest postmortem) and the file naming scheme of the files already there.

The folder is used when `[write] incident` names a folder (`docs/postmortems/`), or when it is the default
INCIDENTS.md, that file does not exist and the repo keeps its incidents as postmortem files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from whylog.markdown.decision_folder import file_slug
from whylog.markdown.names import INDEX_NAMES, is_log_file
from whylog.markdown.postmortems import is_postmortem
from whylog.markdown.scan import scan
from whylog.markdown.writers.postmortems import DEFAULT_TEMPLATE
from whylog.model import Record
from whylog.repo import DEFAULT_WRITE, Config, free_path, iter_source_files

_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]")
_NUMBERED = re.compile(r"^(\d{1,6})[-_]")
_NOT_POSTMORTEMS = (*INDEX_NAMES, "template", "_template")


@dataclass(frozen=True, slots=True)
class PostmortemFolder:
    folder: Path
    template: str  # the text of the folder's newest postmortem (or DEFAULT_TEMPLATE)
    naming: str  # "dated" (2026-07-01-slug.md), "numbered" (006-slug.md) or "slug"
    width: int = 3  # digits of a numbered name
    number: int = 0  # the number the new file takes when numbered


def postmortem_folder(config: Config, target: str) -> PostmortemFolder | None:
    """The postmortem folder `add incident` writes into, or None to append to the incident log."""
    if target.endswith("/"):
        folder = config.root / target
        files = _postmortems(config, folder)
    elif target == DEFAULT_WRITE["incident"] and not (config.root / target).exists():
        found = _postmortems(config, None)
        if not found:
            return None
        folder = max({p.parent for p in found}, key=lambda f: (sum(p.parent == f for p in found), -len(f.parts)))
        files = [p for p in found if p.parent == folder]
    else:
        return None
    if not files:
        return PostmortemFolder(folder, DEFAULT_TEMPLATE, "dated")
    newest = sorted(files, key=lambda p: p.name)[-1]
    template = newest.read_text(encoding="utf-8", errors="replace")
    numbered = [m.group(1) for p in files if not _DATED.match(p.name) and (m := _NUMBERED.match(p.name))]
    if numbered and len(numbered) * 2 >= len(files):
        width = max(len(n) for n in numbered)
        return PostmortemFolder(folder, template, "numbered", width, max(int(n) for n in numbered) + 1)
    dated = sum(bool(_DATED.match(p.name)) for p in files)
    return PostmortemFolder(folder, template, "dated" if dated * 2 >= len(files) else "slug")


def _postmortems(config: Config, folder: Path | None) -> list[Path]:
    out = []
    for path, family in iter_source_files(config):
        if family != "incidents" or path.suffix.lower() not in (".md", ".markdown"):
            continue
        if folder is not None and path.parent != folder:
            continue
        rel = path.relative_to(config.root).as_posix()
        if is_log_file(rel) or path.stem.lower() in _NOT_POSTMORTEMS:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if is_postmortem(scan(text, rel)):
            out.append(path)
    return out


def postmortem_path(shape: PostmortemFolder, record: Record) -> Path:
    """A new file's path in the folder's naming scheme, never an existing file's."""
    words = file_slug(record.title, empty="incident")  # whole words, accents dropped, other scripts kept
    if shape.naming == "numbered":
        stem = f"{shape.number:0{shape.width}d}-{words}"
    elif shape.naming == "dated":
        stem = f"{record.date[:10]}-{words}"
    else:
        stem = words
    return free_path(shape.folder, stem)
