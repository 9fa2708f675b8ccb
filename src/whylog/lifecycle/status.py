"""Progress from the records alone: features passing with their trend over session notes, blockers resolved
per change document, open objectives, risks, blockers and action items, and an audit of the claims.

`status(config)` returns a `Status` of plain values; `lifecycle.render` turns it into text, JSON or an
HTML page with a chart. The claim audits live in `lifecycle.audit` and the verification re-runs in
`lifecycle.verify`; `status` gathers their findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from whylog.model import (
    ChangeFields,
    ContextFields,
    FeatureFields,
    Record,
    SessionFields,
)
from whylog.model import open_items as model_open_items
from whylog.repo import Collection, Config, load


@dataclass(frozen=True, slots=True)
class FeaturePoint:
    """One session note's claim: `passing` of `total` features, by session number and date."""

    record_id: str
    number: int
    date: str
    passing: int
    total: int


@dataclass(frozen=True, slots=True)
class BlockerTally:
    record_id: str
    title: str
    resolved: int
    total: int
    readiness: int | None  # the document's stated readiness after the change, in percent


@dataclass(frozen=True, slots=True)
class OpenItem:
    """Open work: kind is objective, risk or blocker (current context), action-item (incident),
    prevention (entry) or task (a change note's open checklist item)."""

    kind: str
    record_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A claim that does not hold. `code` names the problem (kebab-case, as rule names do)."""

    code: str
    record_id: str
    message: str
    path: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Status:
    features: tuple[int, int] | None  # (passing, total) in feature_list.json now, when the repo has one
    trend: tuple[FeaturePoint, ...]
    blockers: tuple[BlockerTally, ...]
    open_items: tuple[OpenItem, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()  # how the audit was done (outside git, no feature list, ...)


def status(config: Config, collection: Collection | None = None) -> Status:
    """The progress of the repo at `config.root`, with its claims audited (against git history when the
    repo is in git, else against the working copy) and verification runs from `.whylog/verify.json`."""
    from whylog.lifecycle.audit import audit
    from whylog.lifecycle.verify import verify_findings

    collection = collection or load(config, skip_errors=True)
    records = collection.records
    findings, notes = audit(config, collection)
    findings += verify_findings(config, records)
    return Status(
        features=feature_counts(records),
        trend=trend(records),
        blockers=tuple(tally(r) for r in records if isinstance(r.fields, ChangeFields) and r.fields.items),
        open_items=tuple(open_items(records)),
        findings=tuple(findings),
        notes=tuple(notes),
    )


def feature_counts(records: list[Record]) -> tuple[int, int] | None:
    features = [r.fields for r in records if isinstance(r.fields, FeatureFields)]
    return (sum(1 for f in features if f.passes), len(features)) if features else None


def session_key(record: Record) -> tuple[int, str]:
    number = record.fields.number if isinstance(record.fields, SessionFields) else 0
    return number, record.date


def trend(records: list[Record]) -> tuple[FeaturePoint, ...]:
    points = []
    for record in sorted((r for r in records if r.kind == "session"), key=session_key):
        fields = record.fields
        if isinstance(fields, SessionFields) and fields.features is not None:
            claim = fields.features
            points.append(FeaturePoint(record.id, fields.number, record.date, claim.passing, claim.total))
    return tuple(points)


def tally(record: Record) -> BlockerTally:
    assert isinstance(record.fields, ChangeFields)
    items = record.fields.items
    resolved = sum(item.resolved for item in items)
    readiness = record.fields.readiness.after if record.fields.readiness else None
    return BlockerTally(record.id, record.title, resolved, len(items), readiness)


def current_context(records: list[Record]) -> Record | None:
    contexts = [r for r in records if isinstance(r.fields, ContextFields)]
    return max(
        contexts, key=lambda r: (r.date, r.fields.updated if isinstance(r.fields, ContextFields) else ""), default=None
    )


def open_items(records: list[Record]) -> list[OpenItem]:
    """Open objectives, risks and blockers of the current context, open action and prevention items, and
    change notes' open tasks; change blockers and session issues are counted in their own sections."""
    context = current_context(records)
    items = [OpenItem(what, context.id, text) for what, text in model_open_items(context)] if context else []
    for record in records:
        if record.kind in ("incident", "entry"):
            items += [OpenItem(what, record.id, text) for what, text in model_open_items(record)]
        elif record.kind == "change":
            items += [OpenItem(what, record.id, text) for what, text in model_open_items(record) if what == "task"]
    return items
