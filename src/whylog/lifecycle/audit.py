"""Claim audits for `status`: what session notes and change documents say against what the repo shows.

- feature-count-at-commit: a session's "N/M features passing" against feature_list.json at the commit
  that recorded the claim (git blame on the claim's line); outside git, the newest note against the
  working copy, and a note says so.
- passes-without-verification: a commit raised the number of passing features while the session note
  committed with it records no passing verification.
- blocker-count-mismatch (the CHG001 lint rule, reused) and readiness-mismatch: a change document's
  "Blockers Resolved: N/M" or readiness percentage against the statuses of its blockers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from whylog import git
from whylog.lifecycle.status import Finding, session_key
from whylog.markdown.document import Document
from whylog.markdown.scan import split_lines
from whylog.model import ChangeFields, Record, SessionFields
from whylog.repo import Collection, Config
from whylog.rules.change import blocker_count_mismatch
from whylog.rules.context import Context

FEATURE_LIST = "feature_list.json"


def audit(config: Config, collection: Collection) -> tuple[list[Finding], list[str]]:
    """Every finding of the claim audits, and notes on how they were made."""
    findings = [f for r in collection.records if r.kind == "change" for f in audit_change(config, collection, r)]
    notes: list[str] = []
    sessions = sorted((r for r in collection.records if _claim(r) is not None), key=session_key)
    if not sessions:
        return findings, notes
    list_path = _feature_list_path(collection)
    if git.repo_root(config.root) is None or git.head_commit(config.root) is None:
        notes.append("not in git (or no commits): the newest session note is compared with the working copy")
        findings += _against_working_copy(config.root / list_path, sessions[-1])
        return findings, notes
    commits = {r.id: _claim_commit(config.root, r) for r in sessions}
    for record in sessions:
        commit = commits[record.id]
        if commit is None:
            findings += _against_working_copy(config.root / list_path, record, " (note not committed yet)")
        else:
            findings += _against_commit(config.root, list_path, record, commit)
    findings += audit_flips(config.root, list_path, sessions, commits)
    return findings, notes


def _claim(record: Record) -> tuple[int, int] | None:
    fields = record.fields
    if isinstance(fields, SessionFields) and fields.features is not None:
        return fields.features.passing, fields.features.total
    return None


def _feature_list_path(collection: Collection) -> str:
    return next((d.path for d in collection.documents if d.family == "features"), FEATURE_LIST)


def count_passing(data: bytes | str | None) -> tuple[int, int] | None:
    """(passing, total) of a feature_list.json text; None when it is missing or not a JSON array."""
    if data is None:
        return None
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(value, list):
        return None
    return sum(1 for v in value if isinstance(v, dict) and v.get("passes") is True), len(value)


def _claim_line(root: Path, record: Record) -> int:
    assert record.source is not None
    claim = _claim(record)
    wanted = (f"{claim[0]}/{claim[1]}", f"{claim[0]} / {claim[1]}") if claim else ()
    lines = _file_lines(root, record)
    for number in range(record.source.start_line, min(record.source.end_line, len(lines)) + 1):
        if any(w in lines[number - 1] for w in wanted):
            return number
    return record.source.start_line


def _claim_commit(root: Path, record: Record) -> str | None:
    """The commit that added the line holding the session's feature claim; None when not committed."""
    assert record.source is not None
    line = _claim_line(root, record)
    return git.blame_commits(root, record.source.path, [(line, line)]).get(line)


def _mismatch(record: Record, facts: tuple[int, int] | None, where: str, root: Path) -> list[Finding]:
    claim = _claim(record)
    if claim is None or facts is None or claim == facts:
        return []
    assert record.source is not None
    message = f"claims {claim[0]}/{claim[1]} features passing; feature_list.json {where} has {facts[0]}/{facts[1]}"
    return [Finding("feature-count-at-commit", record.id, message, record.source.path, _claim_line(root, record))]


def _against_working_copy(path: Path, record: Record, why: str = "") -> list[Finding]:
    try:
        facts = count_passing(path.read_bytes())
    except OSError:
        return []
    return _mismatch(record, facts, f"in the working copy{why}", path.parent)


def _against_commit(root: Path, list_path: str, record: Record, commit: str) -> list[Finding]:
    facts = count_passing(git.show_file(root, commit, list_path))
    return _mismatch(record, facts, f"at {commit[:12]}", root)


def audit_flips(root: Path, list_path: str, sessions: list[Record], commits: dict[str, str | None]) -> list[Finding]:
    """Commits that raised the number of passing features while the session note committed with them
    records no passing verification."""
    findings = []
    by_commit = {c: r for r in sessions if (c := commits.get(r.id))}
    for sha in git.commits_changing(root, list_path):
        note = by_commit.get(sha)
        if note is None or _verified(note):
            continue
        parent = git.read_commit(root, sha).parent
        after = count_passing(git.show_file(root, sha, list_path)) or (0, 0)
        before = (count_passing(git.show_file(root, parent, list_path)) if parent else None) or (0, 0)
        if after[0] > before[0]:
            assert note.source is not None
            message = (
                f"commit {sha[:12]} set passes to true for {after[0] - before[0]} feature(s); "
                "its session note records no passing verification"
            )
            findings.append(Finding("passes-without-verification", note.id, message, note.source.path))
    return findings


def _verified(record: Record) -> bool:
    fields = record.fields
    return isinstance(fields, SessionFields) and any(check.passed for check in fields.verification)


def audit_change(config: Config, collection: Collection, record: Record) -> list[Finding]:
    """The CHG001 rule's finding, and readiness that disagrees with the share of blockers resolved."""
    fields = record.fields
    if not isinstance(fields, ChangeFields) or not fields.items or record.source is None:
        return []
    findings = []
    document = _document_of(collection, record)
    if document is not None:
        context = Context(config, document, collection.records, datetime.now(UTC))
        for item in blocker_count_mismatch(record, context):
            findings.append(
                Finding("blocker-count-mismatch", record.id, item.message, item.source.path, item.source.start_line)
            )
    done = sum(item.resolved for item in fields.items)
    share = round(100 * done / len(fields.items))
    after = fields.readiness.after if fields.readiness else None
    if after is not None and after != share:
        message = f"claims {after}% ready; {done}/{len(fields.items)} blockers resolved is {share}%"
        line = _line_with(config.root, record, f"{after}%") or record.source.start_line
        findings.append(Finding("readiness-mismatch", record.id, message, record.source.path, line))
    return findings


def _document_of(collection: Collection, record: Record) -> Document | None:
    assert record.source is not None
    return next((d for d in collection.documents if d.path == record.source.path), None)


def _line_with(root: Path, record: Record, text: str) -> int:
    """The last line of the record holding `text` (the readiness claim sits below the blockers); 0 if none."""
    assert record.source is not None
    lines = _file_lines(root, record)
    end = min(record.source.end_line, len(lines))
    return next((n for n in range(end, record.source.start_line - 1, -1) if text in lines[n - 1]), 0)


def _file_lines(root: Path, record: Record) -> list[str]:
    """The lines of the record's file numbered as the reader numbered them (str.splitlines would also
    split at form feeds and other separators); none when the file cannot be read."""
    assert record.source is not None
    try:
        return split_lines((root / record.source.path).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []
