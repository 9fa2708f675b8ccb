"""ENT rules on what an entry says: confidence, verification, title, batching, links, keywords, ports."""

from __future__ import annotations

import re
from collections.abc import Iterator

from whylog.lint.rules.context import Context, finding, label_line
from whylog.markdown.values import named_record
from whylog.model import Diagnostic, EntryFields, Record

_VERIFIED = re.compile(
    r"verif|test|confirm|measur|monitor|check|pass|benchmark|observed|reproduc|stable|\d", re.IGNORECASE
)
_VAGUE = {"fixed stuff", "fix stuff", "updates", "update", "misc", "changes", "wip", "fixes", "stuff", "tweaks"}
_JOINERS = re.compile(r"\s+and\s+|\s*,\s+|\s+&\s+", re.IGNORECASE)
_COMPANIONS = {"tests", "test", "bench", "benchmarks", "docs", "doc", "examples", ".github"}
_CONTAINERS = {"src", "lib", "packages", "services", "apps"}
# The template's keyword list: what marks an entry as one of the five, and the words that make it findable.
_SECURITY = ("SECURITY", "CVE", "vulnerability", "authentication", "authorization")
_PERFORMANCE = ("PERFORMANCE", "optimization", "load test", "throughput", "latency")
_DATABASE = ("DATABASE", "migration", "schema change", "query optimization")
KEYWORDS = {
    "SECURITY": (r"vulnerab|\bcve-|injection|\bxss\b|csrf|exploit|security", _SECURITY),
    "PERFORMANCE": (r"performance|latency|throughput|\bslow|optimi[sz]", _PERFORMANCE),
    "DATABASE": (r"database|migration|schema|\bsql\b|postgres|mysql", _DATABASE),
    "BREAKING CHANGE": (r"breaking change|backward.incompatible|api change", ("BREAKING CHANGE", "API change")),
    "ROLLBACK": (r"revert|roll ?back|undone|undid", ("ROLLBACK", "reverted", "undone")),
}
_PORTS = re.compile(r"\bports?\b", re.IGNORECASE)
_PORT_DOCS = {"ports.md", "project_context.md"}


def _fields(record: Record) -> EntryFields:
    assert isinstance(record.fields, EntryFields)
    return record.fields


def _path(record: Record) -> str:
    assert record.source is not None
    return record.source.path


def missing_confidence(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds an entry without a **Confidence:** line.

    Why it matters: the confidence says how far to trust the result; without it a guess and a load-tested
    fix read the same.

    Example:
        **Result:** Tokens expire as configured

    Use instead:
        **Result:** Tokens expire as configured
        **Confidence:** 95% - verified through unit tests and load testing

    Fix: add `**Confidence:** NN% - reason`.
    """
    if _fields(record).confidence is None:
        assert record.source is not None
        yield finding("ENT009", "entry has no Confidence", _path(record), record.source.start_line)


def confidence_out_of_range(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a confidence that is not a percentage from 0 to 100.

    Why it matters: `whylog review` lists low-confidence entries; a value it cannot read is never listed.

    Example:
        **Confidence:** 150% - very sure

    Use instead:
        **Confidence:** 95% - verified through a 24-hour stress test

    Fix: write a whole percentage from 0 to 100.
    """
    confidence = _fields(record).confidence
    if confidence is not None and confidence.value is None:
        line = label_line(context, record, "Confidence")
        yield finding("ENT010", f"Confidence {confidence.reason!r} is not from 0 to 100%", _path(record), line)


def confidence_without_reason(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a confidence percentage with no reason after it.

    Why it matters: "95%" alone is a mood; "95% - verified by a 24-hour stress test" is evidence.

    Example:
        **Confidence:** 95%

    Use instead:
        **Confidence:** 95% - verified through unit tests and load testing

    Fix: add ` - ` and the reason for that level.
    """
    confidence = _fields(record).confidence
    if confidence is not None and confidence.value is not None and not confidence.reason.strip(" -–—:"):
        line = label_line(context, record, "Confidence")
        yield finding("ENT011", "Confidence has no reason", _path(record), line, "write `NN% - why`")


def no_verification(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a Result that states an outcome without saying how it was verified
    (no test, measurement, check or figure).

    Why it matters: the template asks for verification results; "works now" cannot be re-checked.

    Example:
        **Result:** Authentication works now

    Use instead:
        **Result:** All 42 auth tests pass; 1000 concurrent requests load tested without errors

    Fix: say what was run or measured and what it showed.
    """
    result = _fields(record).result
    if result and not _VERIFIED.search(result):
        line = label_line(context, record, "Result")
        yield finding("ENT012", "Result does not say how it was verified", _path(record), line)


def vague_title(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a vague title ("fixed stuff", "updates") or one of fewer than four words.

    Why it matters: titles are what `whylog list` and search results show; a vague one must be opened
    to be understood.

    Example:
        ## 2026-03-18 09:15 UTC - Fixed stuff

    Use instead:
        ## 2026-03-18 09:15 UTC - Fixed database connection pool exhaustion

    Fix: name what changed and where, in four words or more.
    """
    title = record.title.strip()
    words = re.findall(r"[\w'-]+", title)
    if title.lower().strip(" .!") in _VAGUE or len(words) < 4:
        assert record.source is not None
        yield finding("ENT013", f"title {title!r} is vague", _path(record), record.source.start_line)


def batched_changes(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds an entry that batches unrelated changes: its files sit in two or more
    unrelated areas (top-level folders, or `src/x`, `services/x`; tests, benchmarks and docs go with
    any area) and its title joins several actions with "and", "," or "&".

    Why it matters: one entry per change keeps each "why" next to its own files; a batch leaves
    `whylog why` pointing at reasoning written for something else.

    Example:
        ## 2026-03-18 09:15 UTC - Fixed login timeout and updated nginx config
        (files in backend/ and nginx/)

    Use instead:
        two entries, one per change.

    Fix: split the entry.
    """
    areas = {area for area in (_area(ref.path) for ref in record.files) if area}
    parts = [p for p in _JOINERS.split(record.title) if p.strip()]
    if len(areas) >= 2 and len(parts) >= 2:
        assert record.source is not None
        message = f"entry batches changes in {', '.join(sorted(areas))}; one entry per change"
        yield finding("ENT014", message, _path(record), record.source.start_line)


def _area(path: str) -> str:
    """The part of the tree a file belongs to: its top folder, or two levels under a container folder
    (`src/`, `services/`, ...). Tests, benchmarks, docs and root files go with any area, so they count none."""
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0].lower() in _COMPANIONS:
        return ""
    return "/".join(parts[:2]) if parts[0].lower() in _CONTAINERS and len(parts) > 2 else parts[0]


def dangling_link(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a Related item that names a record explicitly (an id such as INC-2024-001,
    or an entry stamp `YYYY-MM-DD HH:MM`) when no record in the repo has it.

    Why it matters: a link that leads nowhere breaks the chain between related entries; it usually means
    a typo in the stamp or a record that was never written.

    Example:
        - Incident: 2026-03-18 08:00 UTC (production outage)   (no such entry)

    Use instead:
        the stamp of the entry that exists, or write the missing record.

    Fix: correct the reference.
    """
    for link in record.links:
        found = named_record(link.text)
        if link.target is None and found:
            line = label_line(context, record, "Related")
            assert record.source is not None
            span = range(line, record.source.end_line + 1)
            line = next((n for n in span if link.text in context.document.lines.line(n)), line)
            yield finding("ENT015", f"Related {found!r} names no record", _path(record), line)


def _kind_of_change(record: Record) -> list[str]:
    """The groups the entry's title, type tags and actions (what was done, not what was observed) name."""
    text = " ".join([record.title, *record.tags, *_fields(record).actions])
    return [name for name, (trigger, _) in KEYWORDS.items() if re.search(trigger, text, re.IGNORECASE)]


def missing_keyword(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds a security, performance, database, breaking-change or rollback entry (by the
    words of its title and actions) whose title and tags carry none of that group's search keywords.

    Why it matters: the template's keyword list is how these entries are found later
    (`whylog search tag:SECURITY`); an audit that misses one entry misses the one that mattered.

    Example:
        ## 2026-03-14 10:00 UTC - Patched injection in the search endpoint
        **Type:** Bug Fix

    Use instead:
        ## 2026-03-14 10:00 UTC - SECURITY: Patched SQL injection in the search endpoint
        **Type:** Bug Fix (SECURITY, CVE-2024-12345)

    Fix: add the keyword to the title or to the tags after the Type.
    """
    words = " ".join([record.title, *record.tags]).lower()
    missing = [n for n in _kind_of_change(record) if not any(k.lower() in words for k in KEYWORDS[n][1])]
    if missing:
        assert record.source is not None
        message = f"{' and '.join(n.lower() for n in missing)} entry has no search keyword"
        hint = "add " + " or ".join(missing) + " to the title or to the tags after the Type"
        yield finding("ENT016", message, _path(record), record.source.start_line, hint)


def ports_without_docs(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: finds an entry that changes docker-compose files or ports but does not list
    PORTS.md or Project_Context.md among its files.

    Why it matters: the template says to update PORTS.md or Project_Context.md when relevant; the port
    map is what the next person reads before starting a service.

    Example:
        - `docker-compose.yml` (lines 50-75, new auth service on port 8001)

    Use instead:
        - `docker-compose.yml` (lines 50-75, new auth service on port 8001)
        - `PORTS.md` (lines 12-12, added port 8001 for auth service)

    Fix: update PORTS.md or Project_Context.md and list it in the same entry.
    """
    names = {ref.path.rsplit("/", 1)[-1].lower() for ref in record.files}
    compose = any(n.startswith(("docker-compose", "compose.")) for n in names)
    ports = any(_PORTS.search(ref.note) for ref in record.files)
    if (compose or ports) and not names & _PORT_DOCS:
        line = label_line(context, record, "Affected Files")
        what = "docker-compose" if compose else "port"
        yield finding("ENT017", f"{what} change without PORTS.md or Project_Context.md", _path(record), line)
