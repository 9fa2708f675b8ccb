"""Credential forms detect-secrets 1.5 does not know, as named patterns with a check on the value.

detect-secrets finds keys by their provider prefix (AKIA, ghp_, xoxb-, sk_live_, ...), URLs with a password,
JWTs, private key blocks, and quoted values (high entropy, or assigned to a secret-sounding name). A record
is prose and shell, though: `export DB_PASSWORD=...`, `password: ...`, `curl -u user:pw`, `mysql -p...`,
`Authorization: Bearer ...`, and newer provider keys (GitHub fine-grained, Google, OpenAI project, Anthropic,
npm, Square). Each form here is one regular expression whose group `value` is the credential (its start is
the column reported) and, where a name or flag is only a hint, a test that the value is a credential and
not a placeholder (`${DB_PASSWORD}`, `<redacted>`, `****`, `YOUR_API_KEY`, `settings.API_KEY`) or a word.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Form:
    """One credential form: its kind (as reported), the lowercase text a line needs before the pattern is
    tried (any of `markers`), its pattern, and the test its match must pass."""

    kind: str
    markers: tuple[str, ...]
    pattern: re.Pattern[str]
    accepts: Callable[[re.Match[str]], bool]


def _any(_: re.Match[str]) -> bool:
    return True


# A value that stands for a credential without being one: `YOUR_API_KEY`, `<token>`, `{{ secret }}`, `****`.
_PLACEHOLDER = re.compile(
    r"^(?:your|my|some|example|sample|dummy|placeholder|redacted|hidden)(?:[_\-.]|$)|(?:[_\-.])(?:here|placeholder)$"
    r"|[<>]|\{\{|\$\{|\$\(|\*{3}|x{4}|\.\.\.|…",
    re.I,
)
_PLACEHOLDER_VALUES = frozenset(
    "none null nil empty true false yes no required optional unset hidden masked removed omitted redacted secret "
    "password passwd token string str value todo tbd n/a na env".split()
)
_REFERENCE_START = tuple("$%{<[(!@&*/~.#")
_MASK = frozenset("*xX•#.-_")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]]*\]|\(\))+")
_SCHEME = re.compile(r"(?!base64:)[a-z][\w+.-]*:(?://)?\S*")  # `base64:...` is a key (Laravel's APP_KEY)
_DIGIT_IN_WORD = re.compile(r"[A-Za-z][0-9]|[0-9][A-Za-z]")
_RUN = re.compile(r"[A-Za-z0-9]{12,}")
_TRAILING = ".,;:)]}"


def _is_reference(value: str) -> bool:
    """A name, path, template or mask in place of a value: `${X}`, `<redacted>`, `****`, `DB_PASSWORD`,
    `os.environ['X']`, `settings.API_KEY`, `vault:kv/db`, `/run/secrets/db`, `YOUR_API_KEY`."""
    if not value or value.startswith(_REFERENCE_START) or set(value) <= _MASK:
        return True
    if "(" in value or value.endswith("["):  # a call or a subscript: `os.environ[`, `get_secret()`
        return True
    if value.lower() in _PLACEHOLDER_VALUES or _PLACEHOLDER.search(value):
        return True
    if _ENV_NAME.fullmatch(value) or _SCHEME.fullmatch(value):
        return True
    return bool(_DOTTED.fullmatch(value)) and not _DIGIT_IN_WORD.search(value)


def _value(match: re.Match[str]) -> str:
    return match.group("value").rstrip(_TRAILING)


def _password(match: re.Match[str]) -> bool:
    """A password given unquoted: six characters or more with a letter and a digit or a symbol (other than
    the `-_.` that join words: `source-audited` is prose), and not a reference or placeholder."""
    value = _value(match)
    if len(value) < 6 or not any(c.isalpha() for c in value) or _is_reference(value):
        return False
    return any(c.isdigit() or not (c.isalnum() or c in "-_.'") for c in value)


def _key(match: re.Match[str]) -> bool:
    """A key or token given unquoted: twelve characters or more mixing letters and digits, dense (mixed case
    or a run of twelve letters and digits, so `v2_endpoint_handler` is a name), not a reference."""
    value = _value(match)
    if len(value) < 12 or not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    return (not value.islower() or bool(_RUN.search(value))) and not _is_reference(value)


def _bearer(match: re.Match[str]) -> bool:
    return len(_value(match)) >= 8 and _key(match)


def _basic(match: re.Match[str]) -> bool:
    """`Basic <base64 of user:password>`: the value decodes to a user and a password."""
    value = match.group("value")
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(colon and user and password and decoded.isprintable() and not _is_reference(password))


def _flag_password(match: re.Match[str]) -> bool:
    """A password given to a command-line flag (`mysql -p...`, `curl -u user:...`): three characters or
    more that are not a reference or a placeholder."""
    value = _value(match)
    return len(value) >= 3 and not value.startswith("-") and not _is_reference(value)


# A name about the credential rather than holding it: `password_min_length`, `token_ttl`, `secret_name`.
_ABOUT = re.compile(
    r"(?:id|ttl|expiry|expires|expiration|length|len|min|max|count|size|limit|timeout|type|field|hash|hashed|"
    r"file|path|url|uri|name|policy|rotation|header|format|prefix|env|var|at|on|date|changed|updated|reset)s?$",
    re.I,
)


_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def _named(test: Callable[[re.Match[str]], bool]) -> Callable[[re.Match[str]], bool]:
    """`test`, for a name (its prefix read back from the keyword: `aws_` of `aws_secret_access_key`) that
    holds the credential rather than says something about it."""

    def accepts(match: re.Match[str]) -> bool:
        start, line = match.start("name"), match.string
        while start and line[start - 1] in _NAME_CHARS:
            start -= 1
        name = line[start : match.end("name")]
        return not _ABOUT.fullmatch(re.split(r"[_.\-]", name)[-1]) and test(match)

    return accepts


_T = r"[A-Za-z0-9_\-]"
_END = r"(?![A-Za-z0-9_\-])"
# Names that hold a credential, from the keyword on (the pattern finds the keyword; a prefix such as `DB_`
# is read back by `_named`). `key` alone is too common in prose and config (`key: value`, `primary key`);
# `pass` counts only after a separator (`db_pass`, not `bypass`, nor a test log's `PASS: ...`), and the short
# forms take no suffix (`single_pass_tokens` is a count).
_PASSWORD_NAME = r"pass(?:word|wd|phrase)[A-Za-z0-9_]*|(?<=[_.\-])pass|(?<![A-Za-z0-9_.\-])pwd?"
_KEY_NAME = (
    r"(?:secret|token|credentials?|apikey|(?:api|access|secret|private|auth|client|signing|encryption|master"
    r"|account|service|app|consumer|session)[_-]?key)[A-Za-z0-9_]*"
)


def _assignment(name: str) -> re.Pattern[str]:
    # the value stops at quotes (a quoted value is detect-secrets' KeywordDetector's) and at , ;
    return re.compile(rf"(?P<name>{name})\**\s*(?::=|=>|=|:)\s*\**\s*(?P<value>[^\s'\"`,;]+)", re.I)


FORMS: tuple[Form, ...] = (
    Form("GitHub Token", ("github_pat_",), re.compile(rf"\b(?P<value>github_pat_[A-Za-z0-9_]{{36,}}){_END}"), _any),
    Form("Google API Key", ("aiza",), re.compile(rf"(?<![A-Za-z0-9])(?P<value>AIza{_T}{{35}}){_END}"), _any),
    Form("OpenAI API Key", ("sk-",), re.compile(rf"\b(?P<value>sk-(?:proj|svcacct|admin)-{_T}{{20,}}){_END}"), _any),
    Form("OpenAI API Key", ("sk-",), re.compile(r"\b(?P<value>sk-[A-Za-z0-9]{40,})\b"), _any),
    Form("Anthropic API Key", ("sk-",), re.compile(rf"\b(?P<value>sk-ant-[a-z]+\d*-{_T}{{20,}}){_END}"), _any),
    Form("NPM Token", ("npm_",), re.compile(r"\b(?P<value>npm_[A-Za-z0-9]{36})\b"), _any),
    Form("Square Access Token", ("sq0atp-",), re.compile(rf"\b(?P<value>sq0atp-{_T}{{22,}}){_END}"), _any),
    Form(
        "Authorization Header",
        ("bearer", "authorization"),
        re.compile(r"(?:\b(?i:bearer)|\b(?i:authorization)\s*[:=]\s*(?i:token))\s+(?P<value>[A-Za-z0-9._~+/\-]+=*)"),
        _bearer,
    ),
    Form("Authorization Header", ("basic",), re.compile(r"\b(?i:basic)\s+(?P<value>[A-Za-z0-9+/]{8,}=*)"), _basic),
    Form(
        "MySQL Password",
        ("mysql",),
        re.compile(r"\bmysql\w*\b[^|;&\n]*?\s-p(['\"]?)(?P<value>[^\s'\"`]+)\1"),
        _flag_password,
    ),
    Form(
        "cURL Password",
        ("curl",),
        re.compile(r"\bcurl\b[^|;&\n]*?\s(?:-u|--user)(?:\s*|=)(['\"]?)[^\s:'\"`]+:(?P<value>[^\s'\"`]+)\1"),
        _flag_password,
    ),
    Form(
        "Secret Keyword",
        ("password", "passwd", "passphrase", "_pass", "-pass", ".pass", "pw"),
        _assignment(_PASSWORD_NAME),
        _named(_password),
    ),
    Form("Secret Keyword", ("secret", "token", "key", "cred"), _assignment(_KEY_NAME), _named(_key)),
)
_MARKERS = tuple(sorted({marker for form in FORMS for marker in form.markers}))


def lowercase(text: str) -> str:
    """`text` in lowercase, each character in its place (a few non-ASCII capitals lowercase to two)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered


def iter_marked_offsets(lowered: str) -> Iterator[int]:
    """Offsets in `lowered` (a text in lowercase) of the markers some form needs, in no order: a few
    searches over a whole text are much cheaper than one a line, and most lines have none."""
    for marker in _MARKERS:
        found = lowered.find(marker)
        while found >= 0:
            yield found
            found = lowered.find(marker, found + len(marker))


def iter_forms(line: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each credential in `line` that a form here finds, 0-based."""
    lowered = line.lower()
    for form in FORMS:
        if not any(marker in lowered for marker in form.markers):
            continue
        for match in form.pattern.finditer(line):
            if form.accepts(match):
                start = match.start("value")
                yield start, start + len(_value(match)), form.kind
