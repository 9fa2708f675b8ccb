"""Claims a record makes in its own text, found with their lines (what `status` audits from the index)."""

from __future__ import annotations

from whylog.markdown.claims import Claim, claims
from whylog.markdown.readers import read_text

CHANGE = (
    "# Change Log: Pool\n\n## Date\n2026-01-02\n\n## Overview\n\n**Blockers Resolved**: 2/2 (100%)\n\n"
    "## Changes\n\n### Blocker 1: First\n\n**Status**: **RESOLVED**\n\n### Blocker 2: Second\n\n"
    "**Status**: **NOT STARTED**\n\n## Testing\n\n### Production Readiness\n\n**Before**: 0% ready\n"
    "**After**: 50% ready\n"
)


def test_a_change_document_states_its_blockers_and_readiness_on_their_lines() -> None:
    document = read_text(CHANGE, "docs/changes/pool.md")
    [record] = document.records
    assert claims(record, document.lines) == [
        Claim("blockers", 1, 1, 2),
        Claim("blockers-claimed", 8, 2, 2),
        Claim("readiness", 25, 50),
    ]
    assert document.lines.line(25) == "**After**: 50% ready"


def test_without_the_lines_claims_sit_on_the_first_line() -> None:
    document = read_text(CHANGE, "docs/changes/pool.md")
    [record] = document.records
    assert claims(record, None) == [Claim("blockers", 1, 1, 2), Claim("readiness", 1, 50)]


def test_a_session_note_states_its_number_verification_and_feature_count() -> None:
    rule = "=" * 80
    text = (
        f"{rule}\nDEMO - SESSION 3 PROGRESS SUMMARY\n{rule}\n\nDate: January 3, 2026\nSession: 3 of Many\n"
        f"Status: COMPLETE\n\n{rule}\nACCOMPLISHMENTS\n{rule}\n\n✅ 1. Did things\n   - 7/10 features now passing\n"
    )
    document = read_text(text, "progress/session-003.txt")
    [record] = document.records
    found = claims(record, document.lines)
    assert found == [Claim("session", 1, 3), Claim("verified", 1, 0), Claim("features", 14, 7, 10)]
    assert "7/10" in document.lines.line(14)


def test_records_that_claim_nothing_have_no_claims() -> None:
    document = read_text("## 2026-01-02 10:00 UTC - Entry\n**Type:** Bug Fix\n", "SYSTEM_LOG.md")
    assert [claims(r, document.lines) for r in document.records] == [[]]
