"""Record fields from command-line text, for `whylog add KIND --field value` (people) and its help.

Each field of a kind's dataclass becomes one option; values are read with the same parsers the Markdown
readers use, so `--confidence "90% - load tested"` means what `**Confidence:** 90% - load tested` means.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from typing import Any, get_args, get_origin, get_type_hints

from whylog.markdown.readers.changelog import VERSION
from whylog.markdown.values import read_file_ref, read_fraction, read_mark, read_percent
from whylog.model import (
    ENTRY_TYPES,
    FIELDS_BY_KIND,
    ActionItem,
    CheckItem,
    Confidence,
    EntryFields,
    EnvironmentItem,
    FeatureCount,
    FileRef,
    KnownIssue,
    Link,
    Readiness,
    Record,
    ReleaseFields,
    Risk,
    StorySection,
    TimelineEvent,
    ValidationError,
    VerificationCheck,
    from_json,
)
from whylog.model.errors import WriteError

_FIELD_HELP = {
    "type": "One of: " + ", ".join(ENTRY_TYPES) + ".",
    "actions": "What was done, one step per option (repeatable).",
    "severity": "Critical, High, Medium or Low (or SEV1-4, P0-P3 as the team writes it).",
    "level": "An incident's severity in one word: critical, high, medium or low (read from --severity).",
    "minutes_to_detect": "Minutes from the incident's start to its detection (read from --timeline's times).",
    "minutes_to_resolve": "Minutes from the incident's start to its resolution (read from --timeline's times).",
    "original": "For a translated twin: the id of the incident in the original file.",
    "language": "For a translated twin: its language, from its file name (ru for INCIDENTS.ru.md).",
    "status": "Decision status as written (Proposed, Accepted, Akzeptiert, ...) or session status.",
    "state": "A decision's status in one word: proposed, accepted, rejected, deprecated or superseded "
    "(read from --status when given).",
    "drivers": "A decision driver, one per option (repeatable).",
    "options": "A considered option, one per option (repeatable; listed as the alternatives when those are not given).",
    "good": "A good consequence, one per option (repeatable).",
    "bad": "A bad consequence, one per option (repeatable).",
    "supersedes": "The id of a decision this one supersedes, e.g. ADR-002 (repeatable).",
    "superseded_by": "The id of the decision that supersedes this one (repeatable).",
    "changes": 'A release\'s change: "Added=text", "Fixed=text" (repeatable).',
    "version": "The release's version, like 1.2.0 (without one, the --changes go under [Unreleased]).",
    "compare": "The release's compare link (a URL).",
    "issues": "Issue numbers such as #12 (read from the changes when written).",
}
_PATH_LINES = re.compile(r"^(.+?):(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)$")


@dataclasses.dataclass(frozen=True, slots=True)
class FieldOption:
    name: str  # the dataclass field
    flag: str  # --like-this
    multiple: bool
    kind: str  # text, integer, flag
    help: str


def _element_type(hint: Any) -> Any:
    args = [a for a in get_args(hint) if a is not type(None)]
    return args[0] if get_origin(hint) in (typing.Union, types.UnionType) else hint


_HELP = {
    CheckItem: '"[x] text" or "[ ] text"',
    ActionItem: '"[x] text" or "[ ] text"',
    Confidence: '"90% - reason"',
    TimelineEvent: '"20:15 UTC: what happened"',
    FeatureCount: '"14/679"',
    Readiness: '"30/70" (percent ready before/after)',
    Risk: '"Risk: text" or "Blocker: text"',
    StorySection: '"The Problem: text"',
    VerificationCheck: '"text", or "❌ text" for a failed check',
    KnownIssue: '"text", or "[x] text" when resolved',
    EnvironmentItem: '"name - detail", or "⚠️ name - detail" when not ok',
}


def field_options(kind: str) -> list[FieldOption]:
    cls = FIELDS_BY_KIND[kind]
    hints = get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        hint = _element_type(hints[f.name])
        origin = get_origin(hint)
        multiple = origin in (tuple, dict)
        inner = get_args(hint)[0] if origin is tuple else hint
        if origin is dict:
            kind_, help_ = "text", '"label=value", repeatable'
        elif inner is bool:
            kind_, help_ = "flag", ""
        elif inner is int:
            kind_, help_ = "integer", ""
        else:
            kind_, help_ = "text", _HELP.get(inner, "")
        if multiple and origin is tuple:
            help_ = (help_ + ", repeatable").lstrip(", ")
        help_ = _FIELD_HELP.get(f.name, help_)
        out.append(FieldOption(f.name, "--" + f.name.replace("_", "-"), multiple, kind_, help_))
    return out


def fields_from_options(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for the kind's fields dataclass from option values (unset options skipped)."""
    cls = FIELDS_BY_KIND[kind]
    hints = get_type_hints(cls)
    out: dict[str, Any] = {}
    for option in field_options(kind):
        value = values.get(option.name)
        if value is None or value == ():
            continue
        hint = _element_type(hints[option.name])
        origin = get_origin(hint)
        if origin is dict and get_origin(get_args(hint)[1]) is tuple:  # a release's changes: Type=item, repeated
            grouped: dict[str, tuple[str, ...]] = {}
            for label, text in (_label_value(option.flag, v) for v in value):
                grouped[label] = (*grouped.get(label, ()), text)
            out[option.name] = grouped
        elif origin is dict:
            out[option.name] = dict(_label_value(option.flag, v) for v in value)
        elif origin is tuple:
            out[option.name] = tuple(_from_text(get_args(hint)[0], v, option.flag) for v in value)
        else:
            out[option.name] = _from_text(hint, value, option.flag)
    return out


def _label_value(flag: str, text: str) -> tuple[str, str]:
    label, sep, value = text.partition("=")
    if not sep:
        raise ValidationError(flag, f"expected label=value, got {text!r}")
    return label.strip(), value.strip()


def _from_text(cls: Any, text: Any, flag: str) -> Any:
    if cls in (str, int, bool) or not isinstance(text, str):
        return text
    if cls is CheckItem or cls is KnownIssue or cls is ActionItem:
        done, _, rest = read_mark(text)
        return cls(rest, bool(done))
    if cls is Confidence:
        found = read_percent(text)
        if found is None or not 0 <= found[0] <= 100:
            raise ValidationError(flag, f'expected a percentage from 0 to 100 like "90% - reason", got {text!r}')
        return Confidence(found[0], found[1])
    if cls is TimelineEvent:
        time, sep, event = text.partition(": ")
        return TimelineEvent(time.strip(), event.strip()) if sep else TimelineEvent("", text)
    if cls is FeatureCount or cls is Readiness:
        pair = read_fraction(text)
        if pair is None:
            raise ValidationError(flag, f'expected two numbers like "14/679", got {text!r}')
        return cls(*pair)
    if cls is Risk:
        kind, sep, rest = text.partition(":")
        if not sep or kind.strip() not in ("Risk", "Blocker"):
            raise ValidationError(flag, f'expected "Risk: text" or "Blocker: text", got {text!r}')
        return Risk(kind.strip(), rest.strip())  # type: ignore[arg-type]
    if cls is StorySection:
        label, sep, rest = text.partition(":")
        if not sep:
            raise ValidationError(flag, f'expected "Label: text", got {text!r}')
        return StorySection(label.strip(), rest.strip())
    if cls is VerificationCheck or cls is EnvironmentItem:
        done, _, rest = read_mark(text)
        ok = done is not False
        if cls is VerificationCheck:
            return VerificationCheck(rest, ok)
        name, _, detail = rest.partition(" - ")
        return EnvironmentItem(name.strip(), ok, detail.strip())
    raise ValidationError(flag, "this field takes structured values; pass the record with --json -")


# The parts of the entry template git cannot know, by field, with their label in the template.
_ENTRY_BLANKS = {
    "observation": "Observation",
    "hypothesis": "Hypothesis",
    "actions": "Action",
    "result": "Result",
    "confidence": "Confidence",
}


def unfilled(record: Record) -> list[tuple[str, str]]:
    """The template labels an entry leaves empty, with the option that fills each (an entry written from
    git alone has only its files, title and type): what the person or agent still has to fill in."""
    if not isinstance(record.fields, EntryFields):
        return []
    blanks = _ENTRY_BLANKS.items()
    return [(label, "--" + name) for name, label in blanks if not getattr(record.fields, name)]


def file_from_text(text: str) -> FileRef:
    """`src/a.py:10-20,30` or the template's `` `src/a.py` (lines 10-20) `` / `(new file)` forms."""
    match = _PATH_LINES.match(text.strip())
    if match is not None:
        ref = read_file_ref(f"`{match.group(1)}` (lines {match.group(2)})")
    else:
        ref = read_file_ref(text if "`" in text or "(" in text else f"`{text.strip()}`")
    if ref is None:
        raise ValidationError("--file", f"expected a path like src/app.py:10-20, got {text!r}")
    return ref


def record_from_input(
    kind: str, values: dict[str, Any], defaults: dict[str, Any] | None = None, *, envelope: Any = None
) -> Record:
    """A record from `add` options, over the JSON envelope given with --json (or already decoded, as
    `envelope`: what MCP's add_record receives), over `defaults` (an envelope such as the one `--from-git`
    reads from git): options win, then the JSON's keys and fields. Raises WriteError naming the field."""
    base: dict[str, Any] = {"kind": kind, "fields": {}}
    handle = values.get("json_input")
    if handle is not None:
        base = _read_envelope(handle, kind)
    elif envelope is not None:
        base = _envelope(envelope, kind, "")
    if defaults:
        theirs = base.get("fields", {})
        fields = {**defaults.get("fields", {}), **theirs} if isinstance(theirs, dict) else theirs
        base = {**defaults, **base, "fields": fields}
    base.pop("id", None)
    base.pop("source", None)
    try:
        record = from_json(base)
        fields = fields_from_options(kind, values)
        files = tuple(file_from_text(f) for f in values.get("files") or ())
    except ValidationError as exc:
        raise WriteError(exc.detail, _where(handle, exc.path)) from None
    changes: dict[str, Any] = {}
    if values.get("title"):
        changes["title"] = values["title"]
    if values.get("date"):
        changes["date"] = _date(values["date"])
    for key, name in (("tag", "tags"), ("link", "links")):
        if values.get(key):
            items = values[key] if key == "tag" else tuple(Link(t, None) for t in values[key])
            changes[name] = tuple(items)
    if files:
        changes["files"] = files
    if fields:
        current: Any = record.fields
        changes["fields"] = dataclasses.replace(current, **fields)
    record = dataclasses.replace(record, **changes)
    _check(record, handle)
    return record


def _where(handle: Any, path: str) -> str:
    name = getattr(handle, "name", "") if handle is not None else ""
    source = "<stdin>" if name in ("<stdin>", "-", "") and handle is not None else name
    return f"{source} {path}".strip() if source else path


def _read_envelope(handle: Any, kind: str) -> dict[str, Any]:
    import json

    name = "<stdin>" if getattr(handle, "name", "-") in ("<stdin>", "-") else handle.name
    try:
        data = json.loads(handle.read())
    except json.JSONDecodeError as exc:
        raise WriteError(f"not valid JSON: {exc.msg} (column {exc.colno})", name, exc.lineno) from None
    except UnicodeDecodeError:
        raise WriteError("not UTF-8 text; expected a JSON object", name) from None
    return _envelope(data, kind, name)


def _envelope(data: Any, kind: str, name: str) -> dict[str, Any]:
    from whylog.model.bounds import control_character, iter_strings

    if not isinstance(data, dict):
        raise WriteError("expected a JSON object with the record envelope", name)
    for where, text in iter_strings(data):
        found = control_character(text)
        if found is not None:
            raise WriteError(f"{where} holds control character {found}; text may hold tab and newline only", name)
    if data.get("kind", kind) != kind:
        raise WriteError(f"kind is {data.get('kind')!r} but the command adds {kind!r}", name)
    return {**data, "kind": kind, "fields": data.get("fields", {})}


def _date(text: str, name: str = "--date", where: str = "") -> str:
    from whylog.markdown.values import read_date
    from whylog.model.bounds import YEARS

    date = read_date(text)
    if date is None:
        raise WriteError(
            f"{name} {text!r} is not a date; expected YYYY-MM-DD or YYYY-MM-DD HH:MM UTC, a year from {YEARS}",
            where,
        )
    return date


def _check_release(record: Record, where: str) -> None:
    """A release is named by its version (its title is then only an optional name), or by its title and
    date, or it is the Unreleased section."""
    assert isinstance(record.fields, ReleaseFields)
    if "\n" in record.title:
        raise WriteError("a release's --title is one line", where)
    version = record.fields.version
    if version and not re.fullmatch(VERSION, version):
        raise WriteError(
            f"release version {version!r} (--version, or fields.version in JSON) is not a version; "
            "expected numbers with dots, like 1.2.0",
            where,
        )
    if not version and not record.title.strip() and not any(record.fields.changes.values()):
        raise WriteError(
            'a release needs a --version (or "fields.version" in the JSON), a --title, or --changes to add '
            "under [Unreleased]",
            where,
        )
    for label, items in record.fields.changes.items():
        if "\n" in label or any(not item.strip() for item in items):
            raise WriteError(f"--changes {label!r}: a change type is one line and each item has text", where)


def _check(record: Record, handle: Any) -> None:
    where = _where(handle, "")
    if isinstance(record.fields, ReleaseFields):
        _check_release(record, where)
    elif not record.title.strip() or "\n" in record.title:
        raise WriteError('a record needs a one-line --title (or "title" in the JSON)', where)
    if record.date:
        _date(record.date, "date", where)
    if isinstance(record.fields, EntryFields) and record.fields.type not in ENTRY_TYPES:
        raise WriteError(
            f"entry type {record.fields.type!r} (--type, or fields.type in JSON); "
            f"expected one of {', '.join(ENTRY_TYPES)}",
            where,
        )
