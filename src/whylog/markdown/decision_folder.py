"""How a folder of decision records names its files, and the line its index page gives each decision.

`naming_of` reads the scheme off the names already there: numbered (`0004-x.md`, `ADR-012-x.md`,
`adr_7_x.md`: the prefix and the digits' width as written) or date-named (`20260526-x.md`); a folder
that holds both (a team that switched) takes the scheme of its newest decision. `file_name` names a new
decision in that scheme with `file_slug`: the whole title in lower case, words joined by `-` (accents
dropped, other scripts kept), never cut inside a word and, past 80 characters, cut at a word with no
trailing `of`/`the`.

`index_line` writes the line an ADR index page (a README.md or index.md beside the decisions, whose
lines link to them) would have for a new decision: the line of the newest decision listed, with that
decision's file name, date, title, status and number swapped for the new one's.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from whylog.markdown.decisions import id_of_file, number_of_file
from whylog.markdown.names import is_index_name

_DATE_NAME = re.compile(r"^(\d{8})[-_]")
_NUMBER_NAME = re.compile(r"^([A-Za-z]{1,4}[-_.]*|)(\d{1,6})([-_.])")
_STOP = frozenset("a an and as at by for from in into of on or the to with".split())
_LINK = re.compile(r"\]\((?:\./)?([^)\s/#]+\.(?:md|markdown))(?:#[^)]*)?\)")


@dataclass(frozen=True, slots=True)
class Naming:
    scheme: Literal["number", "date"] = "number"
    prefix: str = ""  # as written before the number: `ADR-`, `adr_`; "" for `0004-x.md`
    width: int = 3
    separator: str = "-"


def naming_of(names: list[str], numbered_date: str = "") -> Naming:
    """The scheme the folder's decision files are named in (numbered with three digits when none is).
    A folder holding both takes the scheme of its newest decision when `numbered_date` (the date of its
    highest-numbered decision) tells, else the scheme most of its files are named in."""
    dated = [n for n in names if _DATE_NAME.match(n)]
    numbered = [(m, n) for n in names if not _DATE_NAME.match(n) and (m := _NUMBER_NAME.match(n))]
    if dated and numbered and numbered_date:
        newest = max(_DATE_NAME.match(n).group(1) for n in dated)  # type: ignore[union-attr]
        if newest >= numbered_date[:10].replace("-", ""):
            return Naming("date")
    elif dated and len(dated) >= len(numbered):
        return Naming("date")
    if not numbered:
        return Naming()
    match, _name = max(numbered, key=lambda pair: int(pair[0].group(2)))
    return Naming("number", match.group(1), max(len(m.group(2)) for m, _ in numbered), match.group(3))


def file_slug(title: str, limit: int = 80, empty: str = "decision") -> str:
    """`Use PostgreSQL for sessions` -> `use-postgresql-for-sessions`; `Bilder über CDN` -> `bilder-uber-cdn`."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    words = re.findall(r"[^\W_]+", plain.lower())
    out: list[str] = []
    for word in words:
        if out and len("-".join([*out, word])) > limit:
            while len(out) > 1 and out[-1] in _STOP:
                out.pop()
            break
        out.append(word)
    return "-".join(out) or empty


def file_name(naming: Naming, number: int, date: str, title: str) -> str:
    if naming.scheme == "date":
        return f"{date[:10].replace('-', '')}-{file_slug(title)}.md"
    return f"{naming.prefix}{number:0{naming.width}d}{naming.separator}{file_slug(title)}.md"


def is_index(name: str) -> bool:
    return name.lower().endswith(".md") and is_index_name(name)


def listed(text: str) -> list[tuple[int, str]]:
    """(0-based line, file name) of each line of an index page that links to a decision file."""
    out = []
    for index, line in enumerate(text.splitlines()):
        found = _LINK.search(line)
        if found is not None and id_of_file(found.group(1)) is not None:
            out.append((index, found.group(1)))
    return out


@dataclass(frozen=True, slots=True)
class Listed:
    """What the index line of a decision names: its file, number, date, title and status as written."""

    name: str
    number: int
    date: str
    title: str
    status: str


def index_line(line: str, old: Listed, new: Listed) -> str:
    """The line `line` (listing `old`) rewritten to list `new`: each of old's values found in it is
    swapped, the file name first, then the date, the title, the status and the number (kept at the
    width written)."""
    spans: list[tuple[int, int, str]] = []
    taken = [False] * (len(line) + 1)

    def swap(pattern: str, make: str | None) -> None:
        for found in re.finditer(pattern, line):
            if found.start() == found.end() or any(taken[found.start() : found.end()]):
                continue
            text = make if make is not None else _number(found.group(0), new.number)
            spans.append((found.start(), found.end(), text))
            taken[found.start() : found.end()] = [True] * (found.end() - found.start())

    swap(re.escape(old.name), new.name)
    swap(re.escape(os.path.splitext(old.name)[0]), os.path.splitext(new.name)[0])
    if old.date and new.date:
        swap(re.escape(old.date[:10]), new.date[:10])
    if old.title and new.title:
        swap(re.escape(old.title), new.title)
    if old.status and new.status:
        swap(r"(?<!\w)" + re.escape(old.status) + r"(?!\w)", new.status)
    if number_of_file(old.name) is not None:
        swap(rf"(?<!\d)0*{old.number}(?!\d)", None)
    out = line
    for start, end, text in sorted(spans, reverse=True):
        out = out[:start] + text + out[end:]
    return out


def _number(written: str, number: int) -> str:
    return f"{number:0{len(written)}d}" if written.startswith("0") else str(number)
