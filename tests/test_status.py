"""whylog status: progress from the seeds, the claim audits (counts, readiness, features at the session's
commit, passes set without verification) and the HTML page with its chart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SEED_PLACES, copy_seeds
from tests.scripted_git import Repo
from whylog.cli import cli
from whylog.lifecycle.render import status_html, status_json
from whylog.lifecycle.status import status
from whylog.repo import Config

PLACES = SEED_PLACES
RULE = "=" * 80


def change_doc(
    title: str = "Crafted", claim: str = "1/2 (50%)", after: int = 50, commands: tuple[str, ...] = ()
) -> str:
    tests = "".join(f"### Check {n}\n\n```bash\n{c}\n```\n\n" for n, c in enumerate(commands, 1))
    return (
        f"# Change Log: {title}\n\n## Date\n2026-01-02\n\n## Overview\n\n**Blockers Resolved**: {claim}\n\n"
        "## Changes\n\n### Blocker 1: First\n\n**Status**: **RESOLVED**\n\n**Files Modified**:\n"
        "- `src/app.py` - changed\n\n### Blocker 2: Second\n\n**Status**: **NOT STARTED**\n\n"
        f"## Testing\n\n{tests}### Production Readiness\n\n**Before**: 0% ready\n**After**: {after}% ready\n"
    )


def session_note(number: int, passing: int, total: int, verified: bool = True) -> str:
    text = (
        f"{RULE}\nDEMO - SESSION {number} PROGRESS SUMMARY\n{RULE}\n\nDate: January {number}, 2026\n"
        f"Session: {number} of Many\nStatus: COMPLETE\n\n{RULE}\nACCOMPLISHMENTS\n{RULE}\n\n"
        f"✅ 1. Did things\n   - {passing}/{total} features now passing\n"
    )
    if verified:
        text += f"\n{RULE}\nVERIFICATION TESTS PERFORMED\n{RULE}\n\n✅ Feature #1: thing\n   - It works ✅\n"
    return text


def feature_list(passing: int, total: int) -> str:
    items = [
        {"id": n, "category": "core", "description": f"feature {n}", "steps": [], "passes": n <= passing}
        for n in range(1, total + 1)
    ]
    return json.dumps(items, indent=2) + "\n"


def write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_the_seeds_give_their_claims(tmp_path: Path) -> None:
    copy_seeds(tmp_path, PLACES)
    state = status(Config(tmp_path))
    assert [(p.record_id, p.number, p.passing, p.total) for p in state.trend] == [("SES-006", 6, 14, 679)]
    [tally] = state.blockers
    assert (tally.resolved, tally.total, tally.readiness) == (7, 10, 70)
    assert not [f for f in state.findings if f.code in ("blocker-count-mismatch", "readiness-mismatch")]
    kinds = {item.kind for item in state.open_items}
    assert {"objective", "risk", "blocker", "prevention"} <= kinds
    assert any("bulk operations" in i.text for i in state.open_items if i.kind == "blocker")
    assert any("not in git" in note for note in state.notes)


def test_a_wrong_count_and_readiness_are_flagged(tmp_path: Path) -> None:
    write(tmp_path, "docs/changes/crafted.md", change_doc(claim="2/2 (100%)", after=100))
    state = status(Config(tmp_path))
    codes = sorted(f.code for f in state.findings)
    assert codes == ["blocker-count-mismatch", "readiness-mismatch"]
    found = next(f for f in state.findings if f.code == "blocker-count-mismatch")
    assert (found.path, found.line) == ("docs/changes/crafted.md", 8)
    assert "2/2" in found.message and "1/2" in found.message
    ready = next(f for f in state.findings if f.code == "readiness-mismatch")
    lines = (tmp_path / "docs/changes/crafted.md").read_text(encoding="utf-8").splitlines()
    assert lines[ready.line - 1] == "**After**: 100% ready" and "50%" in ready.message


def test_a_right_change_doc_is_not_flagged(tmp_path: Path) -> None:
    write(tmp_path, "docs/changes/crafted.md", change_doc())
    assert status(Config(tmp_path)).findings == ()


def test_outside_git_the_newest_note_is_compared_with_the_working_copy(tmp_path: Path) -> None:
    write(tmp_path, "progress/session-001.txt", session_note(1, 5, 10))
    write(tmp_path, "feature_list.json", feature_list(4, 10))
    state = status(Config(tmp_path))
    assert state.features == (4, 10)
    assert [f.code for f in state.findings] == ["feature-count-at-commit"]
    assert "working copy" in state.findings[0].message


def test_a_claim_is_checked_against_the_list_at_its_commit(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    write(tmp_path, "feature_list.json", feature_list(4, 10))
    write(tmp_path, "progress/session-001.txt", session_note(1, 5, 10))
    first = repo.commit("session 1 claims 5/10 with 4 passing")
    write(tmp_path, "feature_list.json", feature_list(5, 10))  # fixed later: HEAD agrees, the claim did not
    write(tmp_path, "progress/session-002.txt", session_note(2, 5, 10))
    repo.commit("session 2")
    state = status(Config(tmp_path))
    assert [(p.number, p.passing) for p in state.trend] == [(1, 5), (2, 5)]
    [found] = [f for f in state.findings if f.code == "feature-count-at-commit"]
    assert found.record_id == "SES-001"
    assert f"at {first[:12]} has 4/10" in found.message
    assert found.line == 14


def test_passes_set_in_a_commit_without_verification_is_flagged(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    write(tmp_path, "feature_list.json", feature_list(2, 10))
    write(tmp_path, "progress/session-001.txt", session_note(1, 2, 10))
    repo.commit("session 1")
    write(tmp_path, "feature_list.json", feature_list(3, 10))
    write(tmp_path, "progress/session-002.txt", session_note(2, 3, 10, verified=False))
    repo.commit("session 2 marks a feature passing without a test")
    write(tmp_path, "feature_list.json", feature_list(4, 10))
    write(tmp_path, "progress/session-003.txt", session_note(3, 4, 10))
    repo.commit("session 3, verified")
    findings = status(Config(tmp_path)).findings
    assert [(f.code, f.record_id) for f in findings] == [("passes-without-verification", "SES-002")]


def test_html_has_a_chart_and_escapes_record_text(tmp_path: Path) -> None:
    write(tmp_path, "docs/changes/crafted.md", change_doc(title="<script>alert(1)</script>", claim="2/2"))
    write(tmp_path, "progress/session-001.txt", session_note(1, 2, 10))
    write(tmp_path, "progress/session-002.txt", session_note(2, 3, 10))
    page = status_html(status(Config(tmp_path)))
    assert "<svg" in page and "<polyline" in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_cli_status_formats(tmp_path: Path) -> None:
    write(tmp_path, "docs/changes/crafted.md", change_doc())
    runner = CliRunner()
    text = runner.invoke(cli, ["-C", str(tmp_path), "status"])
    assert text.exit_code == 0, text.output
    assert "CHG-2026-01-02-crafted: 1/2 resolved (50%), 50% ready claimed" in text.output
    data = runner.invoke(cli, ["-C", str(tmp_path), "status", "--format", "json"])
    assert json.loads(data.output) == status_json(status(Config(tmp_path)))
    out = tmp_path / "status.html"
    page = runner.invoke(cli, ["-C", str(tmp_path), "status", "--format", "html", "-o", str(out)])
    assert page.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")
    shutil.rmtree(tmp_path / ".whylog", ignore_errors=True)


def _answers(root: Path) -> dict[str, str]:
    import sqlite3

    conn = sqlite3.connect(root / ".whylog" / "index.sqlite3")
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM git_answers")}
    finally:
        conn.close()


def test_git_answers_are_kept_and_change_when_their_file_is_committed(tmp_path: Path) -> None:
    """The commit of a claim's line is kept in the index under the file's content and its blob at HEAD:
    the same status again asks git nothing new, and committing the note (same content) gives its commit."""
    repo = Repo(tmp_path)
    write(tmp_path, "feature_list.json", feature_list(4, 10))
    repo.commit("the list")
    write(tmp_path, "progress/session-001.txt", session_note(1, 5, 10))
    state = status(Config(tmp_path))
    [found] = [f for f in state.findings if f.code == "feature-count-at-commit"]
    assert "not committed yet" in found.message
    kept = _answers(tmp_path)
    assert [v for k, v in kept.items() if k.startswith("blame")] == [""]
    assert status(Config(tmp_path)) == state and _answers(tmp_path) == kept
    commit = repo.commit("session 1")
    [found] = [f for f in status(Config(tmp_path)).findings if f.code == "feature-count-at-commit"]
    assert f"at {commit[:12]} has 4/10" in found.message
    assert commit in _answers(tmp_path).values()


def test_open_items_and_claims_come_from_the_index_in_file_order(tmp_path: Path) -> None:
    write(tmp_path, "docs/changes/b.md", change_doc(title="B"))
    write(tmp_path, "docs/changes/a.md", change_doc(title="A", claim="2/2 (100%)"))
    state = status(Config(tmp_path))
    assert [t.title for t in state.blockers] == ["A", "B"]
    assert [(t.resolved, t.total, t.readiness) for t in state.blockers] == [(1, 2, 50), (1, 2, 50)]
    assert [(f.code, f.path) for f in state.findings] == [("blocker-count-mismatch", "docs/changes/a.md")]
    (tmp_path / "docs/changes/a.md").unlink()  # the next status syncs: the file's claims go with it
    assert [t.title for t in status(Config(tmp_path)).blockers] == ["B"]
