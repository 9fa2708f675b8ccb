"""The secret guard: credentials in a record's text, found with detect-secrets' plugins and our own forms.

Each line of each text value goes through detect-secrets' detector plugins (API keys, tokens, private keys,
passwords in URLs, JWTs, quoted high-entropy strings, secret-sounding assignments) and its heuristic
filters (UUIDs, id strings, templates, sequences), line by line and without its eager unquoted search, so
that git shas, UUIDs and prose in engineering logs do not read as secrets; then through the forms it does
not know (`whylog.writing.secret_forms`: unquoted assignments, auth headers, command-line passwords, newer provider
keys). Invisible format characters (a zero-width space inside a key) are taken out before the scan and the
columns mapped back, and a key broken over two adjacent lines is scanned joined. One function,
`find_secrets_in_text`, serves `add`, MCP `add_record` and lint FIL010. detect-secrets is imported on the
first check only: it pulls in `requests`, which `whylog --help` must not pay for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from whylog.model import Diagnostic, Record, Source, to_json
from whylog.writing.secret_forms import iter_forms, iter_marked_offsets, lowercase

if TYPE_CHECKING:
    from whylog.markdown.document import Document

CODE = "FIL010"
NAME = "contains-secret"

# Not credentials: a public IP address is an address, not a key.
_SKIPPED_PLUGINS = frozenset({"IPPublicDetector"})
# Plain text, so detect-secrets' keyword rules want `password = "..."`, never prose like "password hashing".
_FILENAME = "record.txt"
# md5, sha1 (a git object id), sha224, sha256, sha384, sha512 in hex: digests, not keys.
_DIGEST_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
_HEX = re.compile(r"[0-9a-fA-F]+")
# A subresource-integrity hash (npm's `integrity: sha512-...`).
_SRI = re.compile(r"sha(?:1|256|384|512)-")
# A secret-sounding name given a reference, not a value: `settings.API_KEY`, `DB_PASSWORD`, `vault:kv/db`.
_REFERENCE = re.compile(r"\w+(?:\.\w+)+(?:\(\))?|[A-Z][A-Z0-9_]+|[a-z][\w+.-]*:\S*|[/~.]\S*")
# These plugins only ever match inside quotes (detect-secrets' quotes-required patterns): skip unquoted lines.
_NEEDS_QUOTES = frozenset({"KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString"})
_QUOTES = ("'", '"', "`")


@dataclass(frozen=True, slots=True)
class Finding:
    """A credential found in a record: the field it is in, its 1-based line and column there, and its kind."""

    field_path: str
    line: int
    column: int
    kind: str

    def describe(self) -> str:
        return f"{self.field_path} line {self.line}, column {self.column}: looks like {_article(self.kind)}"


def _article(kind: str) -> str:
    word = kind.split(" ")[0]
    # an initialism is read by its letters' names: an NPM Token, an SSH key, a JSON Web Token
    vowel = word[:1].upper() in ("AEFHILMNORSX" if len(word) > 1 and word.isupper() else "AEIOU")
    return f"{'an' if vowel else 'a'} {kind}"


@lru_cache(maxsize=1)
def _plugins() -> tuple[Any, ...]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    classes: list[Any] = list(get_mapping_from_secret_type_to_class().values())
    return tuple(cls() for cls in sorted(classes, key=lambda c: c.__name__) if cls.__name__ not in _SKIPPED_PLUGINS)


def _filtered_out(secret: str, line: str, plugin: Any) -> bool:
    from detect_secrets.filters import heuristic

    name = type(plugin).__name__
    return bool(
        heuristic.is_sequential_string(secret)
        or heuristic.is_potential_uuid(secret)
        or heuristic.is_likely_id_string(secret, line, plugin)
        or heuristic.is_templated_secret(secret)
        or heuristic.is_prefixed_with_dollar_sign(secret)
        or heuristic.is_indirect_reference(line)
        or heuristic.is_not_alphanumeric_string(secret)
        or (name == "HexHighEntropyString" and len(secret) in _DIGEST_LENGTHS and bool(_HEX.fullmatch(secret)))
        or (name == "Base64HighEntropyString" and bool(_SRI.match(secret)))
        or (name == "KeywordDetector" and (bool(_REFERENCE.fullmatch(secret)) or len(set(secret)) <= 2))
    )


def _scan_detect_secrets(line: str) -> Iterator[tuple[int, int, str]]:
    quoted = any(q in line for q in _QUOTES)
    for plugin in _plugins():
        if not quoted and type(plugin).__name__ in _NEEDS_QUOTES:
            continue
        for secret in plugin.analyze_line(filename=_FILENAME, line=line, line_number=0):
            value = secret.secret_value or ""
            if value and not _filtered_out(value, line, plugin):
                column = max(line.find(value), 0)
                yield column, column + len(value), secret.type


def _scan_line(line: str, marked: bool = True, looked: bool | None = None) -> list[tuple[int, int, str]]:
    """(0-based start, end, kind) of each secret in one line, first by column, one per column; `marked`
    says whether the line holds a marker of one of our own forms (else they are not tried), `looked` the
    first look's answer for detect-secrets when the caller has it."""
    found: dict[int, tuple[int, int, str]] = {}
    if looked if looked is not None else len(line) >= 8 and _may_hold_secret(line):
        for start, end, kind in sorted(_scan_detect_secrets(line)):
            found.setdefault(start, (start, end, kind))
    for start, end, kind in iter_forms(line) if marked else ():
        found.setdefault(start, (start, end, kind))
    return sorted(found.values())


_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9+/=_\-.])[A-Za-z0-9+/=_\-.]{16,}")  # tried at a run's start only
_DIGIT, _LETTER = re.compile(r"[0-9]"), re.compile(r"[A-Za-z]")
_RUN = re.compile(r"[A-Za-z0-9]{12,}")  # keys are dense; `300-use-vite-for-docker.md` is words
_ASSIGNED = re.compile(r"(?:pass|pwd|secret|token|key|auth|cred|bearer)\w*['\"`]?[^\S\n]*(?::=|=>|[:=])[^\S\n]*['\"`]")


def _may_hold_secret(line: str) -> bool:
    """A cheap first look that spares most prose lines detect-secrets' detectors: each needs a key marker, a
    URL with credentials, a quoted value assigned to a secret-sounding name, or a long token (a path's parts
    taken one by one, unless quoted) that looks like a key. `_first_look` gives the same answer for every
    line of a text at once; this one serves two lines joined."""
    if "PRIVATE KEY" in line or ("://" in line and "@" in line):
        return True
    quoted = "`" in line or '"' in line or "'" in line
    if quoted and _ASSIGNED.search(lowercase(line)):
        return True
    return any(_may_be_key_token(token, quoted) for token in _LONG_TOKEN.findall(line))


def _may_be_key_token(token: str, quoted: bool) -> bool:
    return any(_may_be_key(part) for part in ([token] if quoted else token.split("/")))


def _first_look(lines: list[str], body: str, lowered: str) -> set[int]:
    """The lines `_may_hold_secret` passes (of 8 characters or more), found with a few searches over the
    whole text (`body`, the lines joined by newlines, and its lowercase) rather than one a line."""
    found = set(_line_numbers(body, _iter_found(body, "PRIVATE KEY")))
    found.update(n for n in _line_numbers(body, _iter_found(body, "://")) if "@" in lines[n])
    found.update(_line_numbers(body, (match.start() for match in _ASSIGNED.finditer(lowered))))
    number = previous = 0
    for match in _LONG_TOKEN.finditer(body):
        number += body.count("\n", previous, match.start())
        previous = match.start()
        if number not in found:
            line = lines[number]
            if _may_be_key_token(match.group(), "`" in line or '"' in line or "'" in line):
                found.add(number)
    return {number for number in found if len(lines[number]) >= 8}


def _iter_found(text: str, part: str) -> Iterator[int]:
    found = text.find(part)
    while found >= 0:
        yield found
        found = text.find(part, found + len(part))


def _may_be_key(token: str) -> bool:
    """Sixteen characters or more mixing letters and digits, with capitals or a dense run of twelve."""
    return (
        len(token) >= 16
        and bool(_DIGIT.search(token))
        and bool(_LETTER.search(token))
        and (not token.islower() or bool(_RUN.search(token)))
    )


# Unicode's invisible format characters (category Cf: soft hyphen, zero-width space and joiners, bidi marks,
# word joiner, byte order mark, tags...), as of Unicode 16; a test keeps it a superset of unicodedata's Cf.
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _visible(lines: list[str]) -> dict[int, list[int]]:
    """Take invisible format characters out of `lines` in place (a zero-width space inside a key hides it
    from every pattern); for each line changed, the column in the original of each kept character."""
    columns: dict[int, list[int]] = {}
    for number, line in enumerate(lines):
        if INVISIBLE.search(line):
            columns[number] = [i for i, c in enumerate(line) if not INVISIBLE.match(c)]
            lines[number] = INVISIBLE.sub("", line)
    return columns


_KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-."
# A newline after a key character (or after a shell's line continuation after one) and before one (after
# indentation). Starting at the newline lets the regex engine jump from one to the next.
_ACROSS = re.compile(r"\n(?:(?<=[A-Za-z0-9+/=_\-.]\n)|(?<=[A-Za-z0-9+/=_\-.]\\\n))[ \t]*[A-Za-z0-9+/=_\-.]")


def _joined(first: str, second: str) -> str | None:
    """`first` and `second` as one line when a long key-like token runs from the end of one into the start
    of the other (a key wrapped or pasted over two lines), else None."""
    first, rest = first.removesuffix("\\"), second.lstrip()
    tail = len(first) - len(first.rstrip(_KEY_CHARS))
    head = len(rest) - len(rest.lstrip(_KEY_CHARS))
    if not tail or not head or not _may_be_key(first[len(first) - tail :] + rest[:head]):
        return None
    return first + rest


def _line_numbers(body: str, offsets: Iterable[int]) -> list[int]:
    """The 0-based line of each offset into `body` (lines joined by newlines), in order, once each."""
    numbers: list[int] = []
    line = previous = 0
    for offset in sorted(offsets):
        line += body.count("\n", previous, offset)
        previous = offset
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


def find_secrets_in_text(text: str) -> list[tuple[int, int, str]]:
    """(line, column, kind) of each credential in `text`, 1-based: the one scan behind `add`, MCP and lint."""
    lines = text.splitlines()
    columns = _visible(lines) if not text.isascii() and INVISIBLE.search(text) else {}
    body = "\n".join(lines)
    lowered = lowercase(body)
    marked, looked = set(_line_numbers(body, iter_marked_offsets(lowered))), _first_look(lines, body, lowered)
    found: dict[tuple[int, int], str] = {}

    def note(number: int, start: int, kind: str) -> None:
        found.setdefault((number, columns[number][start] if number in columns else start), kind)

    for number in sorted(marked | looked):
        for start, _, kind in _scan_line(lines[number], number in marked, number in looked):
            note(number, start, kind)
    for number in _line_numbers(body, (m.start() for m in _ACROSS.finditer(body))):
        joined = _joined(lines[number], lines[number + 1])
        cut = len(lines[number].removesuffix("\\"))
        for start, end, kind in _scan_line(joined) if joined else []:
            if start < cut < end:
                note(number, start, kind)
    return [(number + 1, column + 1, kind) for (number, column), kind in sorted(found.items())]


def _iter_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _iter_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _iter_strings(item, f"{path}[{index}]")


def find_secrets_in_record(record: Record) -> list[Finding]:
    """Each credential in the record's text values, named by field path (`fields.result`, `files[0].path`)."""
    envelope = to_json(record.without_source())
    envelope.pop("source", None)
    return [
        Finding(field_path, line, column, kind)
        for field_path, text in _iter_strings(envelope, "")
        for line, column, kind in find_secrets_in_text(text)
    ]


def lint_secrets(document: Document) -> Iterator[Diagnostic]:
    """FIL010 contains-secret: each credential in an existing record file, at its file line."""
    for line, column, kind in find_secrets_in_text(document.text):
        yield Diagnostic(
            CODE,
            f"column {column}: looks like {_article(kind)}",
            Source(document.path, line, line),
            "remove it from the file (and rotate it: it is in the history too), or suppress FIL010 on this line",
            "error",
        )
