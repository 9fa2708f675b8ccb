"""`whylog add release` without a version adds its items under `## [Unreleased]` in Keep a Changelog
style (issue 13, item 7): each item after the last one of its type, a new `### Type` where the section
has none, the section made when the changelog has none; no existing line changes, and what is written
reads back as the section's old items plus the new."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli as run
from tests.strategies.changelog import TYPES, item
from whylog.markdown.readers import read_text
from whylog.markdown.writers import render
from whylog.markdown.writers.unreleased import add_to_unreleased
from whylog.model import Record, ReleaseFields

FIXTURES = Path(__file__).resolve().parent / "markdown" / "changelogs"


def _is_subsequence(old: list[str], new: list[str]) -> bool:
    rest = iter(new)
    return all(any(line == candidate for candidate in rest) for line in old)


def test_items_join_their_types_and_new_types_follow(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    before = (FIXTURES / "keep-a-changelog.md").read_text(encoding="utf-8")
    path.write_text(before, encoding="utf-8")
    code, out, err = run(
        ["-C", str(tmp_path), "add", "release", "--changes", "added=Tag search (#50)", "--changes", "Fixed=Empty lines"]
        + ["--format", "json"]
    )
    assert (code, err) == (0, "")
    written = json.loads(out)
    assert written["id"] == "REL-unreleased" and written["fields"]["issues"] == ["#41", "#50"]
    assert written["fields"]["changes"] == {
        "Added": ["Streaming export of large logs (#41)", "Tag search (#50)"],
        "Fixed": ["Empty lines"],
    }
    after = path.read_text(encoding="utf-8").splitlines()
    start = after.index("## [Unreleased]")
    assert after[start : start + 11] == [
        "## [Unreleased]",
        "",
        "### Added",
        "",
        "- Streaming export of large logs (#41)",
        "- Tag search (#50)",
        "",
        "### Fixed",
        "",
        "- Empty lines",
        "",
    ]
    assert after[start + 11] == "## [1.2.0] - 2026-01-05"
    assert _is_subsequence(before.splitlines(), after) and len(after) == len(before.splitlines()) + 5


def test_a_changelog_without_unreleased_gets_the_section_above_its_newest_release(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog\n\nIntro.\n\n## [1.0.0] - 2026-01-01\n\n- First\n\n[1.0.0]: https://x.invalid/1\n")
    code, out, err = run(["-C", str(tmp_path), "add", "release", "--changes", "fixed=Crash on start"])
    assert (code, err) == (0, "") and out == "added REL-unreleased to CHANGELOG.md:5-9\n"
    assert path.read_text(encoding="utf-8") == (
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Fixed\n\n- Crash on start\n\n"
        "## [1.0.0] - 2026-01-01\n\n- First\n\n[1.0.0]: https://x.invalid/1\n"
    )


def test_an_empty_unreleased_section_takes_the_items_and_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    path.write_bytes(b"# Changelog\r\n\r\n## [Unreleased]\r\n\r\n## [1.0.0] - 2026-01-01\r\n\r\n* First\r\n")
    code, _out, err = run(["-C", str(tmp_path), "add", "release", "--title", "Unreleased", "--changes", "Removed=X"])
    assert (code, err) == (0, "")
    assert path.read_bytes() == (
        b"# Changelog\r\n\r\n## [Unreleased]\r\n\r\n### Removed\r\n\r\n* X\r\n\r\n## [1.0.0] - 2026-01-01\r\n\r\n* First\r\n"
    )


def test_nothing_to_add_is_refused(tmp_path: Path) -> None:
    code, _out, err = run(["-C", str(tmp_path), "add", "release"])
    assert code == 2 and "--changes to add under [Unreleased]" in err and "Traceback" not in err
    assert not (tmp_path / "CHANGELOG.md").exists()


def _changelog(old: dict[str, tuple[str, ...]]) -> str:
    fields = ReleaseFields("", False, old)
    section = render(Record("REL-unreleased", "release", "Unreleased", "", fields))
    released = render(
        Record("REL-1.0.0", "release", "1.0.0", "2026-01-01", ReleaseFields("1.0.0", False, {"Added": ("One",)}))
    )
    return f"# Changelog\n\n{section}\n{released}"


CHANGES = st.dictionaries(TYPES, st.lists(item(), min_size=1, max_size=3).map(tuple), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=CHANGES, new=CHANGES)
def test_added_items_read_back_under_unreleased(
    old: dict[str, tuple[str, ...]], new: dict[str, tuple[str, ...]]
) -> None:
    text = _changelog(old)
    document = read_text(text, "CHANGELOG.md", "changelog")
    record = Record("REL-unreleased", "release", "Unreleased", "", ReleaseFields("", False, new))
    new_text, written = add_to_unreleased(document, record)
    assert _is_subsequence(text.splitlines(), new_text.splitlines())
    assert isinstance(written.fields, ReleaseFields)
    for name, items in new.items():
        assert written.fields.changes[name][-len(items) :] == items
    for name, items in old.items():
        assert written.fields.changes[name][: len(items)] == items
    reread = read_text(new_text, "CHANGELOG.md", "changelog").records
    assert [r.id for r in reread] == ["REL-unreleased", "REL-1.0.0"]
