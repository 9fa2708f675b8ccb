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
import sqlite3
from pathlib import Path

from whylog import git
from whylog.checks.findings import Finding
from whylog.index import progress
from whylog.index.progress import ChangeClaim, SessionClaim
from whylog.repo import Config

FEATURE_LIST = "feature_list.json"


def audit(
    config: Config, conn: sqlite3.Connection, sessions: list[SessionClaim], changes: list[ChangeClaim]
) -> tuple[list[Finding], list[str]]:
    """Every finding of the claim audits (of the index's session and change claims), and notes on how they
    were made. Git's answers (the commit of a claim's line, the counts a commit left) are kept in the index
    under keys that change when they could."""
    findings = [f for claim in changes for f in audit_change(claim)]
    notes: list[str] = []
    if not sessions:
        return findings, notes
    list_path = progress.feature_list_path(conn) or FEATURE_LIST
    if git.repo_root(config.root) is None or git.head_commit(config.root) is None:
        notes.append("not in git (or no commits): the newest session note is compared with the working copy")
        findings += _against_working_copy(config.root / list_path, sessions[-1])
        return findings, notes
    commits = _claim_commits(config.root, conn, sessions)
    for claim in sessions:
        commit = commits[claim.record_id]
        if commit is None:
            findings += _against_working_copy(config.root / list_path, claim, " (note not committed yet)")
        else:
            findings += _against_commit(config.root, conn, list_path, claim, commit)
    findings += audit_flips(config.root, conn, list_path, sessions, commits)
    return findings, notes


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


def _claim_commits(root: Path, conn: sqlite3.Connection, sessions: list[SessionClaim]) -> dict[str, str | None]:
    """The commit that added each claim's line (None: not committed). A blame answer is kept under the
    file's content hash and its blob at HEAD: the line's commit cannot change while both stay the same."""
    paths = sorted({c.path for c in sessions})
    hashes = progress.file_hashes(conn, paths)
    blobs = git.blobs_at_head(root, paths)
    keys = {c.record_id: f"blame\0{c.path}\0{hashes.get(c.path)}\0{blobs.get(c.path)}\0{c.line}" for c in sessions}
    known = progress.cached_answers(conn, keys.values())
    fresh: dict[str, str] = {}
    for claim in sessions:
        key = keys[claim.record_id]
        if key not in known and key not in fresh:
            commit = git.blame_commits(root, claim.path, [(claim.line, claim.line)]).get(claim.line)
            fresh[key] = commit or ""
    if all(hashes.get(p) for p in paths):  # a file the index does not hold has no content hash to key on
        progress.store_answers(conn, fresh)
    answers = {**known, **fresh}
    return {c.record_id: answers[keys[c.record_id]] or None for c in sessions}


def _mismatch(claim: SessionClaim, facts: tuple[int, int] | None, where: str) -> list[Finding]:
    if facts is None or (claim.passing, claim.total) == facts:
        return []
    stated = f"{claim.passing}/{claim.total}"
    message = f"claims {stated} features passing; feature_list.json {where} has {facts[0]}/{facts[1]}"
    return [Finding("feature-count-at-commit", claim.record_id, message, claim.path, claim.line)]


def _against_working_copy(path: Path, claim: SessionClaim, why: str = "") -> list[Finding]:
    try:
        facts = count_passing(path.read_bytes())
    except OSError:
        return []
    return _mismatch(claim, facts, f"in the working copy{why}")


def _counts_at(root: Path, conn: sqlite3.Connection, commit: str, list_path: str) -> tuple[int, int] | None:
    """The feature list's counts at a commit (kept: a commit never changes)."""
    key = f"counts\0{commit}\0{list_path}"
    known = progress.cached_answers(conn, [key]).get(key)
    if known is not None:
        return None if known == "" else (int(known.split("/")[0]), int(known.split("/")[1]))
    facts = count_passing(git.show_file(root, commit, list_path))
    progress.store_answers(conn, {key: "" if facts is None else f"{facts[0]}/{facts[1]}"})
    return facts


def _against_commit(
    root: Path, conn: sqlite3.Connection, list_path: str, claim: SessionClaim, commit: str
) -> list[Finding]:
    return _mismatch(claim, _counts_at(root, conn, commit, list_path), f"at {commit[:12]}")


def audit_flips(
    root: Path, conn: sqlite3.Connection, list_path: str, sessions: list[SessionClaim], commits: dict[str, str | None]
) -> list[Finding]:
    """Commits that raised the number of passing features while the session note committed with them
    records no passing verification."""
    findings = []
    by_commit = {c: claim for claim in sessions if (c := commits.get(claim.record_id))}
    for sha, parent in git.commits_and_parents(root, list_path):
        note = by_commit.get(sha)
        if note is None or note.verified:
            continue
        after = _counts_at(root, conn, sha, list_path) or (0, 0)
        before = (_counts_at(root, conn, parent, list_path) if parent else None) or (0, 0)
        if after[0] > before[0]:
            message = (
                f"commit {sha[:12]} set passes to true for {after[0] - before[0]} feature(s); "
                "its session note records no passing verification"
            )
            findings.append(Finding("passes-without-verification", note.record_id, message, note.path))
    return findings


def audit_change(claim: ChangeClaim) -> list[Finding]:
    """The CHG001 rule's finding (the same claim, read by `markdown.claims`), and readiness that disagrees
    with the share of blockers resolved."""
    findings = []
    done, total = claim.resolved, claim.total
    if claim.stated is not None and claim.stated[1:] != (done, total):
        message = f"claims {claim.stated[1]}/{claim.stated[2]} blockers resolved; the items say {done}/{total}"
        findings.append(Finding("blocker-count-mismatch", claim.record_id, message, claim.path, claim.stated[0]))
    share = round(100 * done / total)
    if claim.readiness is not None and claim.readiness[1] != share:
        message = f"claims {claim.readiness[1]}% ready; {done}/{total} blockers resolved is {share}%"
        findings.append(Finding("readiness-mismatch", claim.record_id, message, claim.path, claim.readiness[0]))
    return findings
