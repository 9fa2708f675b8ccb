"""Changelogs read as one `release` per version section, in every shape the fixtures show (issue 13,
item 2), and the Keep a Changelog writer reads back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.conftest import GOLDEN, check_golden
from tests.markdown.corpus import scraps
from tests.strategies.changelog import releases
from whylog.markdown.document import document_json
from whylog.markdown.readers import detect_family, read_path, read_text
from whylog.markdown.readers.changelog import read_heading
from whylog.markdown.writers import render
from whylog.model import Record, ReleaseFields, from_json, to_json

FIXTURES = Path(__file__).resolve().parent / "changelogs"
SHAPES = sorted(p.stem for p in FIXTURES.glob("*.md"))


@pytest.mark.parametrize("name", SHAPES)
def test_golden(name: str, update_goldens: bool) -> None:
    doc = read_path(str(FIXTURES / f"{name}.md"), display=f"{name}.md")
    assert doc.family == "changelog"
    assert doc.records and all(r.kind == "release" for r in doc.records)
    assert doc.unstructured == []
    check_golden(document_json(doc), GOLDEN / "changelogs" / f"{name}.json", update_goldens)


def _release(name: str, ident: str) -> Record:
    doc = read_path(str(FIXTURES / f"{name}.md"), display=f"{name}.md")
    return next(r for r in doc.records if r.id == ident)


def test_keep_a_changelog_fields() -> None:
    unreleased = _release("keep-a-changelog", "REL-unreleased")
    assert (unreleased.title, unreleased.date) == ("Unreleased", "")
    assert unreleased.fields == ReleaseFields(
        "", False, {"Added": ("Streaming export of large logs (#41)",)}, unreleased.fields.compare, ("#41",)
    )
    assert unreleased.fields.compare.endswith("/compare/v1.2.0...HEAD")
    current = _release("keep-a-changelog", "REL-1.2.0")
    assert isinstance(current.fields, ReleaseFields)
    assert (current.date, list(current.fields.changes), current.fields.issues) == (
        "2026-01-05",
        ["Added", "Fixed"],
        ("#37", "#35"),
    )
    assert current.fields.compare.endswith("/compare/v1.1.1...v1.2.0")
    yanked = _release("keep-a-changelog", "REL-1.1.1")
    assert isinstance(yanked.fields, ReleaseFields) and yanked.fields.yanked


def test_a_version_heading_without_a_date_is_reported_as_info() -> None:
    doc = read_path(str(FIXTURES / "keep-a-changelog.md"), display="CHANGELOG.md")
    assert [(d.code, d.severity, d.source.start_line) for d in doc.diagnostics] == [("PRS070", "info", 28)]


def test_each_shape_gives_version_and_date() -> None:
    assert [(r.id, r.date) for r in read_path(str(FIXTURES / "semantic-release.md")).records] == [
        ("REL-3.1.0", "2026-05-30"),
        ("REL-3.0.2", "2026-05-20"),
        ("REL-3.0.0", "2026-04-01"),
    ]
    assert _release("changelogen", "REL-1.0.3").date == "2024-07-22"
    assert _release("changelogen", "REL-1.0.3").fields.compare.endswith("compare/v1.0.2...v1.0.3")  # type: ignore[union-attr]
    assert list(_release("changesets", "REL-1.11.2").fields.changes) == ["Patch Changes"]  # type: ignore[union-attr]
    assert [(r.id, r.title) for r in read_path(str(FIXTURES / "dated.md")).records] == [
        ("REL-0.6.3.23", "0.6.3.23"),
        ("REL-2026-06-20", "Search by tag"),
        ("REL-2026-05-02", "2026-05-02"),
    ]
    assert _release("parenthesized", "REL-2.4.0").fields.issues == ("#210", "#207")  # type: ignore[union-attr]


def test_changelog_names_and_content_choose_the_family() -> None:
    changelog = (FIXTURES / "keep-a-changelog.md").read_text()
    names = ("CHANGELOG.md", "docs/CHANGELOG-2025.md", "HISTORY.md", "RELEASES.md", "release-notes.md", "NEWS.md")
    for name in names:
        assert detect_family(changelog, name) == "changelog", name
    assert detect_family(changelog, "CHANGES.md") == "changelog"
    assert detect_family(changelog, "docs/changes/CHANGELOG.md") == "changelog"
    change_doc = "# Change Log: Pool fix\n\n## Date\n2026-01-02\n\n## Summary\nFixed the pool.\n"
    assert detect_family(change_doc, "docs/changes/2026-01-02-pool.md") == "changes"
    assert detect_family(change_doc, "CHANGES.md") == "changes"
    # the config's family for docs/changes/*.md is `changes`: a changelog there still reads as releases
    doc = read_text(changelog, "docs/changes/CHANGELOG.md", kind="changes")
    assert {r.kind for r in doc.records} == {"release"}
    assert read_text(change_doc, "docs/changes/x.md", kind="changes").records[0].kind == "change"


def test_a_changelog_without_release_headings_is_read_by_the_general_reader() -> None:
    doc = read_text("# Changelog\n\n## 2026-01-02 Fixed the pool\n\nDetails.\n", "CHANGELOG.md")
    assert [(r.kind, r.date) for r in doc.records] == [("release", "2026-01-02")]
    text = "# Changelog\n\n## Pool work\n\nDetails of it.\n\n## Cache work\n\nMore.\n"
    assert all(r.kind == "change" for r in read_text(text, "CHANGELOG.md").records)


def test_release_envelope_validation() -> None:
    record = _release("keep-a-changelog", "REL-1.2.0")
    assert from_json(to_json(record)) == record
    bad = to_json(record)
    bad["fields"]["changes"]["Added"] = 3
    with pytest.raises(ValueError, match=r"fields\.changes\.Added: expected an array"):
        from_json(bad)
    bad = to_json(record)
    bad["fields"]["yanked"] = "no"
    with pytest.raises(ValueError, match=r"fields\.yanked: expected a boolean"):
        from_json(bad)


@settings(max_examples=100, deadline=None)
@given(releases())
def test_release_round_trip(record: Record) -> None:
    doc = read_text("# Changelog\n\n" + render(record), "CHANGELOG.md")
    assert [r.without_source() for r in doc.records] == [record]
    assert doc.unstructured == []


FRAGMENTS = [
    "# Changelog",
    "## [Unreleased]",
    "## [1.2.0] - 2026-01-05",
    "## 1.0.0 (2026-01-01)",
    "# [1.23.0](https://x.invalid/compare/a...b) (2026-05-30)",
    "## 2026-06-20 — title",
    "### Added",
    "**Fixed**",
    "- item (#12)",
    "  - nested",
    "[1.2.0]: https://x.invalid/compare/v1...v2",
    "[YANKED]",
    "```",
    "---",
]


@settings(max_examples=100, deadline=None)
@given(scraps(FRAGMENTS))
def test_arbitrary_text_never_fails(text: str) -> None:
    doc = read_text(text, "CHANGELOG.md")
    spans = sorted((r.source.start_line, r.source.end_line) for r in doc.records if r.source)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert doc.render() == text


def test_two_releases_on_one_day_get_distinct_ids_and_keep_their_brackets() -> None:
    text = "# Changelog\n\n## 2026-06-19 — Score update (no changes)\n\n- a\n\n## 2026-06-19 — New index\n\n- b\n"
    doc = read_text(text, "CHANGELOG.md")
    assert [(r.id, r.title) for r in doc.records] == [
        ("REL-2026-06-19", "Score update (no changes)"),
        ("REL-2026-06-19-2", "New index"),
    ]


def test_a_change_note_titled_by_its_version_stays_a_change_document() -> None:
    note = "# v0.2.0 Manifest work — 2026-07-25\n\n## Scope\n\nThe manifest.\n\n## Verification\n\n- tests pass\n"
    assert detect_family(note, "docs/changes/2026-07-25-v0.2.0-manifest.md") == "changes"
    two = "# [3.1.0](https://x.invalid/c) (2026-05-30)\n\n- a\n\n# [3.0.0](https://x.invalid/d) (2026-04-01)\n\n- b\n"
    assert detect_family(two, "docs/changes/notes.md") == "changelog"


@pytest.mark.parametrize(
    "heading, version, date, yanked, unreleased",
    [
        ("[1.2.0] - 2026-01-05", "1.2.0", "2026-01-05", False, False),
        ("1.2.0 (2026-01-05)", "1.2.0", "2026-01-05", False, False),
        ("[1.23.0](https://x.invalid/compare/v1.22.0...v1.23.0) (2026-05-30)", "1.23.0", "2026-05-30", False, False),
        ("v1.0.3 - 2024-7-22", "1.0.3", "2024-07-22", False, False),
        ("[0.9.1] - 2025-01-02 [YANKED]", "0.9.1", "2025-01-02", True, False),
        ("2.0.0-rc.1", "2.0.0-rc.1", "", False, False),
        ("2026-08-19 · 0.6.3.23", "0.6.3.23", "2026-08-19", False, False),
        ("2026-06-20 — Search by tag", "", "2026-06-20", False, False),
        ("[Unreleased]", "", "", False, True),
        ("Unreleased - 2026-xx-xx", "", "", False, True),
    ],
)
def test_release_headings(heading: str, version: str, date: str, yanked: bool, unreleased: bool) -> None:
    head = read_heading(heading)
    assert head is not None
    assert (head.version, head.date, head.yanked, head.unreleased) == (version, date, yanked, unreleased)


@pytest.mark.parametrize(
    "heading", ["Next steps", "Added", "Unreleased changes are listed here", "Python 3.12 support"]
)
def test_headings_that_name_no_release(heading: str) -> None:
    assert read_heading(heading) is None
