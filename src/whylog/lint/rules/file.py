"""FIL rules: whole-file problems (unreadable, no records or mostly unstructured text, size past the archive
threshold, glued separators)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from whylog.lint.rules.context import Context, finding
from whylog.model import Diagnostic

if TYPE_CHECKING:
    from whylog.markdown.document import Document


def unreadable_file(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: reports a record file that cannot be read cleanly: bytes that are not UTF-8, a NUL
    byte, a line of a million characters or more, or a file that cannot be read at all (a folder, JSON
    that does not parse).

    Why it matters: whylog reads what it can (U+FFFD in place of the rest) and warns on every command,
    but it writes nothing into such a file: `add`, `archive`, `lint --fix` and `renumber` refuse it.

    Example:
        SYSTEM_LOG.md saved as Latin-1 by an editor (`caf\\xe9`), or with a NUL byte pasted in

    Use instead:
        UTF-8 text.

    Fix: re-save the file as UTF-8 text; the finding names the first bad line and its byte offset.
    """
    from whylog.markdown.encoding import DAMAGE_CODES

    damage = next((d for d in document.diagnostics if d.code in DAMAGE_CODES), None)
    if damage is not None:
        yield finding("FIL001", damage.message, document.path, damage.source.start_line, damage.hint)


def no_records_read(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a record file (configured in [sources], or found by `whylog init`) that holds
    text but from which no record was read.

    Why it matters: every search, `why`, `context` and review runs on records; a log none of whose
    entries reads as one answers nothing there, however much it holds (its text is still searchable as
    unstructured text).

    Example:
        SYSTEM_LOG.md that only links to monthly files (`- [January 2026](logs/2026-01.md)`) which no
        [sources] glob names

    Use instead:
        "logs/*.md" = "syslog" in [sources], so the entries themselves are read.

    Fix: point [sources] at the files that hold the records, write the entries in a shape a reader
    knows (`whylog add` writes new ones), or drop the file from [sources] if it holds no records.
    `whylog parse FILE` shows what was read.
    """
    if document.records or not document.unstructured or document.damaged:
        return
    first = document.unstructured[0].start_line
    message = f"no record was read from {document.path} ({document.family}); its text is unstructured"
    yield finding("FIL014", message, document.path, first, f"`whylog parse {document.path}` shows what was read")


def mostly_unstructured(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a record file where more than half of the non-blank lines are in no record
    (the file's title and layout such as separators excepted).

    Why it matters: text outside records has no date, kind or fields: filters, `why`, reviews and
    lint never see it, so a log that mostly drifted out of its template is mostly invisible.

    Example:
        a SYSTEM_LOG.md with 3 entries in the template and 40 lines of free notes between them

    Use instead:
        each note as an entry of its own, or moved out of the record file.

    Fix: `whylog parse FILE` lists the unstructured lines; turn them into records or move them out.
    """
    if not document.records or not document.unstructured or document.damaged:
        return
    lines = document.lines
    total = sum(1 for tag in lines.tags if tag != "blank")
    loose = sum(
        1
        for span in document.unstructured
        for number in range(span.start_line, span.end_line + 1)
        if lines.tag(number) != "blank"
    )
    if total and loose * 2 > total:
        first = document.unstructured[0].start_line
        message = f"{loose} of {total} non-blank lines ({loose * 100 // total}%) are in no record"
        yield finding("FIL015", message, document.path, first, f"`whylog parse {document.path}` lists them")


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


def contains_secret(document: Document, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a credential (API key, token, private key, password in a URL) in a record file,
    with detect-secrets' detectors and whylog's own forms (unquoted `password=`/`password:` and
    `*_secret_access_key = ...`, `Authorization: Bearer|Basic ...`, `mysql -p...`, `curl -u user:pw`,
    newer provider keys), also when invisible characters break a key or it runs over two lines; the same
    scan as `add` and MCP `add_record`.

    Why it matters: record files are committed and read by agents; a key in a log entry is a leaked key,
    in every clone and in the history.

    Example:
        - Set `AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` in the deploy config

    Use instead:
        - Set `AWS_SECRET_ACCESS_KEY` in the deploy config (value in the vault)

    Fix: remove the value and rotate the credential. (The check lives in whylog.writing.secrets.)
    """
    from whylog.writing.secrets import lint_secrets

    yield from lint_secrets(document)


def unlogged_change(document: None, context: Context) -> Iterator[Diagnostic]:
    """What it does: lists commits since the newest entry that changed code no entry's files cover,
    with their subjects. Runs once per lint over the whole repo, in a git work tree.

    Why it matters: the template says to log immediately after completing the change; this makes that
    checkable in CI instead of by memory.

    Example:
        commit a1b2c3d "Tune pool size" changed backend/db.py, and no entry names backend/db.py

    Use instead:
        an entry for the commit listing `backend/db.py` (lines 12-18).

    Fix: `whylog add entry --from-git REV`. (The check lives in whylog.checks.unlogged.)
    """
    from whylog.checks.unlogged import lint_unlogged
    from whylog.model.errors import WhylogError

    try:
        yield from lint_unlogged(context.config, conn=context.cache.get("conn"))
    except WhylogError:
        return


def _verification(context: Context, kind: str, code: str) -> Iterator[Diagnostic]:
    from whylog.checks.verify import verify_findings

    by_id = {r.id: r for r in context.records}
    for item in verify_findings(context.config, context.records):
        record = by_id.get(item.record_id)
        if item.code != kind or record is None or record.source is None:
            continue
        yield finding(code, f"{record.id}: {item.message}", record.source.path, record.source.start_line)


def verification_failed(document: None, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a record whose verification command (a change document's Testing block, a
    session's verification section, an entry's `Verify:` line) failed, timed out or left a process running
    the last time `whylog verify` ran it.

    Why it matters: the record claims a result that no longer reproduces.

    Example:
        `pytest tests/test_health.py` exited with status 1 at the last `whylog verify`

    Use instead:
        a claim whose command passes when re-run.

    Fix: fix the code or correct the record, then `whylog verify ID`. (Runs are in .whylog/verify.json.)
    """
    yield from _verification(context, "verification-failed", "FIL012")


def verification_stale(document: None, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a record whose last verification run is older than the last commit that
    changed the files the record covers.

    Why it matters: a claim verified before its files changed says nothing about the code as it is.

    Example:
        the last `whylog verify` of CHG-2025-12-15-x ran before src/api/config.py changed

    Use instead:
        a verification run made after the last change to the covered files.

    Fix: `whylog verify ID`.
    """
    yield from _verification(context, "verification-stale", "FIL013")
