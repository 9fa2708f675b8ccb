"""The record kinds: frozen dataclasses and the JSON envelope.

Every record shares the envelope (`id`, `kind`, `title`, `date`, `tags`, `files`, `links`, `source`,
`fields`); `fields` holds one dataclass per kind. `to_json` and `from_json` convert both ways, and
`from_json` checks types, naming the field path of the first value that does not fit.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from whylog.model.errors import ValidationError as ValidationError  # the one error tree lives in model.errors

KINDS = ("entry", "incident", "decision", "change", "session", "story", "context", "feature", "release")
Kind = Literal["entry", "incident", "decision", "change", "session", "story", "context", "feature", "release"]
ENTRY_TYPES = (
    "Implementation",
    "Bug Fix",
    "Architecture Change",
    "Configuration",
    "Documentation",
    "Incident",
)
BLOCKER_STATUSES = ("RESOLVED", "PARTIAL", "ALREADY RESOLVED", "NOT STARTED")
DONE_STATUSES = ("RESOLVED", "ALREADY RESOLVED")  # a blocker in one of these is resolved
Change = Literal["modified", "new", "deleted", "unchanged"]


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    source: Source
    hint: str = ""
    severity: Literal["error", "warning", "info"] = "warning"


def diagnostic_json(item: Diagnostic) -> dict[str, object]:
    """The one JSON shape of a diagnostic in every door (parse, lint, MCP): code, severity, message, path,
    line, column (findings are about lines: 1), hint."""
    return {
        "code": item.code,
        "severity": item.severity,
        "message": item.message,
        "path": item.source.path,
        "line": item.source.start_line,
        "column": 1,
        "hint": item.hint,
    }


@dataclass(frozen=True, slots=True)
class FileRef:
    path: str
    lines: tuple[tuple[int, int], ...] = ()
    change: Change = "modified"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    target: str | None = None


@dataclass(frozen=True, slots=True)
class CheckItem:
    text: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An incident's follow-up: a checkbox (`- [ ] text`) or a row of an action-item table, whose
    Owner, Status and Due columns fill `owner`, `state` (as written) and `due` (a date when it reads as
    one, else as written)."""

    text: str
    done: bool = False
    owner: str = ""
    state: str = ""
    due: str = ""


@dataclass(frozen=True, slots=True)
class Confidence:
    value: int | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    time: str
    event: str


@dataclass(frozen=True, slots=True)
class StorySection:
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class EntryFields:
    type: str = ""
    observation: str = ""
    hypothesis: str = ""
    actions: tuple[str, ...] = ()
    result: str = ""
    confidence: Confidence | None = None
    timeline: tuple[TimelineEvent, ...] = ()
    impact: str = ""
    prevention: tuple[CheckItem, ...] = ()
    sections: tuple[StorySection, ...] = ()  # every labelled part in order, as the file has it


@dataclass(frozen=True, slots=True)
class IncidentFields:
    severity: str = ""
    services: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    root_cause: tuple[str, ...] = ()
    resolution: tuple[str, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    sections: tuple[StorySection, ...] = ()  # every labelled part in order, as the file has it
    # `severity` is kept as written (`SEV2`, `P1`, `🟡 Medium`, `Alta`); `level` is its meaning in one
    # vocabulary: critical, high, medium, low, or "" when the word is none of them.
    level: str = ""
    status: str = ""  # as written: Resolved, Mitigated, closed, RESOLVED
    summary: str = ""
    impact: str = ""
    detection: str = ""
    timeline: tuple[TimelineEvent, ...] = ()
    contributing_factors: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    # From the timeline's first timed event to its first detection event and to its last resolution
    # event; None when the timeline does not give those times.
    minutes_to_detect: int | None = None
    minutes_to_resolve: int | None = None
    # A translated twin (INCIDENTS.ru.md beside INCIDENTS.md): its language from the file name, and the
    # id of the same incident in the original, which the twin's record id extends (`INC-7.ru`).
    language: str = ""
    original: str = ""


@dataclass(frozen=True, slots=True)
class DecisionFields:
    number: int = 0
    status: str = ""
    summary: str = ""
    deciders: str = ""
    context: str = ""
    decision: str = ""
    consequences: str = ""
    alternatives: str = ""
    sections: tuple[StorySection, ...] = ()  # every labelled part in order, as the file has it
    # `status` is kept as written (`Akzeptiert`, `Superseded by ADR-021`); `state` is its meaning in one
    # vocabulary: proposed, accepted, rejected, deprecated, superseded, or "" when the word is none of them.
    state: str = ""
    drivers: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    good: tuple[str, ...] = ()  # consequences: `Good, because ...`, or the items under Positive
    bad: tuple[str, ...] = ()
    confirmation: str = ""
    supersedes: tuple[str, ...] = ()  # record ids
    superseded_by: tuple[str, ...] = ()
    rationale: str = ""  # why (a decision log's Rationale, Обоснование, 原因); MADR's say it in `decision`


@dataclass(frozen=True, slots=True)
class BlockerItem:
    number: int
    title: str
    status: str = ""
    note: str = ""
    files: tuple[FileRef, ...] = ()
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def resolved(self) -> bool:
        return self.status in DONE_STATUSES


@dataclass(frozen=True, slots=True)
class TestRun:
    name: str
    command: str = ""
    results: str = ""


@dataclass(frozen=True, slots=True)
class Readiness:
    before: int | None = None
    after: int | None = None


@dataclass(frozen=True, slots=True)
class ChangeFields:
    author: str = ""
    summary: str = ""
    items: tuple[BlockerItem, ...] = ()
    testing: tuple[TestRun, ...] = ()
    readiness: Readiness | None = None
    next_steps: str = ""
    sections: tuple[StorySection, ...] = ()  # every labelled part in order, as the file has it
    # A change note's own status word as written (`Done`, `✅ 完成`, front matter `status: unreleased`), and
    # its checklist items (`- [x] ...`, a tasks.md), in order.
    status: str = ""
    tasks: tuple[CheckItem, ...] = ()


@dataclass(frozen=True, slots=True)
class VerificationCheck:
    text: str
    passed: bool = True


@dataclass(frozen=True, slots=True)
class KnownIssue:
    text: str
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class EnvironmentItem:
    name: str
    ok: bool = True
    detail: str = ""


@dataclass(frozen=True, slots=True)
class FeatureCount:
    passing: int
    total: int


@dataclass(frozen=True, slots=True)
class SessionFields:
    project: str = ""
    number: int = 0
    role: str = ""
    status: str = ""
    accomplishments: tuple[str, ...] = ()
    verification: tuple[VerificationCheck, ...] = ()
    next: str = ""
    known_issues: tuple[KnownIssue, ...] = ()
    environment: tuple[EnvironmentItem, ...] = ()
    features: FeatureCount | None = None
    lessons: str = ""
    commands: tuple[str, ...] = ()  # commands for the next session: a record of setup, never run as checks
    verification_commands: tuple[str, ...] = ()  # code blocks in the verification section: checks
    sections: tuple[StorySection, ...] = ()  # every labelled part in order, as the file has it


@dataclass(frozen=True, slots=True)
class StoryFields:
    sections: tuple[StorySection, ...] = ()
    shipped: str = ""


@dataclass(frozen=True, slots=True)
class Risk:
    kind: Literal["Risk", "Blocker"]
    text: str


TaskState = Literal["done", "open", "in_progress", "blocked", "dropped"]


@dataclass(frozen=True, slots=True)
class TaskItem:
    """A checklist item of a memory bank's progress or tasks file (or any context): its text, its state in
    one vocabulary (from its mark, `[x]`, `[-]`, `✅`, `🚧`, or the section it sits in: What Works is done,
    What's Left is open) and that section's heading as written (`Known Issues`)."""

    text: str
    state: TaskState = "open"
    section: str = ""


@dataclass(frozen=True, slots=True)
class ContextFields:
    updated: str = ""
    state: dict[str, str] = field(default_factory=dict)
    stack: dict[str, str] = field(default_factory=dict)
    standards: dict[str, str] = field(default_factory=dict)
    constraints: dict[str, str] = field(default_factory=dict)
    objectives: tuple[CheckItem, ...] = ()
    risks: tuple[Risk, ...] = ()
    entry_points: dict[str, str] = field(default_factory=dict)
    # A memory bank's context files (activeContext.md, productContext.md, ...): every section in order, and
    # the checklist items of the file with their states.
    sections: tuple[StorySection, ...] = ()
    tasks: tuple[TaskItem, ...] = ()


@dataclass(frozen=True, slots=True)
class FeatureFields:
    category: str = ""
    description: str = ""
    steps: tuple[str, ...] = ()
    passes: bool = False
    # What harnesses write beside the seed's keys: `status` as written (`ready_for_qa`; `passes` is read from
    # it when the item has no `passes`), `priority`, the `verification` list and `notes` (and `evidence`).
    status: str = ""
    priority: str = ""
    verification: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ReleaseFields:
    """One version section of a changelog. `changes` maps each change-type heading as written (Added,
    Fixed, Bug Fixes, Patch Changes, ...) to its items in order; items above any such heading are under
    "". `compare` is the release's link (a compare view, a tag page); `issues` the issue and pull-request
    numbers its items name (`#123`), in order of first mention."""

    version: str = ""
    yanked: bool = False
    changes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    compare: str = ""
    issues: tuple[str, ...] = ()


Fields = (
    EntryFields
    | IncidentFields
    | DecisionFields
    | ChangeFields
    | SessionFields
    | StoryFields
    | ContextFields
    | FeatureFields
    | ReleaseFields
)

FIELDS_BY_KIND: dict[str, type[Any]] = {
    "entry": EntryFields,
    "incident": IncidentFields,
    "decision": DecisionFields,
    "change": ChangeFields,
    "session": SessionFields,
    "story": StoryFields,
    "context": ContextFields,
    "feature": FeatureFields,
    "release": ReleaseFields,
}


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    kind: Kind
    title: str
    date: str
    fields: Fields
    tags: tuple[str, ...] = ()
    files: tuple[FileRef, ...] = ()
    links: tuple[Link, ...] = ()
    source: Source | None = None

    def without_source(self) -> Record:
        return dataclasses.replace(self, source=None)


def open_items(record: Record) -> list[tuple[str, str]]:
    """What a record leaves open, as (what, text): a context's unchecked objectives, its risks and
    blockers and its open tasks, an incident's open action items, an entry's open prevention items, a
    change's unresolved blockers, a session's unresolved known issues. `search open:` and `status` count
    the same things."""
    fields = record.fields
    if isinstance(fields, ContextFields):
        return (
            [("objective", o.text) for o in fields.objectives if not o.done]
            + [(r.kind.lower(), r.text) for r in fields.risks]
            + [("task", t.text) for t in fields.tasks if t.state in ("open", "in_progress", "blocked")]
        )
    if isinstance(fields, IncidentFields):
        return [("action-item", a.text) for a in fields.action_items if not a.done]
    if isinstance(fields, EntryFields):
        return [("prevention", p.text) for p in fields.prevention if not p.done]
    if isinstance(fields, ChangeFields):
        return [("blocker", i.title) for i in fields.items if not i.resolved] + [
            ("task", t.text) for t in fields.tasks if not t.done
        ]
    if isinstance(fields, SessionFields):
        return [("known-issue", k.text) for k in fields.known_issues if not k.resolved]
    return []


def refs_of(record: Record) -> list[FileRef]:
    """The files a record names, with every change item's own files (the record keeps one per path)."""
    refs = list(record.files)
    if isinstance(record.fields, ChangeFields):
        refs += [ref for item in record.fields.items for ref in item.files]
    return list(dict.fromkeys(refs))


ENVELOPE_KEYS = ("id", "kind", "title", "date", "tags", "files", "links", "source", "fields")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, bool, float, type(None))


def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, cached: exporting 100,000 records asks this millions of times."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def to_json(value: Any) -> Any:
    """A dataclass tree as plain JSON values; the envelope keys come in their documented order. Plain
    values are taken where they are met rather than by a call each: indexing 100,000 records makes
    millions of them."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [item if type(item) in _PLAIN else to_json(item) for item in value]
    if kind is dict:
        return {str(k): v if type(v) in _PLAIN else to_json(v) for k, v in value.items()}
    names: tuple[str, ...]
    if kind is Record:
        names = ENVELOPE_KEYS
    elif hasattr(kind, "__dataclass_fields__"):
        names = field_names(kind)
    else:
        return value
    return {name: v if type(v) in _PLAIN else to_json(v) for name in names for v in (getattr(value, name),)}


def _fields_of(value: Any) -> dict[str, Any]:
    kind = type(value)
    if kind is Record:
        return {key: getattr(value, key) for key in ENVELOPE_KEYS}
    if hasattr(kind, "__dataclass_fields__"):
        return {name: getattr(value, name) for name in field_names(kind)}
    raise TypeError(f"{kind.__name__} is not a record part")


_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False, default=_fields_of)  # records are trees


def to_json_text(value: Any) -> str:
    """`json.dumps(to_json(value), ensure_ascii=False)`, in one pass: the encoder walks strings, lists and
    dicts itself and asks for a dataclass's fields only (the index stores 100,000 envelopes this way)."""
    return _ENCODER.encode(value)


def _type_name(value: Any) -> str:
    names = {str: "string", int: "integer", bool: "boolean", float: "number", list: "array"}
    names.update({dict: "object", type(None): "null"})
    return names.get(type(value), type(value).__name__)


def _convert(value: Any, hint: Any, path: str) -> Any:
    if hint is str and type(value) is str:  # the common case first: decoding envelopes is hot
        return value
    shape = _SHAPES.get(hint)
    if shape is None:
        shape = _SHAPES[hint] = (get_origin(hint), get_args(hint))
    origin = shape[0]
    if hint is Any:
        return value
    if origin in (Union, types.UnionType):
        options = shape[1]
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            return _convert(value, option, path)
    if origin is Literal:
        if value not in shape[1]:
            allowed = ", ".join(repr(a) for a in shape[1])
            raise ValidationError(path, f"expected one of {allowed}, got {value!r}")
        return value
    if origin is tuple:
        args = shape[1]
        if isinstance(value, str) and args == (str, Ellipsis):
            return (value,) if value.strip() else ()  # one paragraph, as a person or agent writes it
        if not isinstance(value, list):
            raise ValidationError(path, f"expected an array, got {_type_name(value)}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(v, args[0], f"{path}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise ValidationError(path, f"expected an array of {len(args)} values")
        return tuple(_convert(v, a, f"{path}[{i}]") for i, (v, a) in enumerate(zip(value, args, strict=False)))
    if origin is dict:
        if not isinstance(value, dict):
            raise ValidationError(path, f"expected an object, got {_type_name(value)}")
        _, value_hint = shape[1]
        return {str(k): _convert(v, value_hint, f"{path}.{k}") for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_from_json(value, hint, path)
    if hint is bool:
        if not isinstance(value, bool):
            raise ValidationError(path, f"expected a boolean, got {_type_name(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(path, f"expected an integer, got {_type_name(value)}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ValidationError(path, f"expected a string, got {_type_name(value)}")
        return value
    raise ValidationError(path, f"unsupported type {hint!r}")


def _dataclass_from_json(value: Any, cls: type[Any], path: str) -> Any:
    if not isinstance(value, dict):
        raise ValidationError(path, f"expected an object, got {_type_name(value)}")
    hints = type_hints(cls)
    if cls not in _FIELDS:
        _FIELDS[cls] = dataclasses.fields(cls)
    names = {f.name for f in _FIELDS[cls]}
    unknown = sorted(set(value) - names)
    if unknown:
        where = f"{path}.{unknown[0]}" if path else unknown[0]
        raise ValidationError(where, f"unknown field; expected one of {', '.join(sorted(names))}")
    kwargs: dict[str, Any] = {}
    for f in _FIELDS[cls]:
        sub = f"{path}.{f.name}" if path else f.name
        if f.name in value:
            kwargs[f.name] = _convert(value[f.name], hints[f.name], sub)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ValidationError(sub, "required field is missing")
    return cls(**kwargs)


_HINTS: dict[type, dict[str, Any]] = {}
_FIELDS: dict[type, tuple[dataclasses.Field[Any], ...]] = {}
_SHAPES: dict[Any, tuple[Any, tuple[Any, ...]]] = {}


def type_hints(cls: type) -> dict[str, Any]:
    """`get_type_hints`, once per class: resolving the annotations dominated decoding envelopes."""
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def fields_from_json(kind: str, value: Any) -> Fields:
    cls = FIELDS_BY_KIND.get(kind)
    if cls is None:
        raise ValidationError("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    return typing.cast(Fields, _dataclass_from_json(value, cls, "fields"))


def from_stored(value: dict[str, Any]) -> Record:
    """A record from an envelope whylog wrote itself (the index's): `from_json` without its checks, by
    decoders built once per type. Reading 1,000 stored envelopes this way takes a fraction of the time the
    checked path does; input from people and agents goes through `from_json`."""
    kind = value["kind"]
    kwargs = {key: _decoder(hint)(value[key]) for key, hint in _record_hints() if key in value}
    kwargs["fields"] = _decoder(FIELDS_BY_KIND[kind])(value.get("fields", {}))
    return Record(**kwargs)


def _same(value: Any) -> Any:
    return value


_DECODERS: dict[Any, Any] = {}


def _record_hints() -> list[tuple[str, Any]]:
    hints = type_hints(Record)
    return [(key, hints[key]) for key in ENVELOPE_KEYS if key != "fields"]


def _decoder(hint: Any) -> Any:
    found = _DECODERS.get(hint)
    if found is None:
        found = _DECODERS[hint] = _make_decoder(hint)
    return found


def _make_decoder(hint: Any) -> Any:
    """A function from the JSON value of `hint` to its Python value, assuming the value fits the hint."""
    if hint in (str, int, bool, float, Any):
        return _same
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        inner = _decoder(next(a for a in args if a is not type(None)))
        return _same if inner is _same else lambda v: None if v is None else inner(v)
    if origin is Literal:
        return _same
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return tuple if item is _same else lambda v: tuple(map(item, v))
    if origin is tuple:
        items = [_decoder(a) for a in args]
        return lambda v: tuple(decode(x) for decode, x in zip(items, v, strict=True))
    if origin is dict:
        item = _decoder(args[1])
        return dict if item is _same else lambda v: {k: item(x) for k, x in v.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = type_hints(hint)
        parts = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(hint)]
        return lambda v: hint(**{name: decode(v[name]) for name, decode in parts if name in v})
    raise TypeError(f"no decoder for {hint!r}")


def from_json(value: Any) -> Record:
    """A record from its JSON envelope; raises ValidationError naming the first bad field."""
    if not isinstance(value, dict):
        raise ValidationError("", f"expected a JSON object, got {_type_name(value)}")
    kind = value.get("kind")
    if kind not in KINDS:
        raise ValidationError("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    raw = dict(value)
    raw["fields"] = fields_from_json(kind, raw.get("fields", {}))
    hints = type_hints(Record)
    kwargs: dict[str, Any] = {"fields": raw.pop("fields")}
    unknown = sorted(set(raw) - set(ENVELOPE_KEYS))
    if unknown:
        raise ValidationError(unknown[0], f"unknown key; expected one of {', '.join(ENVELOPE_KEYS)}")
    for key in ENVELOPE_KEYS:
        if key == "fields" or key not in raw:
            continue
        kwargs[key] = _convert(raw[key], hints[key], key)
    for key in ("id", "title", "date"):
        kwargs.setdefault(key, "")
    return Record(**kwargs)
