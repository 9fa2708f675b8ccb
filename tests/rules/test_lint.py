"""The lint engine: --fix, suppression, [lint] config, SARIF, the CLI's exit codes, and the seeds."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import copy_seeds
from tests.rules.test_fixtures import FIXTURES, NOW, fixture_repo
from whylog.cli import cli, main
from whylog.lint import fix_paths, lint_paths
from whylog.lint.rules.registry import RULES
from whylog.model.errors import ConfigError
from whylog.repo import read_config

MECHANICAL = {code for code, rule in RULES.items() if rule.fixable}


def _codes(root: Path) -> list[str]:
    return [d.code for d in lint_paths(read_config(root), now=NOW)]


# --- fix -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(MECHANICAL))
def test_fix_clears_the_finding_and_leaves_other_lines_alone(code: str, tmp_path: Path) -> None:
    target = fixture_repo(code, tmp_path)
    before = target.read_bytes().decode().splitlines(keepends=True)
    line = lint_paths(read_config(tmp_path), now=NOW)[0].source.start_line
    applied, left = fix_paths(read_config(tmp_path), now=NOW)
    assert applied >= 1 and left == []
    after = target.read_bytes().decode().splitlines(keepends=True)
    if RULES[code].reorders:  # the entries (or releases) move whole: same lines, another order
        assert sorted(after) == sorted(before) and after != before
        return
    assert before[: line - 1] == after[: line - 1]
    tail = len(before) - line
    assert before[line:] == after[len(after) - tail :]


def test_fixed_lines_read_as_the_template_says(tmp_path: Path) -> None:
    for code in ("ENT003", "ENT005", "FIL003"):
        shutil.rmtree(tmp_path / code, ignore_errors=True)
        target = fixture_repo(code, tmp_path / code)
        fix_paths(read_config(tmp_path / code), now=NOW)
        text = target.read_text()
        assert "**Type:** Bug Fix\n" in text
        assert "---\n\n## 2026-03-18 09:15 UTC - Fixed connection pool exhaustion in the backend\n" in text


def test_fix_keeps_crlf_line_endings(tmp_path: Path) -> None:
    text = (FIXTURES / "FIL003.md").read_text().replace("\n", "\r\n")
    (tmp_path / "SYSTEM_LOG.md").write_bytes(text.encode())
    fix_paths(read_config(tmp_path), now=NOW)
    data = (tmp_path / "SYSTEM_LOG.md").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"") and b"---\r\n\r\n## 2026-03-18" in data


def test_fix_on_a_clean_file_writes_nothing(tmp_path: Path) -> None:
    shutil.copyfile(FIXTURES / "FIL002.md", tmp_path / "SYSTEM_LOG.md")
    stamp = (tmp_path / "SYSTEM_LOG.md").stat().st_mtime_ns
    assert fix_paths(read_config(tmp_path), now=NOW) == (0, [])
    assert (tmp_path / "SYSTEM_LOG.md").stat().st_mtime_ns == stamp


# --- suppression and config ----------------------------------------------------------------------


def _with_comment(tmp_path: Path, code: str, comment: str, before: str) -> list[str]:
    target = fixture_repo(code, tmp_path)
    target.write_text(target.read_text().replace(before, comment + "\n" + before, 1))
    return _codes(tmp_path)


def test_disable_before_the_record_heading(tmp_path: Path) -> None:
    heading = "## 2026-03-18 09:15 UTC - Fixed connection pool"
    assert _with_comment(tmp_path, "ENT004", "<!-- whylog: disable=ENT004 -->", heading) == []


def test_disable_on_the_heading_line(tmp_path: Path) -> None:
    target = fixture_repo("ENT013", tmp_path)
    target.write_text(target.read_text().replace("Fixed stuff", "Fixed stuff <!-- whylog: disable=ENT013 -->"))
    assert "ENT013" not in _codes(tmp_path)


def test_disable_for_another_code_keeps_the_finding(tmp_path: Path) -> None:
    heading = "## 2026-03-18 09:15 UTC - Fixed connection pool"
    assert _with_comment(tmp_path, "ENT004", "<!-- whylog: disable=ENT013 -->", heading) == ["ENT004"]


def test_disable_file_anywhere(tmp_path: Path) -> None:
    assert _with_comment(tmp_path, "FIL003", "<!-- whylog: disable-file=FIL003 -->", "# System Log") == []


def test_config_ignore_select_and_severity(tmp_path: Path) -> None:
    fixture_repo("ENT004", tmp_path)
    (tmp_path / "whylog.toml").write_text('[lint]\nignore = ["ENT004"]\n')
    assert _codes(tmp_path) == []
    (tmp_path / "whylog.toml").write_text('[lint]\nselect = ["FIL"]\n')
    assert _codes(tmp_path) == []
    (tmp_path / "whylog.toml").write_text('[lint]\nseverity = { ENT004 = "error" }\n')
    assert [d.severity for d in lint_paths(read_config(tmp_path), now=NOW)] == ["error"]


def test_bad_lint_config_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "whylog.toml").write_text('[lint]\nseverity = { NOPE001 = "loud" }\n')
    with pytest.raises(ConfigError):
        lint_paths(read_config(tmp_path))


# --- CLI -----------------------------------------------------------------------------------------


def _run(root: Path, *args: str) -> tuple[int, str]:
    """The real entry point, with its exit-code mapping; findings on stdout."""
    result = CliRunner().invoke(_entry, ["-C", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx: click.Context) -> None:
    main(list(ctx.args))


def test_cli_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    fixture_repo("ENT004", tmp_path)  # one warning
    code, out = _run(tmp_path, "lint")
    assert code == 0
    assert out.splitlines()[0] == "SYSTEM_LOG.md:24:1: ENT004 modified file backend/config.py has no line numbers"
    assert out.splitlines()[-1] == "1 finding (1 warning) in 1 file"
    assert _run(tmp_path, "lint", "--fail-on", "warning")[0] == 1
    assert _run(tmp_path, "lint", "--fail-on", "nope")[0] == 2


def test_cli_error_exits_1_and_clean_exits_0(tmp_path: Path) -> None:
    fixture_repo("ENT002", tmp_path)
    assert _run(tmp_path, "lint")[0] == 1
    shutil.copyfile(FIXTURES / "FIL002.md", tmp_path / "SYSTEM_LOG.md")
    assert _run(tmp_path, "lint", str(tmp_path / "SYSTEM_LOG.md")) == (0, "no findings\n")


def test_cli_json_and_sarif(tmp_path: Path) -> None:
    fixture_repo("ENT002", tmp_path)
    code, out = _run(tmp_path, "lint", "--format", "json")
    assert code == 1 and [d["code"] for d in json.loads(out)] == ["ENT002"]
    code, out = _run(tmp_path, "lint", "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == list(RULES)
    (result,) = run["results"]
    assert result["ruleId"] == "ENT002" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "SYSTEM_LOG.md"}, "region": {"startLine": 21, "startColumn": 1}}


def test_cli_missing_path_is_bad_input(tmp_path: Path) -> None:
    assert _run(tmp_path, "lint", str(tmp_path / "nope.md"))[0] == 2


def test_cli_fix(tmp_path: Path) -> None:
    fixture_repo("FIL003", tmp_path)
    code, out = _run(tmp_path, "lint", "--fix")
    assert code == 0 and out.splitlines()[-1] == "no findings"


def test_rules_lists_every_rule_and_shows_docs() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0 and len(result.output.splitlines()) == len(RULES)
    for code, rule in RULES.items():
        shown = CliRunner().invoke(cli, ["rules", code.lower()])
        assert shown.exit_code == 0 and shown.output.startswith(f"{code} ({rule.name})")
        assert rule.summary and rule.rationale and rule.bad_example and rule.good_example
    assert CliRunner().invoke(cli, ["rules", "XYZ999"]).exit_code != 0


def test_rule_names_and_codes() -> None:
    import re

    assert len({rule.name for rule in RULES.values()}) == len(RULES)
    for code, rule in RULES.items():
        assert re.fullmatch(r"(ENT|INC|ADR|CHG|SES|FIL|REL|MEM)\d{3}", code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)


# --- unlogged changes (needs git) ------------------------------------------------------------------


def test_unlogged_change_is_reported_in_a_git_repo(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    shutil.copyfile(FIXTURES / "FIL002.md", tmp_path / "SYSTEM_LOG.md")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "log"], check=True)
    (tmp_path / "app.py").write_text("print(1)\n")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "Add the app"], check=True)
    assert "FIL011" in _codes(tmp_path)


# --- seeds ---------------------------------------------------------------------------------------

SEED_PLACES = {
    "system-log-template.md": "SYSTEM_LOG.md",
    "incidents.md": "INCIDENTS.md",
    "devlog.md": "DEVLOG.md",
    "blockers-changelog.md": "docs/changes/blockers-changelog.md",
    "session-progress.txt": "progress/session-progress.txt",
}
# What the seeds draw, and why (see README, "Lint"): all warnings, each a real lapse of the template.
SEED_FINDINGS = [
    ("SYSTEM_LOG.md", 23, "FIL003"),
    ("SYSTEM_LOG.md", 25, "ENT017"),
    ("SYSTEM_LOG.md", 29, "ENT004"),
    ("SYSTEM_LOG.md", 48, "FIL003"),
    ("SYSTEM_LOG.md", 66, "ENT015"),
    ("SYSTEM_LOG.md", 68, "FIL003"),
    ("SYSTEM_LOG.md", 74, "ENT004"),
    ("SYSTEM_LOG.md", 75, "ENT004"),
    ("SYSTEM_LOG.md", 96, "FIL003"),
    ("SYSTEM_LOG.md", 112, "FIL003"),
    ("SYSTEM_LOG.md", 146, "FIL003"),
]


def test_seeds_draw_only_the_documented_warnings(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    found = lint_paths(read_config(tmp_path), now=NOW)
    assert [(d.source.path, d.source.start_line, d.code) for d in found] == SEED_FINDINGS
    assert {d.severity for d in found} == {"warning"}


# --- more engine behaviour -----------------------------------------------------------------------


def test_only_the_newest_session_note_is_held_to_the_feature_list(tmp_path: Path) -> None:
    fixture_repo("SES001", tmp_path)
    newer = (FIXTURES / "SES001.txt").read_text()
    newer = newer.replace("SESSION 1 PROGRESS", "SESSION 2 PROGRESS").replace("Session: 1 of", "Session: 2 of")
    newer = newer.replace("November 24, 2026", "November 25, 2026").replace("6/12", "7/12").replace("6 / 12", "7 / 12")
    (tmp_path / "progress" / "session-002.txt").write_text(newer)
    assert _codes(tmp_path) == []


def test_paths_limit_the_files_but_ids_are_checked_across_the_repo(tmp_path: Path) -> None:
    fixture_repo("FIL003", tmp_path)
    (tmp_path / "SYSTEM_LOG_ARCHIVE_2025.md").write_text((FIXTURES / "FIL002.md").read_text())
    archive = tmp_path / "SYSTEM_LOG_ARCHIVE_2025.md"
    found = lint_paths(read_config(tmp_path), [archive], now=NOW)
    assert {d.source.path for d in found} == {"SYSTEM_LOG_ARCHIVE_2025.md"}
    assert {d.code for d in found} == {"ENT008"}


def test_fix_orders_an_oldest_first_log(tmp_path: Path) -> None:
    first, e18, e15 = (FIXTURES / "FIL002.md").read_text().rstrip("\n").split("\n---\n\n")
    head, e19 = first.split("\n\n", 1)
    e18, e19 = e18.strip("\n"), e19.strip("\n")  # every entry then ends on its last line, as a reader sees it
    e20 = e19.replace("2026-03-19 14:32 UTC - Implemented", "2026-03-20 10:00 UTC - Reimplemented")
    (tmp_path / "SYSTEM_LOG.md").write_text(head + "\n\n" + "\n\n---\n\n".join([e18, e15, e19, e20]) + "\n")
    assert _codes(tmp_path) == ["ENT007"]
    fix_paths(read_config(tmp_path), now=NOW)
    text = (tmp_path / "SYSTEM_LOG.md").read_text()
    assert text == head + "\n\n" + "\n\n---\n\n".join([e15, e18, e19, e20]) + "\n"


def test_fix_a_glued_separator_before_a_bad_stamp(tmp_path: Path) -> None:
    target = fixture_repo("FIL003", tmp_path)
    target.write_text(target.read_text().replace("---## 2026-03-18 09:15 UTC -", "---## 2026-03-18T09:15Z"))
    assert _codes(tmp_path) == ["ENT005", "FIL003"]
    fix_paths(read_config(tmp_path), now=NOW)
    assert _codes(tmp_path) == []
    assert target.read_text() == (FIXTURES / "FIL002.md").read_text()
