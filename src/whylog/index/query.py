"""Search queries: `type:"bug fix" since:2026-01 pool exhaustion` into a typed `Query`.

Grammar, left to right: `field:value` or `field:"two words"` filters; `confidence<80` (also <=, >, >=,
=); `"a phrase"`; `prefix*`; `AND`, `OR`, `NOT`, `-term` and parentheses. Words joined by `-`, `.` or `/`
(`INC-2024-001`, `post-mortem`, `src/auth.py`) are one term, matched as a phrase. A query without operators
is a plain question: stop words are dropped and the remaining terms are OR-ed, so records that match most
terms rank first (stemming comes from the index's Porter tokenizer: "crashed" finds "crash"). In a plain
question a word or words in SHORT_FORMS also match the other forms of their group ("k8s" finds "Kubernetes",
"oom" finds "out of memory", "mongo" finds "MongoDB"), and another word of PREFIX_MIN letters or more (not
ending in s, ed or ing) also matches as a prefix ("elastic" finds "Elasticsearch") while it is rare. The
search plan decides how far a term is widened (whylog.index.search._widened). `version:1.2` keeps changelog
releases of version 1.2 and every 1.2.x (`version:unreleased` the Unreleased section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from whylog.model.bounds import YEARS, year_in_bounds
from whylog.model.errors import DateFilterError as DateFilterError  # the one error tree: model.errors
from whylog.model.errors import QueryError as QueryError

OPERATORS = ("AND", "OR", "NOT")
FIELDS = ("kind", "type", "tag", "severity", "status", "file", "since", "until", "open", "id", "version")
STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being below
    between both but by can could did do does doing done during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just last let like made make me
    more most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through time to too under
    until up us very was we were what when where which while who whom why will with would you your yours
    ever happened happen thing things anything something""".split()
)
# Forms engineers write for one thing; in a plain question each finds the others (singular or plural). Short
# forms that are also file extensions or folders (py, js, ts, docs) are left out: they would match every
# record naming such a file.
SHORT_FORMS: tuple[tuple[str, ...], ...] = (
    ("postgres", "postgresql"),
    ("mongo", "mongodb"),
    ("k8s", "kubernetes", "kube"),
    ("oom", "out of memory", "oomkilled"),
    ("db", "database"),
    ("auth", "authentication", "authn"),
    ("authz", "authorization"),
    ("config", "configuration", "cfg"),
    ("repo", "repository"),
    ("deps", "dependency"),
    ("perf", "performance"),
    ("env", "environment"),
    ("msg", "message"),
    ("prod", "production"),
    ("infra", "infrastructure"),
    ("impl", "implementation"),
    ("txn", "transaction"),
    ("async", "asynchronous"),
    ("pr", "pull request"),
    ("gc", "garbage collection"),
    ("lb", "load balancer"),
    ("cert", "certificate"),
)
_GROUP_OF = {form: group for group in SHORT_FORMS for form in group}
_MOST_WORDS = max(len(form.split()) for form in _GROUP_OF)
PREFIX_MIN = 5  # shorter words would bring in too many others as prefixes ("time" finds "timeout")
# Porter stems the prefix too, so an inflected word would widen from its shorter stem ("timed": "time*",
# "redis": "redi*" finds "redirect"); a prefix is for names and cut-off words, which rarely end so
INFLECTED = ("s", "ed", "ing")
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<cmp>confidence\s*(?:<=|>=|<|>|=)\s*[^\s()"]*) |
    (?P<field>[A-Za-z_]+):(?P<fvalue>"[^"]*"|[^\s()"]+) |
    (?P<phrase>"[^"]*") |
    (?P<open>\() | (?P<close>\)) |
    (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)
# a word; joined by - ' . or / it stays one term, searched as a phrase: INC-2024-001, post-mortem, auth.py
_WORD = re.compile(r"\w+(?:[-'’./]\w+)*\*?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Filter:
    name: str  # one of FIELDS, or "confidence"
    op: str  # "=", "<", "<=", ">", ">="
    value: str


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    match: str | None  # an FTS5 MATCH expression, or None for filters only
    terms: tuple[str, ...] = ()  # the words and phrases searched for, for planning and snippets
    filters: tuple[Filter, ...] = ()
    plain: bool = True  # no operators: rank by how many terms match
    errors: tuple[str, ...] = field(default=(), compare=False)
    # a plain question's terms, each as the FTS5 phrases that find it: as typed first, then its prefix and
    # its other forms; `match` ORs them all
    groups: tuple[tuple[str, ...], ...] = ()


def parse_query(text: str, today: date | None = None) -> Query:
    """A Query from user text; QueryError names the column of what could not be read."""
    parts: list[str] = []
    terms: list[str] = []
    quoted: set[int] = set()  # the parts given as "phrases": searched as written
    filters: list[Filter] = []
    plain = True
    depth = 0
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        match = _TOKEN.match(text, pos)
        column = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
        if match is None or match.end() == pos:
            raise QueryError(_unreadable(text, column - 1), text, column)
        pos = match.end()
        kind = match.lastgroup
        if kind == "cmp":
            filters.append(_comparison(match.group("cmp"), text, column))
        elif kind == "fvalue":
            filters.append(_field_filter(match.group("field"), match.group("fvalue"), text, column, today))
        elif kind == "phrase":
            phrase = match.group("phrase")[1:-1].strip()
            if phrase:
                quoted.add(len(parts))
                parts.append(_quote(phrase))
                terms.append(phrase)
        elif kind == "open":
            depth += 1
            plain = False
            parts.append("(")
        elif kind == "close":
            depth -= 1
            _close(parts, depth, text, column)
        else:
            plain = _word(match.group("word"), parts, terms, text, column) and plain
    if depth > 0:
        raise QueryError("'(' is never closed", text, text.rindex("(") + 1)
    return _finish(text, parts, terms, filters, plain, quoted)


def _close(parts: list[str], depth: int, text: str, column: int) -> None:
    if depth < 0:
        raise QueryError("')' without a matching '('", text, column)
    if not parts or parts[-1] == "(":
        raise QueryError("empty parentheses; expected a term inside", text, column)
    if parts[-1] in OPERATORS:
        raise QueryError(f"{parts[-1]} needs a term after it before ')'", text, column)
    parts.append(")")


def _unreadable(text: str, index: int) -> str:
    if text[index] == '"':
        return 'a quote that is never closed; expected a closing "'
    return f"cannot read {text[index : index + 10]!r}"


def _word(word: str, parts: list[str], terms: list[str], text: str, column: int) -> bool:
    """Add one bare word; returns False when it was an operator (so the query is not plain)."""
    if word in OPERATORS:
        _operator(word, parts, text, column)
        return False
    if word.startswith("-") and len(word) > 1:
        inner = _WORD.findall(word[1:])
        if inner:
            _operator("NOT", parts, text, column)
            parts.append(_quote_word(inner[0]))
            return False
    for token in _WORD.findall(word):
        parts.append(_quote_word(token))
        terms.append(token.rstrip("*"))
    if word.endswith(":") and word[:-1].isalpha() and word[:-1].lower() in FIELDS:
        raise QueryError(f"{word} needs a value, like {word}value", text, column)
    return True


def _operator(word: str, parts: list[str], text: str, column: int) -> None:
    """Add AND, OR or NOT where a term came before it. FTS5's NOT is binary (`a NOT b`), so `a AND NOT b`
    becomes `a NOT b`; `OR NOT` has no FTS5 form and is refused."""
    before = parts[-1] if parts else "("
    if before == "(":
        if word == "NOT":
            raise QueryError("NOT needs a term to keep before it, like `pool NOT redis`", text, column)
        raise QueryError(f"{word} needs a term before it", text, column)
    if before == "AND" and word == "NOT":
        parts[-1] = "NOT"
        return
    if before in OPERATORS:
        hint = "; use AND NOT, or NOT alone" if word == "NOT" else ""
        raise QueryError(f"{word} right after {before} needs a term between them{hint}", text, column)
    parts.append(word)


def _quote(phrase: str) -> str:
    return '"' + phrase.replace('"', "") + '"'


def _quote_word(token: str) -> str:
    if token.endswith("*"):
        return _quote(token[:-1]) + "*"
    return _quote(token)


def _comparison(token: str, text: str, column: int) -> Filter:
    found = re.match(r"confidence\s*(<=|>=|<|>|=)\s*(.*)", token)
    assert found is not None
    op, value = found.group(1), found.group(2)
    if not re.fullmatch(r"\d{1,3}", value) or int(value) > 100:
        shown = f"{value!r} is not" if value else "nothing is"
        raise QueryError(f"confidence{op}: {shown} a number from 0 to 100, like confidence{op}80", text, column)
    return Filter("confidence", op, value)


def _field_filter(name: str, raw: str, text: str, column: int, today: date | None) -> Filter:
    key = name.lower()
    value = raw[1:-1] if raw.startswith('"') else raw
    if key not in FIELDS:
        raise QueryError(f"unknown field {name!r}; expected one of {', '.join(FIELDS)}", text, column)
    if key in ("since", "until"):
        value = _date_value(value, text, column + len(name) + 1, today)
    if key == "version":
        value = release_version(value, text, column)
    if key == "open" and value.lower() not in ("true", "false", "yes", "no", "1", "0"):
        raise QueryError(f"open:{value} should be open:true or open:false", text, column)
    return Filter(key, "=", value)


def release_version(value: str, text: str, column: int) -> str:
    """`version:1.2` (or `v1.2`, `unreleased`): the version, without a leading v, lower-cased."""
    if value[:1] in "vV" and value[1:2].isdigit():
        value = value[1:]
    if not re.fullmatch(r"\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.+-]+)?|unreleased", value, re.IGNORECASE):
        raise QueryError(f"version:{value} is not a version; expected numbers with dots like version:1.2", text, column)
    return value.lower()


def _date_value(value: str, text: str, column: int, today: date | None) -> str:
    try:
        return read_date_filter(value, today)
    except DateFilterError as exc:
        raise QueryError(exc.message, text, column) from None


DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, or a span back from today such as 30d, 2w, 6m, 1y"
_RELATIVE_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def read_date_filter(value: str, today: date | None = None) -> str:
    """The one reading of a since/until value, for `search`'s filters and `list --since/--until` alike:
    `2026`, `2026-03`, `2026-03-19` (a real day) or a span back from today (`30d`, `2w`, `6m`, `1y`), as the
    ISO prefix records' dates are compared with. DateFilterError for anything else."""
    relative = re.fullmatch(r"(\d{1,6})([dwmy])", value)
    if relative:
        days = int(relative.group(1)) * _RELATIVE_DAYS[relative.group(2)]
        try:
            day = (today or datetime.now(UTC).date()) - timedelta(days=days)
        except OverflowError:
            raise DateFilterError(f"{value!r} reaches back before the year 1; expected {DATE_FORMS}") from None
        return day.isoformat()
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if found:
        year, month, day_of_month = found.groups()
        try:
            date(int(year), int(month or 1), int(day_of_month or 1))
        except ValueError:
            raise DateFilterError(f"{value!r} is not a real date; expected {DATE_FORMS}") from None
        if not year_in_bounds(int(year)):
            raise DateFilterError(f"{value!r} is not a year from {YEARS}; expected {DATE_FORMS}")
        return value
    raise DateFilterError(f"{value!r} is not a date; expected {DATE_FORMS}")


def _finish(
    text: str, parts: list[str], terms: list[str], filters: list[Filter], plain: bool, quoted: set[int]
) -> Query:
    if plain:
        bare = [
            n not in quoted and part == _quote(term) and re.fullmatch(r"\w+", term) is not None
            for n, (part, term) in enumerate(zip(parts, terms, strict=True))
        ]
        found = _question_groups(parts, terms, bare)
        if not found:  # a question made only of stop words still searches for them
            found = [(term, (part,)) for part, term in zip(parts, terms, strict=True)]
        groups = tuple(dict.fromkeys(group for _, group in found))
        match = " OR ".join(any_of(group) for group in groups) or None
        searched = tuple(dict.fromkeys(term for term, _ in found))
        return Query(text, match, searched, tuple(filters), True, groups=groups)
    if parts and parts[0] == "NOT":
        raise QueryError("a query cannot start with NOT; give a term to keep first", text, 1)
    if parts and parts[-1] in ("AND", "OR", "NOT"):
        raise QueryError(f"{parts[-1]} at the end needs a term after it", text, len(text))
    return Query(text, " ".join(_explicit_and(parts)) or None, tuple(terms), tuple(filters), False)


def _explicit_and(parts: list[str]) -> list[str]:
    """FTS5 reads `a b` as AND but not `(a) b` or `a (b)`: write every implicit AND out."""
    out: list[str] = []
    for part in parts:
        if out and out[-1] not in (*OPERATORS, "(") and part not in (*OPERATORS, ")"):
            out.append("AND")
        out.append(part)
    return out


def _question_groups(parts: list[str], terms: list[str], bare: list[bool]) -> list[tuple[str, tuple[str, ...]]]:
    """The searched terms of a plain question (stop words dropped), each with the FTS5 phrases that find
    it. Bare words (not quoted, not a prefix, not joined by - . /) that together make a form in SHORT_FORMS
    ("out of memory") are one term."""
    found = []
    at = 0
    while at < len(parts):
        for size in range(min(_MOST_WORDS, len(parts) - at), 1, -1):
            words = terms[at : at + size]
            group = _short_forms(" ".join(words)) if all(bare[at : at + size]) else ()
            if group:
                phrase = " ".join(words)
                found.append((phrase, (_quote(phrase), *(_quote(form) for form in group))))
                at += size
                break
        else:
            part, term = parts[at], terms[at]
            if term.lower() not in STOP_WORDS:
                found.append((term, _word_phrases(part, term) if bare[at] else (part,)))
            at += 1
    return found


def _word_phrases(part: str, term: str) -> tuple[str, ...]:
    """A bare word as typed, then its other forms in SHORT_FORMS or, for a word of PREFIX_MIN letters or
    more that has none and is not INFLECTED, the word as a prefix (a short form gets no prefix: "repo*"
    would find "report")."""
    forms = _short_forms(term)
    if forms:
        return (part, *(_quote(form) for form in forms))
    if term.isalpha() and len(term) >= PREFIX_MIN and not term.lower().endswith(INFLECTED):
        return (part, part + "*")
    return (part,)


def _short_forms(text: str) -> tuple[str, ...]:
    """The other forms of `text`'s group in SHORT_FORMS (also for a plural: "repos", "dependencies")."""
    lower = text.lower()
    for key in (lower, lower[:-1] if lower.endswith("s") else "", lower[:-3] + "y" if lower.endswith("ies") else ""):
        if key in _GROUP_OF:
            return tuple(form for form in _GROUP_OF[key] if form != key)
    return ()


def any_of(group: tuple[str, ...]) -> str:
    """The FTS5 expression matching any phrase of `group` (one of a question's `groups`)."""
    return group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")"
