"""The ADR and REL rules' scope and fixes beyond their one-finding fixtures: where they stay silent (dev
log ADR indexes, decision logs, changelogs of other tools), what --fix writes, links that resolve."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.rules.test_fixtures import FIXTURES, NOW, fixture_repo
from whylog.lint import fix_paths, lint_paths
from whylog.repo import read_config

CHANGELOGS = Path(__file__).resolve().parent.parent / "markdown" / "changelogs"


def _codes(root: Path, prefix: str) -> list[tuple[str, int]]:
    found = lint_paths(read_config(root), now=NOW)
    return [(d.code, d.source.start_line) for d in found if d.code.startswith(prefix)]


def test_status_and_date_rules_leave_decision_logs_and_dev_log_indexes_alone(tmp_path: Path) -> None:
    (tmp_path / "DECISIONS.md").write_text(
        "# Decisions\n\n## 2026-01-02: Use Postgres\n\nWe chose Postgres.\n\n## Keep a monolith\n\nFor now.\n"
    )
    shutil.copyfile(FIXTURES / "ADR001.md", tmp_path / "DEVLOG.md")
    assert [c for c in _codes(tmp_path, "ADR") if c[0] != "ADR001"] == []


def test_a_supersession_link_to_a_decision_that_exists_resolves(tmp_path: Path) -> None:
    target = fixture_repo("ADR006", tmp_path)
    assert _codes(tmp_path, "ADR") == [("ADR006", 7)]
    other = (
        target.read_text().replace("# 4. Use Redis", "# 19. Use Valkey").replace("Superseded by ADR-019", "Accepted")
    )
    (target.parent / "0019-use-valkey.md").write_text(other)
    assert _codes(tmp_path, "ADR") == []


def test_fixes_write_the_status_the_unreleased_section_and_the_type(tmp_path: Path) -> None:
    target = fixture_repo("ADR004", tmp_path / "a")
    fix_paths(read_config(tmp_path / "a"), now=NOW)
    assert "\n## Status\n\nAccepted\n" in target.read_text()
    target = fixture_repo("REL003", tmp_path / "b")
    fix_paths(read_config(tmp_path / "b"), now=NOW)
    assert (
        "file, in the\n[Keep a Changelog](https://keepachangelog.com/en/1.1.0/) format.\n\n## [Unreleased]\n\n## [1.3.0]"
        in (target.read_text())
    )
    target = fixture_repo("REL004", tmp_path / "c")
    fix_paths(read_config(tmp_path / "c"), now=NOW)
    assert "### Fixed\n\n- Crash on empty files" in target.read_text()


def test_changelogs_of_other_tools_need_no_unreleased_section_nor_dates(tmp_path: Path) -> None:
    for name in ("changesets", "semantic-release"):
        root = tmp_path / name
        root.mkdir()
        shutil.copyfile(CHANGELOGS / f"{name}.md", root / "CHANGELOG.md")
        assert _codes(root, "REL") == [], name


def test_change_types_other_tools_and_languages_write_are_known(tmp_path: Path) -> None:
    text = (FIXTURES / "REL004.md").read_text()
    kinds = "### Bug Fixes\n\n- a\n\n### 🚀 Enhancements\n\n- b\n\n### Fixed — three leaks in the TURN path\n\n- c\n\n"
    kinds += "### ✨ 新增文档\n\n- d\n\n### Migration Example From Older Versions\n\n- e\n\n"
    (tmp_path / "CHANGELOG.md").write_text(text.replace("### Fxed\n\n", kinds))
    assert _codes(tmp_path, "REL") == []
    (tmp_path / "CHANGELOG.md").write_text(text.replace("### Fxed", "### Stuff"))
    found = lint_paths(read_config(tmp_path), now=NOW)
    assert [(d.code, d.message, d.hint) for d in found] == [
        ("REL004", "unknown change type 'Stuff'", "use one of Added, Changed, Deprecated, Removed, Fixed, Security")
    ]


def test_fix_puts_releases_in_version_order_moving_each_section_whole(tmp_path: Path) -> None:
    text = (
        FIXTURES / "REL001.md"
    ).read_text() + "\n## [1.0.0] - 2025-11-01\n\n- Start\n\n[1.0.0]: https://x.invalid/1\n"
    text = text.replace("## [1.1.0] - 2025-12-01", "## [1.10.0] - 2026-03-01")
    (tmp_path / "CHANGELOG.md").write_text(text)
    fix_paths(read_config(tmp_path), now=NOW)
    after = (tmp_path / "CHANGELOG.md").read_text()
    headings = [line for line in after.splitlines() if line.startswith("## ")]
    assert headings == [
        "## [Unreleased]",
        "## [1.10.0] - 2026-03-01",
        "## [1.3.0] - 2026-02-01",
        "## [1.2.0] - 2026-01-05",
        "## [1.0.0] - 2025-11-01",
    ]
    assert sorted(after.splitlines()) == sorted(text.splitlines()) and after.endswith("[1.0.0]: https://x.invalid/1\n")
    assert _codes(tmp_path, "REL") == []
