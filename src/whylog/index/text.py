"""What the index stores for a record besides its envelope: the searchable body text and the filter
columns (type, severity, status, confidence, named paths)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whylog.model import (
    ChangeFields,
    DecisionFields,
    EntryFields,
    IncidentFields,
    Record,
    SessionFields,
    field_names,
)


@dataclass(frozen=True, slots=True)
class Row:
    location: tuple[str, int, int]
    type: str | None
    severity: str | None
    status: str | None
    confidence: int | None
    body: str
    paths: tuple[str, ...]


def _strings(value: Any, out: list[str]) -> list[str]:
    """Every string inside a dataclass tree, in field order (dict keys too: they are labels)."""
    kind = type(value)
    if kind is str:
        if value:
            out.append(value)
    elif kind is tuple or kind is list:
        for item in value:
            _strings(item, out)
    elif kind is dict:
        for key, item in value.items():
            out.append(key)
            _strings(item, out)
    elif hasattr(kind, "__dataclass_fields__"):
        for name in field_names(kind):
            _strings(getattr(value, name), out)
    return out


def record_row(record: Record) -> Row:
    fields = record.fields
    source = record.source
    location = (source.path, source.start_line, source.end_line) if source else ("", 0, 0)
    confidence = fields.confidence.value if isinstance(fields, EntryFields) and fields.confidence else None
    status = fields.status if isinstance(fields, (DecisionFields, SessionFields, IncidentFields)) else None
    if isinstance(fields, DecisionFields) and fields.state:
        status = fields.state  # `status:accepted` finds `Akzeptiert` and `Proposed | **Accepted**` alike
    if isinstance(fields, ChangeFields):
        status = fields.status or None
    paths = [f.path for f in record.files]
    if isinstance(fields, ChangeFields):
        paths += [f.path for item in fields.items for f in item.files]
    body = [record.id, *record.tags, *_strings(fields, []), *paths, *(f.note for f in record.files if f.note)]
    body += [link.text for link in record.links]
    return Row(
        location=location,
        type=fields.type if isinstance(fields, EntryFields) else None,
        # `severity:high` finds `SEV2`, `P1` and `Alta` alike; a word no level has is filtered as written
        severity=(fields.level or fields.severity) if isinstance(fields, IncidentFields) else None,
        status=status,
        confidence=confidence,
        body="\n".join(body),
        paths=tuple(dict.fromkeys(p.strip("/") if not p.endswith("/") else p for p in paths)),
    )
