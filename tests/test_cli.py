from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import run_cli as run
from whylog.cli import cli

ENTRY = (
    "# SYSTEM_LOG\n\n"
    "## 2026-11-20 10:00 UTC - Added retry budget to the webhook sender\n"
    "**Type:** Implementation\n"
    "**Affected Files:**\n"
    "- `src/webhook.py` (lines 10-40)\n"
    "**Result:**\n"
    "- Retries capped at 5 in the soak test\n"
    "**Confidence:** 90% - Soak tested for one day\n"
    "---\n"
)


RECORDS = {"SYSTEM_LOG.md": ENTRY}


def test_parse_text_and_json(log_repo: Path) -> None:
    code, out, _ = run(["parse", "SYSTEM_LOG.md"])
    assert code == 0
    assert out.splitlines()[0] == "SYSTEM_LOG.md: syslog, 1 record, 0 unstructured spans, 0 diagnostics"
    assert "LOG-2026-11-20-1000" in out and "(lines 3-9)" in out
    code, out, _ = run(["parse", "SYSTEM_LOG.md", "--format", "json"])
    data = json.loads(out)
    assert set(data) >= {"records", "unstructured", "diagnostics"}
    (record,) = data["records"]
    assert record["files"] == [{"path": "src/webhook.py", "lines": [[10, 40]], "change": "modified", "note": ""}]
    assert record["fields"]["confidence"] == {"value": 90, "reason": "Soak tested for one day"}


def test_add_from_flags_then_list_show_export(log_repo: Path) -> None:
    code, out, err = run(
        [
            "add",
            "entry",
            "--title",
            "Fixed token refresh race in the auth client",
            "--type",
            "Bug Fix",
            "--date",
            "2026-11-24 09:30 UTC",
            "--file",
            "src/auth.py:12-30",
            "--observation",
            "Two refreshes raced",
            "--hypothesis",
            "No lock around refresh",
            "--actions",
            "Added a lock",
            "--result",
            "- No duplicate refresh in 1000 runs",
            "--confidence",
            "92% - stress tested",
            "--tag",
            "SECURITY",
        ]
    )
    assert (code, err) == (0, "")
    assert out == "added LOG-2026-11-24-0930 to SYSTEM_LOG.md:3-13\n"
    text = (log_repo / "SYSTEM_LOG.md").read_text(encoding="utf-8")
    assert text.endswith(ENTRY[len("# SYSTEM_LOG\n\n") :])  # the old entry's lines are untouched
    code, out, _ = run(["list"])
    assert [line.split()[0] for line in out.splitlines()] == ["LOG-2026-11-24-0930", "LOG-2026-11-20-1000"]
    code, out, _ = run(["show", "LOG-2026-11-24-0930"])
    assert "**Type:** Bug Fix (SECURITY)" in out and "- `src/auth.py` (lines 12-30)" in out
    code, out, _ = run(["show", "log-2026-11-24-0930", "--format", "json"])
    assert json.loads(out)["fields"]["confidence"]["value"] == 92
    code, out, _ = run(["export", "--format", "jsonl"])
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["LOG-2026-11-24-0930", "LOG-2026-11-20-1000"]
    code, out, _ = run(["export", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["files"] == "src/auth.py" and rows[0]["tags"] == "SECURITY"


def test_add_from_json_envelope(log_repo: Path) -> None:
    envelope = {
        "title": "Raised pool size for the report workers",
        "date": "2026-11-22T08:00:00Z",
        "fields": {
            "type": "Configuration",
            "result": "- p95 down to 80 ms",
            "confidence": {"value": 80, "reason": "one day"},
        },
    }
    code, out, err = run(["add", "entry", "--json", "-", "--format", "json"], json.dumps(envelope))
    assert code == 0, err
    record = json.loads(out)
    assert record["id"] == "LOG-2026-11-22-0800" and record["source"]["path"] == "SYSTEM_LOG.md"


@pytest.mark.parametrize(
    "payload, message",
    [
        (
            '{"title": "Tuned it well enough", "fields": {"type": "Configuration", "confidence": {"value": "high"}}}',
            "fields.confidence.value: expected an integer, got string",
        ),
        ('{"title": "Tuned it well enough", "fields": {"type": "Nonsense"}}', "expected one of Implementation"),
        ('{"title": 5, "fields": {"type": "Configuration"}}', "title: expected a string, got integer"),
        ("[1, 2]", "expected a JSON object"),
        ('{"title": "x",', "not valid JSON"),
        ('{"title": "Tuned", "fields": {"colour": "red"}}', "fields.colour: unknown field"),
    ],
)
def test_add_bad_json_is_one_line_exit_2_and_file_untouched(log_repo: Path, payload: str, message: str) -> None:
    before = (log_repo / "SYSTEM_LOG.md").read_bytes()
    code, out, err = run(["add", "entry", "--json", "-"], payload)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert err.startswith("whylog: error: <stdin>")
    assert (log_repo / "SYSTEM_LOG.md").read_bytes() == before


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "binary.md").write_bytes(b"# log\n\x00\x01\x02")
    (tmp / "latin1.md").write_bytes("# log\ncaf\xe9\n".encode("latin-1"))
    (tmp / "empty.md").write_bytes(b"")
    (tmp / "huge.md").write_bytes(b"x" * 10_000_000)
    (tmp / "folder").mkdir()
    return {
        "missing": (tmp / "nope.md", "nope.md: no such file"),
        "directory": (tmp / "folder", "folder: is a directory"),
        "binary": (tmp / "binary.md", "binary.md:2: binary data"),
        "latin1": (tmp / "latin1.md", "latin1.md:2: byte 0xe9 is not UTF-8"),
        "empty": (tmp / "empty.md", "empty.md: file is empty"),
        "huge": (tmp / "huge.md", "huge.md:1: line is 10,000,000 characters long"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty"])
def test_parse_bad_input(tmp_path: Path, case: str) -> None:
    path, message = _bad_files(tmp_path)[case]
    code, out, err = run(["parse", str(path)])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) <= 2  # the error line and at most one hint line
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("binary", "binary.md:2:1: PRS091 binary data (a NUL byte); read as U+FFFD (byte offset 6)"),
        ("latin1", "latin1.md:2:1: PRS090 byte 0xe9 is not UTF-8; read as U+FFFD (byte offset 9)"),
        ("huge", "huge.md:1:1: PRS092 line is 10,000,000 characters long; read its first 999,998 (byte offset 0)"),
    ],
)
def test_parse_reads_what_it_can_of_a_damaged_file(tmp_path: Path, case: str, message: str) -> None:
    path, _ = _bad_files(tmp_path)[case]
    code, out, err = run(["parse", str(path)])
    assert code == 0 and "Traceback" not in err
    assert out.startswith(f"{path}: syslog, ") and "1 diagnostic" in out.splitlines()[0]
    assert message in err and "hint: re-save it as UTF-8 text" in err


def test_show_unknown_id_exits_1(log_repo: Path) -> None:
    code, _, err = run(["show", "LOG-1999-01-01"])
    assert code == 1 and "no record with id" in err


def test_usage_error_exits_2(log_repo: Path) -> None:
    code, _, err = run(["parse"])
    assert code == 2 and "Missing argument" in err


def test_add_refuses_bad_type_from_flags(log_repo: Path) -> None:
    code, _, err = run(["add", "entry", "--title", "Changed some things today", "--type", "Stuff"])
    assert code == 2 and "expected one of Implementation" in err


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    for command in ("init", "parse", "add", "list", "show", "export", "demo"):
        assert f"  {command} " in result.output


def test_init_with_a_config_already_there_lists_that_config_s_files(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "log.md").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "SYSTEM_LOG.md").write_text(ENTRY, encoding="utf-8")  # found by discovery, not configured
    (tmp_path / "whylog.toml").write_text('[sources]\n"notes/*.md" = "syslog"\n', encoding="utf-8")
    code, out, err = run(["-C", str(tmp_path), "init", "--no-merge-driver"])
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "kept whylog.toml; record files found:"
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["notes/log.md"]  # SYSTEM_LOG.md is not configured
