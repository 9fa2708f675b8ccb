"""Progress read from the synced index: features passing with their trend over session notes, blockers resolved
per change document, open objectives, risks, blockers and action items, and an audit of the claims.

`status(config)` returns a `Status` of plain values; `lifecycle.render` turns it into text, JSON or an
HTML page with a chart. The claim audits live in `lifecycle.audit` and the verification re-runs in
`checks.verify`; `status` gathers their findings.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from whylog.checks.findings import Finding
from whylog.checks.verify import records_run, verify_findings
from whylog.index import progress
from whylog.index.sqlite import iter_envelopes, open_synced
from whylog.lifecycle.audit import audit
from whylog.model import (
    ContextFields,
    Record,
)
from whylog.model import open_items as model_open_items
from whylog.repo import Config


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
class Status:
    features: tuple[int, int] | None  # (passing, total) in feature_list.json now, when the repo has one
    trend: tuple[FeaturePoint, ...]
    blockers: tuple[BlockerTally, ...]
    open_items: tuple[OpenItem, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()  # how the audit was done (outside git, no feature list, ...)


def status(config: Config, conn: sqlite3.Connection | None = None) -> Status:
    """The progress of the repo at `config.root`, read from the synced index (no record file is parsed),
    with its claims audited (against git history when the repo is in git, else against the working copy)
    and verification runs from `.whylog/verify.json`."""
    own = conn is None
    conn = conn or open_synced(config)
    try:
        sessions, changes = progress.session_claims(conn), progress.change_claims(conn)
        findings, notes = audit(config, conn, sessions, changes)
        findings += verify_findings(config, records_run(config, conn))
        context = current_context(list(iter_envelopes(conn, "AND kind = 'context'")))
        items = [OpenItem(what, context.id, text) for what, text in model_open_items(context)] if context else []
        items += [OpenItem(*row) for row in progress.open_item_rows(conn)]
        trend = tuple(FeaturePoint(c.record_id, c.number, c.date, c.passing, c.total) for c in sessions)
        blockers = tuple(
            BlockerTally(c.record_id, c.title, c.resolved, c.total, c.readiness[1] if c.readiness else None)
            for c in changes
        )
        return Status(
            features=progress.feature_counts(conn),
            trend=trend,
            blockers=blockers,
            open_items=tuple(items),
            findings=tuple(findings),
            notes=tuple(notes),
        )
    finally:
        if own:
            conn.close()


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
