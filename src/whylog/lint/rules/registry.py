"""The rule table: code -> Rule. Codes are never reused; names are kebab-case and name the problem.

A rule's docs are its function's docstring in ruff's sections (What it does, Why it matters, Example,
Use instead, Fix); `whylog rules CODE` prints them.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from whylog.lint.rules import (
    change,
    decision,
    entry,
    entry_order,
    entry_text,
    file,
    fixes,
    incident,
    memory,
    release,
    session,
)
from whylog.model import Diagnostic
from whylog.repo.lint_config import Severity

Check = Callable[[Any, Any], Iterator[Diagnostic]]
Fix = Callable[[list[str], Diagnostic], None]
Reorder = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    kind: str  # a record kind; "file" for rules over a document; "repo" for rules run once per lint
    check: Check
    fix: Fix | None = None
    reorders: Reorder | None = None  # fixed by moving whole records: (text, path) -> text (lint.fix_paths)
    local: bool = False  # found in this clone's own state (.whylog/), which no commit carries
    # What a finding depends on besides the rule's own file: "repo" (other records, the feature list, or the
    # time of day: lint checks it on every run, on the records the index names as candidates), "day" (the
    # date: kept for the day it was found on), "file" (nothing: kept under the file's content hash).
    reads: Literal["file", "day", "repo"] = "file"

    @property
    def fixable(self) -> bool:
        return self.fix is not None or self.reorders is not None

    @property
    def docs(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    def section(self, title: str) -> str:
        """One docstring section ("What it does", "Why it matters", "Example", "Use instead", "Fix")."""
        pattern = rf"^{re.escape(title)}:(.*?)(?=^(?:What it does|Why it matters|Example|Use instead|Fix):|\Z)"
        found = re.search(pattern, self.docs, re.MULTILINE | re.DOTALL)
        return inspect.cleandoc(found.group(1)) if found else ""

    @property
    def summary(self) -> str:
        return " ".join(self.section("What it does").split())

    @property
    def rationale(self) -> str:
        return " ".join(self.section("Why it matters").split())

    @property
    def bad_example(self) -> str:
        return self.section("Example")

    @property
    def good_example(self) -> str:
        return self.section("Use instead")


_TABLE = [
    Rule("ENT001", "missing-entry-section", "error", "entry", entry.missing_section),
    Rule("ENT002", "unknown-type", "error", "entry", entry.unknown_type),
    Rule("ENT003", "misspelled-type", "warning", "entry", entry.misspelled_type, fixes.fix_type),
    Rule("ENT004", "file-without-lines", "warning", "entry", entry.file_without_lines),
    Rule("ENT005", "bad-timestamp", "warning", "entry", entry.bad_timestamp, fixes.fix_timestamp),
    Rule("ENT006", "future-timestamp", "error", "entry", entry.future_timestamp, reads="repo"),
    Rule("ENT007", "out-of-order-entry", "warning", "entry", entry_order.out_of_order, reorders=entry_order.reorder),
    Rule("ENT008", "duplicate-id", "error", "entry", entry_order.duplicate_id, reads="repo"),
    Rule("ENT009", "missing-confidence", "error", "entry", entry_text.missing_confidence),
    Rule("ENT010", "confidence-out-of-range", "error", "entry", entry_text.confidence_out_of_range),
    Rule("ENT011", "confidence-without-reason", "warning", "entry", entry_text.confidence_without_reason),
    Rule("ENT012", "no-verification", "warning", "entry", entry_text.no_verification),
    Rule("ENT013", "vague-title", "warning", "entry", entry_text.vague_title),
    Rule("ENT014", "batched-changes", "warning", "entry", entry_text.batched_changes),
    Rule("ENT015", "dangling-link", "warning", "entry", entry_text.dangling_link, reads="repo"),
    Rule("ENT016", "missing-keyword", "warning", "entry", entry_text.missing_keyword),
    Rule("ENT017", "ports-without-docs", "warning", "entry", entry_text.ports_without_docs),
    Rule("INC001", "missing-incident-section", "error", "incident", incident.missing_section),
    Rule("INC002", "duplicate-incident-id", "error", "incident", entry_order.duplicate_number, reads="repo"),
    Rule("ADR001", "duplicate-decision-number", "error", "decision", entry_order.duplicate_number, reads="repo"),
    Rule("CHG001", "blocker-count-mismatch", "error", "change", change.blocker_count_mismatch),
    Rule("SES001", "feature-count-mismatch", "error", "session", session.feature_count_mismatch, reads="repo"),
    Rule("SES002", "duplicate-session-number", "error", "session", entry_order.duplicate_number, reads="repo"),
    Rule("FIL001", "unreadable-file", "error", "file", file.unreadable_file),
    Rule("FIL002", "past-archive-threshold", "warning", "file", file.past_archive_threshold),
    Rule("FIL003", "glued-separator", "warning", "file", file.glued_separator, fixes.fix_glued_separator),
    Rule("FIL010", "contains-secret", "error", "file", file.contains_secret),
    Rule("FIL011", "unlogged-change", "warning", "repo", file.unlogged_change),
    Rule("FIL012", "verification-failed", "error", "repo", file.verification_failed, local=True),
    Rule("FIL013", "verification-stale", "warning", "repo", file.verification_stale, local=True),
    Rule("FIL014", "no-records-read", "warning", "file", file.no_records_read),
    Rule("FIL015", "mostly-unstructured", "warning", "file", file.mostly_unstructured),
    Rule("ADR002", "missing-decision-status", "warning", "decision", decision.missing_status),
    Rule("ADR003", "missing-decision-date", "warning", "decision", decision.missing_date),
    Rule("ADR004", "unknown-decision-status", "warning", "decision", decision.unknown_status, decision.fix_status),
    Rule("ADR005", "superseded-without-successor", "warning", "decision", decision.superseded_without_successor),
    Rule("ADR006", "dangling-supersession", "error", "decision", decision.dangling_supersession, reads="repo"),
    Rule("REL001", "release-out-of-order", "warning", "release", release.out_of_order, reorders=release.reorder),
    Rule("REL002", "release-without-date", "warning", "release", release.without_date),
    Rule("REL003", "missing-unreleased-section", "warning", "file", release.missing_unreleased, release.fix_unreleased),
    Rule("REL004", "unknown-change-type", "warning", "release", release.unknown_change_type, release.fix_change_type),
    Rule("MEM001", "unfilled-template", "warning", "file", memory.unfilled_template),
    Rule("INC003", "missing-root-cause", "warning", "incident", incident.missing_root_cause),
    Rule("INC004", "missing-action-items", "warning", "incident", incident.missing_action_items),
    Rule("INC005", "stale-action-item", "warning", "incident", incident.stale_action_item, reads="day"),
]
RULES: dict[str, Rule] = {rule.code: rule for rule in _TABLE}
