"""MEM rules: memory banks (memory-bank/*.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from whylog.lint.rules.context import Context, finding
from whylog.markdown.readers.memory import TEMPLATE_CODE
from whylog.model import Diagnostic

if TYPE_CHECKING:
    from whylog.markdown.document import Document


def unfilled_template(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a memory-bank file (`memory-bank/activeContext.md`, `progress.md`,
    `decisionLog.md`, ...) that is still the template it was copied from: headings over empty bullets,
    `[placeholders]` and comments, nothing else.

    Why it matters: an agent that reads its memory bank at the start of a session learns nothing from it,
    and nothing in the repo says so; whylog reads no record from it, so searches and `context` skip it.

    Example:
        # Active Context

        ## Current Focus

        *

        ## Recent Changes

        - [Describe recent changes]

    Use instead:
        # Active Context

        ## Current Focus

        - Moving the export job to the worker queue

    Fix: fill in its sections (an agent's first session usually does), or delete the file until there is
    something to keep in it.
    """
    for note in document.diagnostics:
        if note.code == TEMPLATE_CODE:
            message = f"{document.path} is its memory-bank template, never filled in"
            yield finding("MEM001", message, document.path, note.source.start_line, note.hint)
