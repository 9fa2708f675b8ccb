"""The secret guard: credentials in a record's text, found with detect-secrets' own plugins and filters.

Each line of each text value goes through detect-secrets' detector plugins (API keys, tokens, private keys,
passwords in URLs, JWTs, quoted high-entropy strings, secret-sounding assignments) and its heuristic
filters (UUIDs, id strings, templates, sequences), line by line and without its eager unquoted search, so
that git shas, UUIDs and prose in engineering logs do not read as secrets. detect-secrets is imported on
the first check only: it pulls in `requests`, which `whylog --help` must not pay for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from whylog.model import Diagnostic, Record, Source, to_json

if TYPE_CHECKING:
    from whylog.markdown.document import Document

CODE = "FIL010"
NAME = "contains-secret"

# Not credentials: a public IP address is an address, not a key.
_SKIPPED_PLUGINS = frozenset({"IPPublicDetector"})
# Plain text, so detect-secrets' keyword rules want `password = "..."`, never prose like "password hashing".
_FILENAME = "record.txt"
# A quoted git object id on a line about commits is a commit, not a hex secret.
_GIT_SHA = re.compile(r"[0-9a-f]{7,40}|[0-9a-f]{64}")
# A secret-sounding name given a reference, not a value: `settings.API_KEY`, `DB_PASSWORD`, `vault:kv/db`.
_REFERENCE = re.compile(r"\w+(?:\.\w+)+(?:\(\))?|[A-Z][A-Z0-9_]+|[a-z][\w+.-]*:\S*|[/~.]\S*")
# These plugins only ever match inside quotes (detect-secrets' quotes-required patterns): skip unquoted lines.
_NEEDS_QUOTES = frozenset({"KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString"})
_QUOTES = ("'", '"', "`")
_ABOUT_COMMITS = re.compile(r"\b(?:commit|sha|revert|reverted|merge|cherry-pick|rev|revision|hash)\b", re.I)


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
    return f"{'an' if kind[:1].upper() in 'AEIOU' else 'a'} {kind}"


@lru_cache(maxsize=1)
def _plugins() -> tuple[Any, ...]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    classes: list[Any] = list(get_mapping_from_secret_type_to_class().values())
    return tuple(cls() for cls in sorted(classes, key=lambda c: c.__name__) if cls.__name__ not in _SKIPPED_PLUGINS)


def _filtered_out(secret: str, line: str, plugin: Any) -> bool:
    from detect_secrets.filters import heuristic

    return bool(
        heuristic.is_sequential_string(secret)
        or heuristic.is_potential_uuid(secret)
        or heuristic.is_likely_id_string(secret, line, plugin)
        or heuristic.is_templated_secret(secret)
        or heuristic.is_prefixed_with_dollar_sign(secret)
        or heuristic.is_indirect_reference(line)
        or heuristic.is_not_alphanumeric_string(secret)
        or (bool(_GIT_SHA.fullmatch(secret)) and bool(_ABOUT_COMMITS.search(line)))
        or (
            type(plugin).__name__ == "KeywordDetector" and (bool(_REFERENCE.fullmatch(secret)) or len(set(secret)) <= 2)
        )
    )


def _scan_line(line: str) -> list[tuple[int, str]]:
    """(0-based column, kind) of each secret in one line, first by column."""
    found: dict[int, str] = {}
    quoted = any(q in line for q in _QUOTES)
    for plugin in _plugins():
        if not quoted and type(plugin).__name__ in _NEEDS_QUOTES:
            continue
        for secret in plugin.analyze_line(filename=_FILENAME, line=line, line_number=0):
            value = secret.secret_value or ""
            if not value or _filtered_out(value, line, plugin):
                continue
            column = max(line.find(value), 0)
            found.setdefault(column, secret.type)
    return sorted(found.items())


_LONG_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-.]{16,}")
_RUN = re.compile(r"[A-Za-z0-9]{12,}")  # keys are dense; `300-use-vite-for-docker.md` is words
_ASSIGNED = re.compile(r"(?:pass|pwd|secret|token|key|auth|cred|bearer)\w*['\"`]?\s*(?::=|=>|[:=])\s*['\"`]", re.I)


def _may_hold_secret(line: str) -> bool:
    """A cheap first look that spares most prose lines the detectors (about 30 µs a line): each detector
    needs a key marker, a URL with credentials, a quoted value assigned to a secret-sounding name, or a
    long token (a path's parts taken one by one, unless quoted) that mixes letters and digits and
    either has capitals or a dense run of twelve letters and digits."""
    if "PRIVATE KEY" in line or ("://" in line and "@" in line):
        return True
    quoted = "`" in line or '"' in line or "'" in line
    if quoted and _ASSIGNED.search(line):
        return True
    for token in _LONG_TOKEN.findall(line):
        for part in [token] if quoted else token.split("/"):
            if len(part) >= 16 and _has_letter_and_digit(part) and (not part.islower() or _RUN.search(part)):
                return True
    return False


def _has_letter_and_digit(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def find_secrets_in_text(text: str) -> list[tuple[int, int, str]]:
    """(line, column, kind) of each credential in `text`, 1-based."""
    out: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) >= 8 and _may_hold_secret(line):
            out += [(number, column + 1, kind) for column, kind in _scan_line(line)]
    return out


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
