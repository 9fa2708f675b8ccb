"""`suspects`: what changed the incident's files or services in the days before it started.

The window ends when the incident started (its first timeline time, else its date and time; a date alone
counts to the end of that day) and begins `days` earlier (default 14). Suspects are records of any kind
that name files, dated in the window, and the commits in the window (in git); each must touch one of the
incident's files, or name one of its services in its text (a commit: in its subject or a path). Ranked:
most shared files first, then most services named, then newest.

    report = find_suspects(config, "INC-2024-001", days=7)
    print("\n".join(format_text(report)))     # or json.dumps(report_json(report))
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from whylog import git
from whylog.model import EntryFields, IncidentFields, Record, refs_of, to_json
from whylog.model.bounds import FIRST_YEAR, shift_moment
from whylog.model.errors import NotFound
from whylog.repo import Config
from whylog.why.paths import covers, norm_path

DEFAULT_DAYS = 14
SCAN_LIMIT = 100_000  # records read from the index for one window
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b")


@dataclass(frozen=True, slots=True)
class Suspect:
    """A record or a commit in the window, with the incident's files it touched and services it named."""

    source: Literal["record", "commit"]
    id: str
    kind: str
    date: str
    title: str
    files: tuple[str, ...]
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SuspectReport:
    incident: Record
    since: str
    until: str
    in_git: bool
    suspects: tuple[Suspect, ...]
    notes: tuple[str, ...] = ()


def find_suspects(
    config: Config, incident_id: str, days: int = DEFAULT_DAYS, conn: sqlite3.Connection | None = None
) -> SuspectReport:
    """The suspects for an incident (or an entry of type Incident); NotFound when there is no such record."""
    if conn is None:
        from whylog.index.sqlite import open_synced

        conn = open_synced(config)
    from whylog.index.sqlite import find_record

    incident = find_record(conn, incident_id)
    if incident is None:
        raise NotFound(f"no record with id {incident_id!r}", hint="`whylog list --kind incident` shows the ids")
    until, note = started(incident)
    since = max(shift_moment(until, -days), datetime(FIRST_YEAR, 1, 1, tzinfo=UTC))  # no record is older
    files = tuple(norm_path(ref.path) for ref in refs_of(incident))
    services = _services(incident)
    found = _record_suspects(conn, incident, since, until, files, services)
    notes = [note] if note else []
    in_git = git.repo_root(config.root) is not None
    if in_git:
        try:
            found += _commit_suspects(config, since, until, files, services)
        except git.GitError as exc:
            notes.append(f"{exc.message}; only records are listed")
    else:
        notes.append("not a git repository: only records are listed")
    found.sort(key=lambda s: (-len(s.files), -len(s.services), -_seconds(s.date), s.id))
    return SuspectReport(incident, _stamp(since), _stamp(until), in_git, tuple(found), tuple(notes))


def parse_time(text: str) -> datetime | None:
    """A record date (YYYY-MM-DD or ISO 8601 with time) as an aware UTC datetime; None when unreadable."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def started(incident: Record) -> tuple[datetime, str]:
    """When the incident started, and a note when only its day is known."""
    day = parse_time(incident.date[:10])
    if day is None:
        raise NotFound(f"{incident.id} has no date to start the window from", hint="give the record a Date")
    fields = incident.fields
    if isinstance(fields, EntryFields) and fields.timeline:
        clock = _CLOCK.search(fields.timeline[0].time)
        if clock and int(clock.group(1)) < 24:
            return day.replace(hour=int(clock.group(1)), minute=int(clock.group(2))), ""
    if len(incident.date) > 10:
        exact = parse_time(incident.date)
        if exact is not None:
            return exact, ""
    return shift_moment(day, 1), f"{incident.id} gives no time: the window runs to the end of {incident.date[:10]}"


def _services(incident: Record) -> tuple[str, ...]:
    fields = incident.fields
    names = fields.services if isinstance(fields, IncidentFields) else ()
    return tuple(name.strip() for name in names if name.strip())


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _seconds(date: str) -> float:
    when = parse_time(date)
    return when.timestamp() if when is not None else 0.0


def _shared(paths: tuple[str, ...], wanted: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(path for path in dict.fromkeys(paths) if any(covers(path, w) or covers(w, path) for w in wanted))


def _named(text: str, paths: tuple[str, ...], services: tuple[str, ...]) -> tuple[str, ...]:
    """The services named in `text` (any case), or whose slug (`Auth Service` -> `auth-service`) is in a path."""
    lowered = text.lower()
    slugs = {name: re.sub(r"\W+", "-", name.lower()).strip("-") for name in services}
    return tuple(
        name
        for name in services
        if name.lower() in lowered or (len(slugs[name]) > 2 and any(slugs[name] in p.lower() for p in paths))
    )


def _record_suspects(
    conn: sqlite3.Connection,
    incident: Record,
    since: datetime,
    until: datetime,
    files: tuple[str, ...],
    services: tuple[str, ...],
) -> list[Suspect]:
    from whylog.index.query import parse_query
    from whylog.index.search import run_search

    text = f"since:{since.date().isoformat()} until:{until.date().isoformat()}"
    found = []
    for hit in run_search(conn, parse_query(text), SCAN_LIMIT):
        record = hit.record
        when = parse_time(record.date)
        paths = tuple(norm_path(ref.path) for ref in refs_of(record))
        if record.id == incident.id or not paths or when is None or not since <= when < until:
            continue
        body = record.title + " " + json.dumps(to_json(record.fields), ensure_ascii=False)
        shared, named = _shared(paths, files), _named(body, paths, services)
        if shared or named:
            found.append(Suspect("record", record.id, record.kind, record.date, record.title, shared, named))
    return found


def _commit_suspects(
    config: Config, since: datetime, until: datetime, files: tuple[str, ...], services: tuple[str, ...]
) -> list[Suspect]:
    found = []
    for commit in git.commits_between(config.root, since, until):
        shared, named = _shared(commit.files, files), _named(commit.subject, commit.files, services)
        if shared or named:
            found.append(Suspect("commit", commit.sha[:12], "commit", commit.date, commit.subject, shared, named))
    return found


def format_text(report: SuspectReport) -> list[str]:
    """A table for the terminal: the window, then per suspect its id, kind, date, what it shares, its title."""
    lines = [f"note: {note}" for note in report.notes]
    lines.append(f"{report.incident.id}: suspects from {report.since} to {report.until}")
    for suspect in report.suspects:
        why = ", ".join([*suspect.files, *(f"service {s}" for s in suspect.services)])
        date = suspect.date.replace("T", " ")[:16]
        lines.append(f"{suspect.id:<24} {suspect.kind:<8} {date:<16} {suspect.title}")
        lines.append(f"    touched: {why}")
    return lines


def report_json(report: SuspectReport) -> dict[str, Any]:
    return {
        "incident": report.incident.id,
        "since": report.since,
        "until": report.until,
        "in_git": report.in_git,
        "notes": list(report.notes),
        "suspects": [
            {
                "source": s.source,
                "id": s.id,
                "kind": s.kind,
                "date": s.date,
                "title": s.title,
                "files": list(s.files),
                "services": list(s.services),
            }
            for s in report.suspects
        ],
    }
