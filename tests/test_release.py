"""Changelog releases through the CLI and the MCP-facing parts: `add release` in Keep a Changelog form,
`kind:release` and `version:` in search, the `changelog` family in the config (issue 13, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli as run
from whylog.index.query import Filter, QueryError, parse_query

FIXTURES = Path(__file__).resolve().parent / "markdown" / "changelogs"


def _changelog(root: Path, name: str = "CHANGELOG.md") -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((FIXTURES / "keep-a-changelog.md").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_add_release_goes_below_unreleased_and_changes_no_other_line(tmp_path: Path) -> None:
    path = _changelog(tmp_path)
    before = path.read_text(encoding="utf-8").splitlines()
    code, out, err = run(
        [
            "-C",
            str(tmp_path),
            "add",
            "release",
            "--version",
            "v1.3.0",
            "--date",
            "2026-02-01",
            "--changes",
            "Added=Tag search (#50)",
            "--changes",
            "Added=JSON export",
            "--changes",
            "Fixed=Empty lines",
            "--format",
            "json",
        ]
    )
    assert (code, err) == (0, "")
    written = json.loads(out)
    assert (written["id"], written["title"], written["date"]) == ("REL-1.3.0", "1.3.0", "2026-02-01")
    assert written["fields"]["changes"] == {"Added": ["Tag search (#50)", "JSON export"], "Fixed": ["Empty lines"]}
    assert written["fields"]["issues"] == ["#50"]
    after = path.read_text(encoding="utf-8").splitlines()
    start = after.index("## [1.3.0] - 2026-02-01")
    assert after[start - 4 : start] == ["### Added", "", "- Streaming export of large logs (#41)", ""]  # Unreleased
    assert after[start:][1:10] == [
        "",
        "### Added",
        "",
        "- Tag search (#50)",
        "- JSON export",
        "",
        "### Fixed",
        "",
        "- Empty lines",
    ]
    assert after[start + 11] == "## [1.2.0] - 2026-01-05"
    assert after[:start] + after[start + 11 :] == before
    code, out, _ = run(["parse", str(path), "--format", "json"])
    ids = [r["id"] for r in json.loads(out)["records"]]
    assert ids == ["REL-unreleased", "REL-1.3.0", "REL-1.2.0", "REL-1.1.1", "REL-1.1.0"]


def test_add_release_refuses_a_taken_version_and_a_bad_one_and_writes_nothing(tmp_path: Path) -> None:
    path = _changelog(tmp_path)
    before = path.read_bytes()
    code, _, err = run(["-C", str(tmp_path), "add", "release", "--version", "1.2.0", "--date", "2026-03-01"])
    assert code == 2 and err == "whylog: error: CHANGELOG.md: already has a release 1.2.0; edit it in place\n"
    code, _, err = run(["-C", str(tmp_path), "add", "release", "--version", "1.x"])
    assert (
        code == 2
        and "release version '1.x' (--version, or fields.version in JSON) is not a version" in err
        and "Traceback" not in err
    )
    code, _, err = run(["-C", str(tmp_path), "add", "release"])
    assert code == 2 and "a release needs a --version" in err
    assert path.read_bytes() == before


def test_add_release_starts_a_changelog_and_reads_back_as_given(tmp_path: Path) -> None:
    envelope = {
        "kind": "release",
        "date": "2026-04-02",
        "fields": {"version": "0.2.0", "changes": {"Changed": ["Faster index"]}, "compare": "https://x.invalid/c"},
    }
    code, out, err = run(
        ["-C", str(tmp_path), "add", "release", "--json", "-", "--format", "json"], json.dumps(envelope)
    )
    assert (code, err) == (0, "")
    text = (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text == (
        "# Changelog\n\n## [0.2.0] - 2026-04-02\n\n### Changed\n\n- Faster index\n\n[0.2.0]: https://x.invalid/c\n\n"
    )
    assert json.loads(out)["fields"]["compare"] == "https://x.invalid/c"


def test_search_kind_release_and_version_filter(tmp_path: Path) -> None:
    path = _changelog(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "## [1.2.0] - 2026-01-05",
            "## [1.20.0] - 2026-03-01\n\n- Twenty\n\n## [1.2.1] - 2026-02-01\n\n- Patch\n\n## [1.2.0] - 2026-01-05",
        ),
        encoding="utf-8",
    )
    code, out, err = run(["-C", str(tmp_path), "search", "version:1.2", "--format", "json"])
    assert (code, err) == (0, "")
    assert sorted(hit["id"] for hit in json.loads(out)) == ["REL-1.2.0", "REL-1.2.1"]
    code, out, _ = run(["-C", str(tmp_path), "search", "kind:release version:v1.1.1", "--format", "json"])
    assert [hit["id"] for hit in json.loads(out)] == ["REL-1.1.1"]
    code, out, _ = run(["-C", str(tmp_path), "search", "kind:release export", "--format", "json"])
    assert {hit["id"] for hit in json.loads(out)} == {"REL-unreleased", "REL-1.2.0"}
    code, _, err = run(["-C", str(tmp_path), "search", "version:next"])
    assert code == 2 and "version:next is not a version" in err


def test_version_filter_in_the_query_grammar() -> None:
    assert parse_query("version:V1.2 pool").filters == (Filter("version", "=", "1.2"),)
    assert parse_query("version:Unreleased").filters == (Filter("version", "=", "unreleased"),)
    with pytest.raises(QueryError, match="column 6: version:1.2x is not a version"):
        parse_query("pool version:1.2x")


def test_config_accepts_the_changelog_family_and_changes_files_that_are_changelogs(tmp_path: Path) -> None:
    _changelog(tmp_path, "notes/VERSIONS.md")
    (tmp_path / "whylog.toml").write_text('[sources]\n"notes/VERSIONS.md" = "changelog"\n', encoding="utf-8")
    code, out, err = run(["-C", str(tmp_path), "list", "--kind", "release", "--format", "json"])
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == 4
    (tmp_path / "whylog.toml").unlink()
    _changelog(tmp_path, "docs/changes/CHANGELOG.md")  # docs/changes/*.md is the `changes` family by default
    code, out, _ = run(["-C", str(tmp_path), "list", "--kind", "release", "--format", "json"])
    assert {r["source"]["path"] for r in json.loads(out)} == {"docs/changes/CHANGELOG.md"}
    (tmp_path / "whylog.toml").write_text('[sources]\n"X.md" = "changelogs"\n', encoding="utf-8")
    code, _, err = run(["-C", str(tmp_path), "list"])
    assert code == 2 and "changelog" in err and "'changelogs'" in err


def test_init_finds_changelogs_by_name_and_by_content(tmp_path: Path) -> None:
    (tmp_path / "HISTORY.md").write_text((FIXTURES / "changesets.md").read_text(encoding="utf-8"), encoding="utf-8")
    _changelog(tmp_path, "docs/changes/CHANGELOG.md")
    note = "# Change Log: Pool fix\n\n## Date\n2026-01-02\n\n## Summary\nFixed the pool.\n"
    (tmp_path / "docs" / "changes" / "2026-01-02-pool.md").write_text(note, encoding="utf-8")
    code, out, err = run(["-C", str(tmp_path), "init", "--no-merge-driver"])
    assert (code, err) == (0, "")
    rows = [line.split()[:3] for line in out.splitlines()[1:]]
    assert rows == [
        ["HISTORY.md", "changelog", "3"],
        ["docs/changes/2026-01-02-pool.md", "changes", "1"],
        ["docs/changes/CHANGELOG.md", "changelog", "4"],
    ]
    assert '"HISTORY.md" = "changelog"' in (tmp_path / "whylog.toml").read_text(encoding="utf-8")
