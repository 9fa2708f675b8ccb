"""Where `add decision` writes: the folder the repo keeps its decisions in, named in that folder's scheme,
in its template, and the line its ADR index page gets.

The folder is the configured one, unless that is the default `docs/adr/` and holds no decision while
another folder does (the one with the most decision files). Its naming (`markdown.decision_folder`; in
a folder of numbered and date-named files, the scheme of the newer of its highest-numbered decision,
by that file's date, and its newest date-named one),
its template (that of its newest file: MADR, Nygard or whylog's) and its index page (a README.md or
index.md beside the decisions whose lines link to them) come from the files already there. A
date-named folder is written in MADR, whose title carries no number (a `# 7. Title` or `# ADR-007:`
title would give the file a number its name does not have).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from whylog.markdown.decision_folder import Listed, Naming, file_name, index_line, is_index, listed, naming_of
from whylog.markdown.decisions import id_of_file, number_of_file, template_of
from whylog.markdown.readers import read_path, read_text
from whylog.markdown.scan import decode, split_lines
from whylog.model import DecisionFields, Record
from whylog.model.errors import ParseError, WriteError
from whylog.repo import DEFAULT_WRITE, Config, free_path, iter_source_files


@dataclass(frozen=True, slots=True)
class Shape:
    folder: Path
    template: str  # a key of writers.adr.TEMPLATES
    naming: Naming
    index: Path | None  # the folder's index page, when its lines link to the decisions


def decision_shape(config: Config, target: str) -> Shape:
    folders: dict[Path, list[Path]] = {}
    for path, family in iter_source_files(config):
        named = family == "adr" and id_of_file(path.name) is not None and not is_index(path.name)
        if named and path.suffix.lower() in (".md", ".markdown"):
            folders.setdefault(path.parent, []).append(path)
    folder = config.root / target
    if folder not in folders and target == DEFAULT_WRITE["decision"] and folders:
        folder = max(folders, key=lambda f: (len(folders[f]), -len(f.parts)))
    files = folders.get(folder, [])
    index = _index_of(folder)
    if not files:
        return Shape(folder, "whylog", naming_of([]), index)
    newest = max(files, key=_order)
    text = newest.read_text(encoding="utf-8", errors="replace")
    numbered_date = ""
    if number_of_file(newest.name) is not None and any(number_of_file(p.name) is None for p in files):
        records = read_text(text, str(newest), "adr").records
        numbered_date = records[0].date if records else ""
    naming = naming_of([p.name for p in files], numbered_date)
    return Shape(folder, "madr" if naming.scheme == "date" else template_of(text), naming, index)


def _order(path: Path) -> tuple[int, str]:
    number = number_of_file(path.name)
    return (number if number is not None else 0, path.name)


def _index_of(folder: Path) -> Path | None:
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        if is_index(path.name) and path.is_file():
            return path
    return None


def new_path(shape: Shape, record: Record) -> Path:
    """The new decision's file, in the folder's naming; `-2`, `-3` when the name is taken."""
    assert isinstance(record.fields, DecisionFields)
    name = file_name(shape.naming, record.fields.number, record.date, record.title)
    return free_path(shape.folder, name.removesuffix(".md"))


def named(shape: Shape, record: Record, path: Path) -> Record:
    """A decision in a date-named folder takes the id its file name gives, and no number."""
    if shape.naming.scheme != "date":
        return record
    assert isinstance(record.fields, DecisionFields)
    fields = dataclasses.replace(record.fields, number=0)
    return dataclasses.replace(record, id=id_of_file(path.name) or record.id, fields=fields)


def indexed(shape: Shape, path: Path, record: Record, display: str) -> tuple[bytes, bytes] | None:
    """The index page's bytes before and after it lists the new decision: a line like that of the newest
    decision it lists, after the last listed line (before the first when it lists newest first); None
    when there is no index page or it lists no decision file. WriteError when the page would then read
    differently."""
    if shape.index is None:
        return None
    data = shape.index.read_bytes()
    text = decode(data, display)
    entries = listed(text)
    if not entries:
        return None
    newest = max(entries, key=lambda entry: _order(Path(entry[1])))
    keys = [_order(Path(name)) for _, name in entries]
    newest_first = len(keys) > 1 and keys == sorted(keys, reverse=True)
    lines = split_lines(text)
    template = lines[newest[0]]
    body = template.rstrip("\r\n")
    new_line = index_line(body, _listed(shape.folder / newest[1], newest[1]), _listed_record(path.name, record))
    new_line += template[len(body) :] or _newline(lines)
    at = entries[0][0] if newest_first else entries[-1][0] + 1
    if at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += _newline(lines)
    new_text = "".join([*lines[:at], new_line, *lines[at:]])
    _check_index(text, new_text, display, path.name)
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return data, bom + new_text.encode("utf-8")


def _newline(lines: list[str]) -> str:
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith("\n"):
            return "\n"
    return "\n"


def _listed(path: Path, name: str) -> Listed:
    """What a listed decision's own file says it is (its name and number alone when it cannot be read)."""
    number = number_of_file(name) or 0
    try:
        records = read_path(str(path)).records if path.is_file() else []
    except ParseError:
        records = []
    record = next((r for r in records if r.kind == "decision"), None)
    if record is None:
        return Listed(name, number, "", "", "")
    assert isinstance(record.fields, DecisionFields)
    return Listed(name, number, record.date, record.title, record.fields.status)


def _listed_record(name: str, record: Record) -> Listed:
    assert isinstance(record.fields, DecisionFields)
    return Listed(name, record.fields.number, record.date, record.title, record.fields.status)


def _check_index(old: str, new: str, display: str, name: str) -> None:
    before = [r.without_source() for r in read_text(old, display, "adr").records]
    after = [r.without_source() for r in read_text(new, display, "adr").records]
    names = [n for _, n in listed(new)]
    if before != after or sorted(names) != sorted([n for _, n in listed(old)] + [name]):
        raise WriteError(
            "the index page would not list the new decision alone; nothing was written",
            display,
            hint="add the decision with the index page's own line by hand",
        )
