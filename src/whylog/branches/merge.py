"""git's merge driver for append-only record files: a three-way merge over records, not lines.

Each version (base, ours, theirs) is cut into chunks whose concatenation is the file: the preamble, each
record's lines, and any other text between records, each with the layout lines (blanks, `---`) after it
as its tail. Chunks are matched across versions by their text, then records left over by their id, and
merged one chunk at a time: a change on one side wins, a record both sides added with the same text is
kept once, and only a chunk changed differently on both sides (or deleted on one and changed on the
other) is a conflict, written between git-style markers. Chunks the other side added go where the file's
order puts them: records by date among records of their kind, other text after what preceded it there.

Whatever cannot be merged this way (a file that does not read, a family that is no log, a result that
would not read back as the intended records) is handed to `git merge-file`, so the driver is never worse
than git's own line merge.
"""

from __future__ import annotations

import difflib
import json
import shlex
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from whylog import git
from whylog.markdown.document import Document
from whylog.markdown.readers import detect_family, read_text
from whylog.markdown.scan import decode, split_lines
from whylog.model import Record, to_json
from whylog.model.errors import WhylogError, WriteError
from whylog.repo import Config, find_root, read_config, source_family, write_atomic_bytes, write_repo_file

MERGED_FAMILIES = ("syslog", "incidents", "devlog")
DRIVER_NAME = "whylog: merge append-only record files record by record"
_BOM = b"\xef\xbb\xbf"
_SIDES = ("ours", "theirs", "base")
Outcome = Literal["wrote", "updated", "kept"]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of one version: a record's lines (`record` set), the preamble, or other text; `tail` is
    the layout after it, `last` whether it ends its version."""

    kind: str  # the record's kind, "preamble" or "text"
    body: str
    tail: str
    last: bool
    record: Record | None = None

    @property
    def key(self) -> str:
        return self.record.id if self.record is not None else self.kind

    @property
    def norm(self) -> str:
        return self.body.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(eq=False, slots=True)
class _Item:
    """One chunk followed across the three versions; `after` is what follows it in each."""

    kind: str
    chunks: dict[str, Chunk] = field(default_factory=dict)
    after: dict[str, _Item | None] = field(default_factory=dict)

    @property
    def date(self) -> str:
        for side in _SIDES:
            chunk = self.chunks.get(side)
            if chunk is not None and chunk.record is not None:
                return chunk.record.date
        return ""


@dataclass(frozen=True, slots=True)
class Merged:
    text: str
    conflicts: int


# --- the driver ---------------------------------------------------------------------------------------


def merge_files(base: Path, ours: Path, theirs: Path, display: str, marker_size: int) -> int:
    """Merge THEIRS into OURS (git's %A, rewritten in place) with BASE as the common ancestor; returns
    the number of conflicting chunks (0: merged cleanly)."""
    data = {"base": base.read_bytes(), "ours": ours.read_bytes(), "theirs": theirs.read_bytes()}
    family = family_of(display, data["ours"])
    merged = None
    if family in MERGED_FAMILIES:
        merged = merge_bytes(data["base"], data["ours"], data["theirs"], family, display, marker_size)
    if merged is None:
        merged = git.merge_file(ours.resolve(), base.resolve(), theirs.resolve(), marker_size)
        if merged is None:  # git cannot merge it either (binary): keep ours and leave it conflicted
            return 1
    result, conflicts = merged
    if result != data["ours"]:
        write_atomic_bytes(ours, result)
    return conflicts


def family_of(display: str, data: bytes) -> str | None:
    """The file's family: from the config when a source glob names the path, else detected from its text."""
    target = Path(display)
    if not target.is_absolute():
        target = Path.cwd() / target
    try:
        root = find_root(target.parent)
        config = read_config(root)
        rel = target.resolve().relative_to(root.resolve()).as_posix()
    except (WhylogError, ValueError, OSError):
        config, rel = None, ""
    family = source_family(config, rel) if config is not None else None
    if family is not None:
        return family
    try:
        return detect_family(decode(data, display), display)
    except WhylogError:
        return None


def merge_bytes(
    base: bytes, ours: bytes, theirs: bytes, family: str, display: str = "<text>", marker_size: int = 7
) -> tuple[bytes, int] | None:
    """The record merge of three versions of a file as bytes; None when it cannot be done by records."""
    try:
        texts = [decode(data, display) for data in (base, ours, theirs)]
    except WhylogError:
        return None
    merged = merge_texts(texts[0], texts[1], texts[2], family, display, marker_size)
    if merged is None:
        return None
    boms = [data.startswith(_BOM) for data in (base, ours, theirs)]
    bom = boms[1] if boms[1] != boms[0] else boms[2]
    return (_BOM if bom else b"") + merged.text.encode("utf-8"), merged.conflicts


def merge_texts(
    base: str, ours: str, theirs: str, family: str, display: str = "<text>", marker_size: int = 7
) -> Merged | None:
    """The record merge of three versions of a file's text; None when a version does not read as records
    or the result would not read back as the records intended."""
    try:
        versions = zip(_SIDES, (ours, theirs, base), strict=True)
        documents = {side: read_text(text, display, family) for side, text in versions}
    except WhylogError:
        return None
    cut = {side: _cut(document) for side, document in documents.items()}
    if any(chunks is None for chunks in cut.values()):
        return None
    items = _match({side: chunks for side, chunks in cut.items() if chunks is not None})
    order = _order(items)
    newline = documents["ours"].newline
    layout = _Layout(items, newline, cut["ours"] or [])
    text, conflicts = _emit(order, layout, marker_size, "markers")
    text = _end_like(text, base, ours, theirs)
    for side in ("ours", "theirs") if conflicts else ("merged",):
        check = text if side == "merged" else _end_like(_emit(order, layout, marker_size, side)[0], base, ours, theirs)
        if not _reads_as(check, _expected(order, side), display, family):
            return None
    return Merged(text, conflicts)


# --- cutting a version into chunks --------------------------------------------------------------------


def _cut(document: Document) -> list[Chunk] | None:
    """The preamble, records and text between them; None when record spans overlap (no clean cut)."""
    lines = document.lines
    records = sorted(document.records, key=lambda r: r.source.start_line if r.source else 0)
    spans: list[tuple[int, int, Record | None]] = []
    position = 0
    for record in records:
        if record.source is None or record.source.start_line - 1 < position:
            return None
        spans.append((position, record.source.start_line - 1, None))
        spans.append((record.source.start_line - 1, record.source.end_line, record))
        position = record.source.end_line
    spans.append((position, len(lines), None))
    pieces: list[tuple[str, Record | None, int, int, int]] = []  # kind, record, start, body end, end
    for index, (start, end, found) in enumerate(spans):
        if found is not None:
            pieces.append((found.kind, found, start, end, end))
            continue
        content = [n for n in range(start, end) if lines.tags[n] not in ("blank", "rule")]
        if index == 0:
            pieces.append(("preamble", None, start, content[-1] + 1 if content else start, end))
        elif content:
            kind, body_record, first, _, _ = pieces[-1]
            pieces[-1] = (kind, body_record, first, pieces[-1][3], content[0])
            pieces.append(("text", None, content[0], content[-1] + 1, end))
        else:
            kind, body_record, first, body_end, _ = pieces[-1]
            pieces[-1] = (kind, body_record, first, body_end, end)
    text = lines.lines
    return [
        Chunk(kind, "".join(text[start:body_end]), "".join(text[body_end:end]), number == len(pieces) - 1, record)
        for number, (kind, record, start, body_end, end) in enumerate(pieces)
    ]


# --- matching chunks across versions ------------------------------------------------------------------


def _match(cut: dict[str, list[Chunk]]) -> dict[str, list[_Item]]:
    """Each version's chunks as items shared across versions, in that version's order.

    Chunks equal to the base's are matched first, then chunks both sides added with the same text (kept
    once), and only then a side's changed record to the base record it edits. In that order, because an
    entry's id is its minute: a record one side added can take the id of a record that side re-dated or
    deleted, and read as an edit of it, the identical copy on the other side then being a second addition.
    """
    base_items = [_Item(chunk.kind, {"base": chunk}) for chunk in cut["base"]]
    matched = {side: _match_text(side, cut[side], base_items) for side in ("ours", "theirs")}
    _match_twins(cut, matched)
    found: dict[str, list[_Item]] = {"base": base_items}
    for side in ("ours", "theirs"):
        _match_edits(side, cut[side], matched[side], base_items)
        found[side] = [
            item if item is not None else _Item(cut[side][n].kind, {side: cut[side][n]})
            for n, item in enumerate(matched[side])
        ]
    for side, items in found.items():
        for item, following in zip(items, [*items[1:], None], strict=True):
            item.after[side] = following
    return found


def _match_text(side: str, chunks: list[Chunk], base_items: list[_Item]) -> list[_Item | None]:
    """One side's chunks matched to the base's: the preamble to the preamble, then equal text."""
    matched: list[_Item | None] = [None] * len(chunks)
    by_text: dict[tuple[str, str], list[_Item]] = {}
    for item in base_items:
        if item.kind != "preamble":
            by_text.setdefault((item.kind, item.chunks["base"].norm), []).append(item)
    for number, chunk in enumerate(chunks):
        if chunk.kind == "preamble":
            if base_items and base_items[0].kind == "preamble" and side not in base_items[0].chunks:
                base_items[0].chunks[side] = chunk
                matched[number] = base_items[0]
            continue
        same = by_text.get((chunk.kind, chunk.norm))
        if same:
            item = same.pop(0)
            item.chunks[side] = chunk
            matched[number] = item
    return matched


def _match_twins(cut: dict[str, list[Chunk]], matched: dict[str, list[_Item | None]]) -> None:
    """Chunks both sides added with the same text, as one item."""
    added: dict[tuple[str, str], list[int]] = {}
    for number, chunk in enumerate(cut["ours"]):
        if matched["ours"][number] is None and chunk.kind != "preamble":
            added.setdefault((chunk.kind, chunk.norm), []).append(number)
    for number, chunk in enumerate(cut["theirs"]):
        same = added.get((chunk.kind, chunk.norm)) if matched["theirs"][number] is None else None
        if same:
            ours = same.pop(0)
            item = _Item(chunk.kind, {"ours": cut["ours"][ours], "theirs": chunk})
            matched["ours"][ours] = matched["theirs"][number] = item


def _match_edits(side: str, chunks: list[Chunk], matched: list[_Item | None], base_items: list[_Item]) -> None:
    """One side's chunks left over matched to base chunks left over that they edit: a record to the record
    of its kind with its title and its id or date, other text to text like it; the closest first."""
    free = [item for item in base_items if side not in item.chunks]
    pairs = []
    for number, chunk in enumerate(chunks):
        for item in free if matched[number] is None else []:
            old = item.chunks["base"]
            if old.kind == chunk.kind and old.kind != "preamble" and _edits(old, chunk):
                ratio = difflib.SequenceMatcher(None, old.norm, chunk.norm).quick_ratio()
                if chunk.record is not None or ratio >= 0.5:
                    pairs.append((-ratio, number, item))
    taken: set[int] = set()
    for _, number, item in sorted(pairs, key=lambda p: (p[0], p[1])):
        if matched[number] is None and id(item) not in taken:
            taken.add(id(item))
            item.chunks[side] = chunks[number]
            matched[number] = item


def _edits(old: Chunk, new: Chunk) -> bool:
    """Whether `new` can be an edit of `old`. A record keeps its title and its id or date: a record with
    another title under the same id is another record that took the id (an entry's id is its minute)."""
    if old.record is None or new.record is None:
        return old.key == new.key
    same_place = old.record.id == new.record.id or old.record.date == new.record.date
    return old.record.title == new.record.title and same_place


# --- deciding and ordering ----------------------------------------------------------------------------


def _decide(item: _Item) -> tuple[str, Chunk | None, Chunk | None]:
    """("keep", chunk, None), ("drop", None, None) or ("conflict", ours, theirs) for one item."""
    base, ours, theirs = (item.chunks.get(side) for side in ("base", "ours", "theirs"))
    if base is None:
        return "keep", ours or theirs, None
    old = base.norm
    if ours is not None and theirs is not None:
        if ours.norm == old:
            return "keep", theirs, None
        if theirs.norm == old or theirs.norm == ours.norm:
            return "keep", ours, None
        return "conflict", ours, theirs
    remaining = ours or theirs
    if remaining is None or remaining.norm == old:
        return "drop", None, None
    return "conflict", ours, theirs


def _order(items: dict[str, list[_Item]]) -> list[_Item]:
    """Ours in its own order, less what was dropped, with what only theirs holds put in its place."""
    order = [item for item in items["ours"] if _decide(item)[0] != "drop"]
    placed = set(map(id, order))
    directions: dict[str, str | None] = {}
    for number, item in enumerate(items["theirs"]):
        if id(item) in placed or _decide(item)[0] == "drop":
            continue
        if item.kind not in directions:
            directions[item.kind] = _direction(items, item.kind)
        at = _by_date(order, item, directions[item.kind])
        if at is None:
            at = _after_anchor(order, items["theirs"][:number], placed)
        order.insert(at, item)
        placed.add(id(item))
    return order


def _direction(items: dict[str, list[_Item]], kind: str) -> str | None:
    """Whether records of `kind` run newest or oldest first: as ours shows, else theirs, else the base;
    newest first when no version shows an order but there are dated records (as `whylog add` assumes)."""
    seen = False
    for side in ("ours", "theirs", "base"):
        dates = [_date(item, side) for item in items[side] if item.kind == kind and _date(item, side)]
        seen = seen or bool(dates)
        if len(dates) >= 2 and dates[0] != dates[-1]:
            return "newest" if dates[0] > dates[-1] else "oldest"
    return "newest" if seen else None


def _date(item: _Item, side: str) -> str:
    record = item.chunks[side].record
    return record.date if record is not None else ""


def _by_date(order: list[_Item], item: _Item, direction: str | None) -> int | None:
    """Where a record goes among the records of its kind by date (equal dates: ours first)."""
    date = item.date
    peers = [n for n, other in enumerate(order) if other.kind == item.kind and other.date]
    if direction is None or not date or not peers:
        return None
    for number in peers:
        other = order[number].date
        if (other < date) if direction == "newest" else (other > date):
            return number
    return peers[-1] + 1


def _after_anchor(order: list[_Item], before: list[_Item], placed: set[int]) -> int:
    """Just after the nearest chunk that precedes it in theirs, past what only ours added there."""
    at = 0
    for anchor in reversed(before):
        if id(anchor) in placed:
            at = next(n for n, item in enumerate(order) if item is anchor) + 1
            break
    while at < len(order) and set(order[at].chunks) == {"ours"}:
        at += 1
    return at


# --- writing the result -------------------------------------------------------------------------------


class _Layout:
    """The tails to put between chunks: the one a chunk had before the same neighbour in some version,
    else the one the file uses between chunks of those kinds, else the chunk's own."""

    def __init__(self, items: dict[str, list[_Item]], newline: str, ours: list[Chunk]) -> None:
        self.newline = newline
        self.pairs: list[dict[tuple[str, str], Counter[str]]] = []
        for side in _SIDES:
            table: dict[tuple[str, str], Counter[str]] = {}
            for item in items[side]:
                following = item.after[side]
                pair = (item.kind, following.kind if following is not None else "")
                table.setdefault(pair, Counter())[item.chunks[side].tail] += 1
            self.pairs.append(table)
        self.end = ours[-1].tail if ours else ""

    def tail(self, item: _Item, following: _Item | None) -> str:
        for side in _SIDES:
            if side in item.chunks and item.after.get(side, False) is following:
                return self.restyle(item.chunks[side].tail)
        pair = (item.kind, following.kind if following is not None else "")
        for table in self.pairs:
            if pair in table:
                return self.restyle(table[pair].most_common(1)[0][0])
        if following is None:
            return self.end
        for side in _SIDES:
            chunk = item.chunks.get(side)
            if chunk is not None and not chunk.last:
                return self.restyle(chunk.tail)
        return self.restyle("\n---\n\n") if item.kind != "preamble" else self.newline

    def restyle(self, text: str) -> str:
        if self.newline == "\n" and "\r" not in text:
            return text
        return "".join(line.rstrip("\r\n") + self.newline if line[-1] in "\r\n" else line for line in split_lines(text))


def _emit(order: list[_Item], layout: _Layout, marker_size: int, mode: str) -> tuple[str, int]:
    """The merged text; `mode` "markers" writes conflicts between markers, "ours"/"theirs" picks a side."""
    out: list[str] = []
    conflicts = 0
    newline = layout.newline
    for number, item in enumerate(order):
        following = order[number + 1] if number + 1 < len(order) else None
        verdict, first, second = _decide(item)
        if verdict == "conflict":
            conflicts += 1
            sides = [_line_ended(layout.restyle(c.body), newline) if c is not None else "" for c in (first, second)]
            if mode == "markers":
                body = (
                    f"{'<' * marker_size} ours{newline}{sides[0]}{'=' * marker_size}{newline}"
                    f"{sides[1]}{'>' * marker_size} theirs{newline}"
                )
            else:
                body = sides[0] if mode == "ours" else sides[1]
        else:
            assert first is not None
            body = first.body if "ours" in item.chunks and first is item.chunks["ours"] else layout.restyle(first.body)
        tail = layout.tail(item, following)
        if following is not None and body and not tail.startswith(("\n", "\r")) and body[-1] not in "\r\n":
            body += newline
        out.append(body + tail)
    return "".join(out), conflicts


def _line_ended(text: str, newline: str) -> str:
    return text if not text or text[-1] in "\r\n" else text + newline


def _end_like(text: str, base: str, ours: str, theirs: str) -> str:
    """End the text with a line break when the merge of the three versions' endings says so."""
    ends = [t.endswith(("\n", "\r")) for t in (base, ours, theirs)]
    wanted = ends[1] if ends[1] != ends[0] else ends[2]
    if wanted and text and text[-1] not in "\r\n":
        return text + ("\r\n" if "\r\n" in ours else "\n")
    if not wanted and text.endswith(("\n", "\r")):
        return text[:-2] if text.endswith("\r\n") else text[:-1]
    return text


def _expected(order: list[_Item], mode: str) -> list[Record]:
    out = []
    for item in order:
        verdict, first, second = _decide(item)
        chunk = second if verdict == "conflict" and mode == "theirs" else first
        if chunk is not None and chunk.record is not None:
            out.append(chunk.record)
    return out


def _reads_as(text: str, records: list[Record], display: str, family: str) -> bool:
    try:
        found = read_text(text, display, family).records
    except WhylogError:
        return False
    return Counter(map(_content, found)) == Counter(map(_content, records))


def _content(record: Record) -> str:
    """A record as its text says it, apart from where it is and the suffix a shared id gets."""
    return json.dumps(to_json(replace(record, id="", source=None)), sort_keys=True)


# --- installing the driver ----------------------------------------------------------------------------


def install_merge_driver(config: Config) -> list[tuple[str, str]]:
    """Mark the log files `merge=whylog` in the config root's .gitattributes and define the driver in the
    repository's own git config; returns (what, "wrote" | "updated" | "kept") pairs."""
    from whylog.branches.hook import whylog_command

    top = git.repo_root(config.root)
    if top is None:
        raise WriteError("not inside a git work tree", str(config.root), hint="run `git init` first")
    done: list[tuple[str, str]] = [(".gitattributes", _write_attributes(config))]
    command = f"{shlex.quote(whylog_command())} merge-file %O %A %B %P --marker-size %L"
    for key, value in (("merge.whylog.name", DRIVER_NAME), ("merge.whylog.driver", command)):
        old = git.config_value(top, key)
        outcome: Outcome = "kept" if old == value else "wrote" if old is None else "updated"
        if outcome != "kept":
            git.set_config_value(top, key, value)
        done.append((f"git config {key}", outcome))
    return done


def attribute_patterns(config: Config) -> list[str]:
    """The .gitattributes patterns (relative to the config root, unquoted) of the append-only record files."""
    return ["/" + glob.lstrip("/") for glob, family in config.sources.items() if family in MERGED_FAMILIES]


def _quoted(pattern: str) -> str:
    """A pattern as a .gitattributes line writes it: in C-style quotes when it holds a space or a quote."""
    if not any(c in pattern for c in ' \t"\\'):
        return pattern
    return '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first_word(line: str) -> str:
    """A .gitattributes line's pattern, unquoted."""
    if line.startswith('"'):
        try:
            return shlex.split(line)[0]
        except ValueError:
            return ""
    words = line.split()
    return words[0] if words else ""


def _write_attributes(config: Config) -> Outcome:
    path = config.root / ".gitattributes"
    data = path.read_bytes() if path.is_file() else b""
    text = data.decode("utf-8", errors="surrogateescape")
    have = {_first_word(line).lstrip("/") for line in text.splitlines() if "merge=whylog" in line.split()[1:]}
    missing = [p for p in attribute_patterns(config) if p.lstrip("/") not in have]
    if not missing:
        return "kept"
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = ([] if "# whylog:" in text else ["# whylog: merge record logs record by record (`whylog init`)"]) + [
        f"{_quoted(pattern)} merge=whylog" for pattern in missing
    ]
    if text and not text.endswith(("\n", "\r")):
        text += newline
    text += "".join(line + newline for line in lines)
    write_repo_file(config.root, path, text)
    return "updated" if data else "wrote"
