"""FIL rules: whole-file problems (size past the archive threshold, glued separators)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from whylog.model import Diagnostic
from whylog.rules.context import Context, finding

if TYPE_CHECKING:
    from whylog.markdown.document import Document


def unreadable_file(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: reports a record file that cannot be read at all (binary, not UTF-8, a folder).

    Why it matters: its records are missing from every search and check until it is repaired.

    Example:
        SYSTEM_LOG.md saved as UTF-16 by an editor

    Use instead:
        UTF-8 text.

    Fix: re-save the file as UTF-8 text. (Raised while loading the repo, not by a rule function.)
    """
    return iter(())


def past_archive_threshold(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a system log longer than `[archive] syslog_max_lines` (10,000 by default).

    Why it matters: the template says to archive past 10,000 lines; a log nobody can scroll is a log
    nobody reads, and agents spend their context on old entries.

    Example:
        SYSTEM_LOG.md with 12,400 lines

    Use instead:
        SYSTEM_LOG.md with the last 12 months, older entries in SYSTEM_LOG_ARCHIVE_YYYY.md

    Fix: `whylog archive`.
    """
    limit = context.config.archive.get("syslog_max_lines", 10000)
    name = document.path.rsplit("/", 1)[-1]
    if document.family == "syslog" and not name.startswith("SYSTEM_LOG_ARCHIVE") and len(document.lines) > limit:
        message = f"{name} has {len(document.lines)} lines, past the archive threshold of {limit}"
        yield finding("FIL002", message, document.path, limit + 1, "run `whylog archive`")


def glued_separator(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a separator glued to the next line, as in `---## 2026-03-19 14:32 UTC - ...`.

    Why it matters: other Markdown tools read the heading as part of a paragraph, so the entry vanishes
    from their outline and from rendered pages.

    Example:
        ---## 2026-03-19 14:32 UTC - Implemented JWT authentication

    Use instead:
        ---

        ## 2026-03-19 14:32 UTC - Implemented JWT authentication

    Fix: `whylog lint --fix` splits the line into the separator, a blank line and the heading.
    """
    for number in document.lines.glued:
        yield finding("FIL003", "separator glued to the next line", document.path, number, "put `---` on its own line")
