"""What a rule sees besides its record: the document it came from, the whole repo, the clock, the config."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from whylog.model import Diagnostic, Record, Source

if TYPE_CHECKING:
    from whylog.markdown.document import Document
    from whylog.repo import Config


@dataclass(slots=True)
class Context:
    config: Config
    document: Document
    records: list[Record]  # every record of the repo, links resolved: duplicate ids and links are repo-wide
    now: datetime
    features: tuple[int, int] | None = None  # (passing, total) from feature_list.json when it exists
    ids: Container[str] = field(default_factory=set)  # a set, or the index's `lint_store.LiveIds`
    first_of: dict[str, Record] = field(default_factory=dict)  # natural id -> first record with it
    settings: Any = None  # the repo.lint_config.LintConfig in force (rules skip what it disables)
    cache: dict[object, Any] = field(default_factory=dict)  # per-run results rules share (keyed by rule)


def finding(code: str, message: str, path: str, line: int, hint: str = "") -> Diagnostic:
    """A diagnostic with the rule's default severity; the engine applies the registry and config."""
    return Diagnostic(code, message, Source(path, line, line), hint, "warning")


def label_line(context: Context, record: Record, label: str) -> int:
    """The line of `**Label:**` (or `Label:`, `### Label`) inside the record; its heading if absent."""
    assert record.source is not None
    pattern = re.compile(rf"^[\s>#*-]*(?:\*\*)?{re.escape(label)}\b", re.IGNORECASE)
    lines = context.document.lines
    for number in range(record.source.start_line, min(record.source.end_line, len(lines)) + 1):
        if pattern.match(lines.line(number)):
            return number
    return record.source.start_line


def iter_span(context: Context, record: Record) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line of the record."""
    assert record.source is not None
    lines = context.document.lines
    for number in range(record.source.start_line, min(record.source.end_line, len(lines)) + 1):
        yield number, lines.line(number)
