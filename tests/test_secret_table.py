"""The secret guard over its table (tests/secret_cases.py): every planted form caught at its line and column,
no look-alike flagged, and the same scan behind `add` (library and CLI), MCP `add_record` and lint FIL010."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli as run
from tests.secret_cases import HARMLESS, PLANTED, ZWSP, Planted, fake
from tests.test_mcp import ENTRY, init, serving
from whylog.markdown.readers import read_text
from whylog.model import EntryFields, Record
from whylog.model.errors import WriteError
from whylog.repo import Config
from whylog.writing.placement import add_record
from whylog.writing.secret_forms import lowercase
from whylog.writing.secrets import (
    INVISIBLE,
    Finding,
    _first_look,
    _may_hold_secret,
    find_secrets_in_record,
    find_secrets_in_text,
    lint_secrets,
)

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FORMS = sorted({case.form for case in PLANTED})


def test_the_table_covers_every_form_several_times() -> None:
    assert len(PLANTED) >= 60 and len(FORMS) == 16
    assert min(sum(case.form == form for case in PLANTED) for form in FORMS) >= 3
    # the table is built at runtime: no credential is written out in this repository
    for case in PLANTED:
        assert case.value not in (ROOT / "tests" / "secret_cases.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", PLANTED, ids=[f"{case.form}-{i}" for i, case in enumerate(PLANTED)])
def test_a_planted_credential_is_caught_at_its_line_and_column(case: Planted) -> None:
    assert [(line, column) for line, column, _ in find_secrets_in_text(case.text)] == [case.where()]


@pytest.mark.parametrize(("form", "text"), HARMLESS, ids=[f"{form}-{i}" for i, (form, _) in enumerate(HARMLESS)])
def test_a_look_alike_is_not_flagged(form: str, text: str) -> None:
    assert find_secrets_in_text(text) == []


def test_the_invisible_characters_are_every_format_character() -> None:
    format_characters = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert [hex(ord(c)) for c in format_characters if not INVISIBLE.fullmatch(c)] == []


def test_a_key_broken_by_invisible_characters_is_reported_at_its_place_in_the_original() -> None:
    key = "AK" + "IA" + fake(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    text = f"before{ZWSP}\n{ZWSP}\u200d rotated {key[:4]}{ZWSP}{key[4:12]}\u2060{key[12:]}\n"
    assert find_secrets_in_text(text) == [(2, 12, "AWS Access Key")]


def test_a_key_over_two_lines_is_reported_once_at_its_start() -> None:
    key = "github_" + "pat_" + fake(82)
    assert find_secrets_in_text(f"pushed {key[:30]}\n{key[30:]}\n") == [(1, 8, "GitHub Token")]
    assert find_secrets_in_text(f"pushed {key}\nand more words\n") == [(1, 8, "GitHub Token")]


PIECES = [
    "\n", "\r\n", " ", "  ", "`", '"', "'", "password", "Token", "=", ": ", "PRIVATE KEY", "://", "@", "/",
    "AbCdEfGh12345678", "abcdefghijkl9876", "x9", "-", "\\", "\u00e9", "\u0130", ZWSP, "\u2060", "sk-", "AKIA",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_the_whole_text_first_look_passes_the_lines_the_line_look_passes(text: str) -> None:
    lines = text.splitlines()
    body = "\n".join(lines)
    expected = {number for number, line in enumerate(lines) if len(line) >= 8 and _may_hold_secret(line)}
    assert _first_look(lines, body, lowercase(body)) == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=60).map("".join)))
def test_any_text_gives_findings_inside_its_lines(text: str) -> None:
    lines = text.splitlines()
    for line, column, kind in find_secrets_in_text(text):
        assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) and kind
        assert not INVISIBLE.match(lines[line - 1][column - 1])


def entry(result: str) -> Record:
    fields = EntryFields(type="Security", observation="A key was pasted", actions=("Rotated it",), result=result)
    return Record("", "entry", "Rotated the deploy credentials", "", fields)


def test_a_record_names_the_field_line_and_column_of_a_hidden_or_split_key() -> None:
    key = "sk-" + "proj-" + fake(64)
    record = entry(f"- Stable\n- old key {key[:8]}{ZWSP}{key[8:]}\n- and {key[:20]}\n{key[20:]}")
    assert find_secrets_in_record(record) == [
        Finding("fields.result", 2, 11, "OpenAI API Key"),
        Finding("fields.result", 3, 7, "OpenAI API Key"),
    ]


def test_add_refuses_an_unquoted_password_naming_field_line_and_column(tmp_path: Path) -> None:
    password = fake(8) + "!"
    with pytest.raises(WriteError) as caught:
        add_record(Config(tmp_path), entry(f"- Stable\n- ran export DB_PASSWORD={password}"), NOW)
    assert caught.value.message == (
        "fields.result line 2, column 26: looks like a Secret Keyword; "
        "not written (--allow-secret, or allow_secret over MCP, writes it)"
    )
    assert not (tmp_path / "SYSTEM_LOG.md").exists()
    add_record(Config(tmp_path), entry(f"- ran export DB_PASSWORD={password}"), NOW, allow_secret=True)
    assert password in (tmp_path / "SYSTEM_LOG.md").read_text(encoding="utf-8")


def test_cli_add_refuses_a_curl_password_and_allow_secret_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["init"])[0] == 0
    password = fake(10)
    args = ["add", "entry", "--title", "Checked the CI API by hand", "--type", "Bug Fix"]
    args += [
        "--date",
        "2026-11-24 09:30 UTC",
        "--observation",
        f"ran curl -u admin:{password} https://ci.example.com/api",
    ]
    code, _, err = run(args)
    assert code == 2
    assert "fields.observation line 1, column 19: looks like a cURL Password; not written (--allow-secret" in err
    assert not (tmp_path / "SYSTEM_LOG.md").exists()
    assert run([*args, "--allow-secret"])[0] == 0
    assert password in (tmp_path / "SYSTEM_LOG.md").read_text(encoding="utf-8")


def test_mcp_add_record_refuses_a_bearer_token_and_allow_secret_writes_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    init(root)
    token = fake(40)
    record = {**ENTRY, "fields": {**ENTRY["fields"], "result": f"- called with Authorization: Bearer {token}"}}
    with serving(root) as client:
        result = client.call("add_record", {"kind": "entry", "record": record})
        assert result.is_error
        assert result.content[0].text.startswith(  # type: ignore[union-attr]
            f"SYSTEM_LOG.md: fields.result line 1, column {record['fields']['result'].index(token) + 1}: "
            "looks like an Authorization Header; not written"
        )
        assert not (root / "SYSTEM_LOG.md").exists()
        client.data("add_record", {"kind": "entry", "record": record, "allow_secret": True})
    assert token in (root / "SYSTEM_LOG.md").read_text(encoding="utf-8")


def test_lint_reports_a_hidden_and_a_split_key_at_their_file_lines() -> None:
    npm, google = "npm" + "_" + fake(36), "AI" + "za" + fake(35)
    text = (
        "# SYSTEM_LOG\n\n## 2026-01-01 10:00 UTC - Rotated the publish and maps keys\n\n**Type:** Security\n\n"
        f"**Result:** the old token {npm[:6]}{ZWSP}{npm[6:]} is revoked, and so is\n{google[:15]}\n{google[15:]}\n"
    )
    found = [(d.code, d.source.start_line, d.message) for d in lint_secrets(read_text(text, "SYSTEM_LOG.md", "syslog"))]
    assert found == [
        ("FIL010", 7, "column 27: looks like an NPM Token"),
        ("FIL010", 8, "column 1: looks like a Google API Key"),
    ]


def test_the_count_script_prints_the_table_totals() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "secret_table.py")], capture_output=True, text=True, check=True
    ).stdout
    assert f"planted {len(PLANTED)} in {len(FORMS)} forms: caught {len(PLANTED)}, missed 0" in out
    assert f"look-alikes {len(HARMLESS)}: flagged 0 (false positives)" in out
