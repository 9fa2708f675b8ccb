"""Input at the bounds: dates from 1900 to 9999, whylog.toml's settings checked with their line, and no
control characters in arguments. Each is one line on stderr and exit 2 with nothing written, never a
traceback; a date outside the bounds in a file is a diagnostic, and its record keeps its text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli as run

HEADER = "# SYSTEM_LOG\n\n"


def entry(stamp: str, title: str = "Moved the queue to its own host") -> str:
    return (
        f"## {stamp} - {title}\n"
        "**Type:** Implementation\n"
        "**Affected Files:**\n"
        "- `src/queue.py` (lines 1-9)\n"
        "**Result:**\n"
        "- The queue runs alone\n"
        "**Confidence:** 60% - tried once\n\n"
        "---\n\n"
    )


INCIDENT = (
    "# Incidents\n\n"
    "## INC-9999-001: Queue stalled\n"
    "**Date:** {date}\n"
    "**Severity:** High\n"
    "**Affected Files:**\n"
    "- `src/queue.py`\n"
    "**Root Cause:**\n"
    "- The worker pool ran dry\n"
    "**Resolution:**\n"
    "- Restarted the pool\n"
)


RECORDS = {"SYSTEM_LOG.md": HEADER + entry("2026-03-02 10:00 UTC")}


def _refused(args: list[str], stdin: str | None = None) -> str:
    """Run a command that must be refused: exit 2, one error line (and its hint), no traceback."""
    code, out, err = run(args, stdin)
    assert code == 2, (args, out, err)
    lines = err.splitlines()
    assert lines and lines[0].startswith("whylog: error: "), err
    assert all(line.startswith("  ") for line in lines[1:]), err  # the hint (a query's also points with ^)
    return lines[0]


# --- dates ----------------------------------------------------------------------------------------


ADD = ["add", "entry", "--title", "Far off", "--type", "Implementation", "--result", "- ok"]


@pytest.mark.parametrize("date", ["1899-12-31", "0999-06-01", "0001-01-01", "10000-01-01", "9999-12-31 23:00 -05:00"])
def test_add_refuses_a_year_outside_1900_to_9999_and_writes_nothing(log_repo: Path, date: str) -> None:
    before = (log_repo / "SYSTEM_LOG.md").read_bytes()
    line = _refused([*ADD, "--date", date])
    assert line == (
        f"whylog: error: --date {date!r} is not a date; expected YYYY-MM-DD or YYYY-MM-DD HH:MM UTC, "
        "a year from 1900 to 9999"
    )
    envelope = json.dumps({"title": "Far off", "date": date, "fields": {"type": "Implementation"}})
    assert "is not a date" in _refused(["add", "entry", "--json", "-"], envelope)
    assert (log_repo / "SYSTEM_LOG.md").read_bytes() == before
    for first_or_last in ("1900-01-01", "9999-12-31 23:59 UTC", "9999-12-31 23:59 UTC"):  # the bounds are dates
        code, out, err = run([*ADD, "--date", first_or_last])
        assert (code, err) == (0, ""), err
    ids = [line.split()[0] for line in run(["list"])[1].splitlines()]
    assert ids == ["LOG-9999-12-31-235901", "LOG-9999-12-31-2359", "LOG-2026-03-02-1000", "LOG-1900-01-01"]


@pytest.mark.parametrize("stamp", ["1899-12-31 10:00 UTC", "9999-12-31 23:59 -05:00", "0001-01-01 00:00 +01:00"])
def test_a_date_outside_the_bounds_in_a_file_is_a_diagnostic_and_the_text_is_kept(log_repo: Path, stamp: str) -> None:
    (log_repo / "SYSTEM_LOG.md").write_text(HEADER + entry(stamp, "Too early"), encoding="utf-8")
    (log_repo / "INCIDENTS.md").write_text(INCIDENT.format(date="0999-01-01"), encoding="utf-8")
    code, out, _ = run(["parse", "SYSTEM_LOG.md", "--format", "json"])
    data = json.loads(out)
    [diagnostic] = data["diagnostics"]
    assert (diagnostic["code"], diagnostic["line"]) == ("PRS010", 3)
    assert stamp in diagnostic["message"]
    assert data["records"] == []  # an entry's id is its date: without one, its lines are kept as text
    [span] = data["unstructured"]
    assert (span["start_line"], span["end_line"]) == (3, 9) and f"{stamp} - Too early" in span["text"]
    code, out, _ = run(["parse", "INCIDENTS.md", "--format", "json"])
    data = json.loads(out)
    [record] = data["records"]
    assert (record["id"], record["date"], record["fields"]["root_cause"]) == (
        "INC-9999-001",
        "",
        ["The worker pool ran dry"],
    )
    assert [(d["code"], d["line"]) for d in data["diagnostics"]] == [("PRS023", 4)]


@pytest.fixture
def far(log_repo: Path) -> Path:
    """An entry and an incident on the last day there is, 9999-12-31, beside the ordinary entry."""
    text = HEADER + entry("9999-12-31 23:59 UTC", "The last entry") + entry("2026-03-02 10:00 UTC")
    (log_repo / "SYSTEM_LOG.md").write_text(text, encoding="utf-8")
    (log_repo / "INCIDENTS.md").write_text(INCIDENT.format(date="9999-12-31"), encoding="utf-8")
    return log_repo


@pytest.mark.parametrize(
    "choose,start,end",
    [
        (["--all"], "2026-03-02", None),
        (["--month", "9999-12"], "9999-12-01", None),
        (["--quarter", "9999-Q4"], "9999-10-01", None),
        (["--since", "9999-12-31"], "9999-12-31", None),
        (["--since", "9999-12"], "9999-12-01", None),
        (["--until", "9999-12-31"], "2026-03-02", None),
        (["--until", "9999-12"], "2026-03-02", None),
        (["--month", "1900-01"], "1900-01-01", "1900-02-01"),
    ],
)
def test_review_takes_the_last_day(far: Path, choose: list[str], start: str, end: str | None) -> None:
    code, out, err = run(["review", *choose, "--format", "json"])
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["period"]["start"], data["period"]["end"]) == (start, end)
    counts = {(c["group"], c["name"]): c["count"] for c in data["counts"]}
    if choose[-1].startswith("9999"):
        assert counts[("kind", "entry")] == (2 if "--until" in choose else 1)
        assert counts[("kind", "incident")] == 1
    code, out, err = run(["review", *choose])
    assert code == 0 and err == "" and "Traceback" not in out


def test_review_of_no_records_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["review", "--all", "--format", "json"])
    assert (code, err) == (0, "")
    assert json.loads(out)["counts"] == []


@pytest.mark.parametrize(
    "choose", [["--month", "0000-01"], ["--month", "1899-12"], ["--quarter", "0001-Q1"], ["--since", "1899-12-31"]]
)
def test_review_refuses_a_period_outside_the_bounds(log_repo: Path, choose: list[str]) -> None:
    assert "is not a" in _refused(["review", *choose])


@pytest.mark.parametrize("days", ["99999999", "99999999999999999999"])
def test_suspects_with_a_window_past_the_first_day(far: Path, days: str) -> None:
    code, out, err = run(["suspects", "INC-9999-001", "--days", days, "--format", "json"])
    assert code == 0, err
    data = json.loads(out)
    assert (data["since"], data["until"]) == ("1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z")
    assert "LOG-9999-12-31-2359" in [s["id"] for s in data["suspects"]]


def test_search_dates_at_and_past_the_bounds(far: Path) -> None:
    for query in ("until:9999-12-31", "until:9999-12", "until:9999", "since:9999-12-31", "since:9999d"):
        code, out, err = run(["search", query, "--format", "json"])
        assert code == 0, (query, err)
        assert "LOG-9999-12-31-2359" in [hit["id"] for hit in json.loads(out)], query
    for query in ("since:2026-13-45", "until:0000", "since:1899-12-31", "until:2026-02-30", "since:999999y"):
        line = _refused(["search", query])
        assert "is not a real date" in line or "is not a year from 1900 to 9999" in line or "before the year 1" in line
    assert "is not a date" in _refused(["search", "since:99999999999999d"])


def test_archive_at_the_last_day(far: Path) -> None:
    code, _, err = run(["archive", "--dry-run"])
    assert code in (0, 1) and "Traceback" not in err


# --- whylog.toml ----------------------------------------------------------------------------------

CONFIG = """\
[sources]
"SYSTEM_LOG.md" = "syslog"
"INCIDENTS.md" = "incidents"
"SYSTEM_LOG_ARCHIVE_*.md" = "syslog"

[write]
entry = "SYSTEM_LOG.md"

[archive]
syslog_max_lines = 10000
devlog_keep_days = 14
"""


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("[archive]\nsyslog_max_lines = 10000\ndevlog_keep_days = 14\n", "", "0"),  # see below: archive = 5
        (
            '[sources]\n"SYSTEM_LOG.md" = "syslog"\n"INCIDENTS.md" = "incidents"\n',
            'sources = "x"\n',
            "1: sources = 'x' is not a table",
        ),
        (
            "devlog_keep_days = 14",
            "devlog_keep_days = 100000000000",
            "11: [archive] devlog_keep_days = 100000000000 is out of range; expected 0 to 36,500",
        ),
        (
            "devlog_keep_days = 14",
            "devlog_keep_days = -1",
            "11: [archive] devlog_keep_days = -1 is out of range; expected 0 to 36,500",
        ),
        (
            "syslog_max_lines = 10000",
            "syslog_max_lines = -5",
            "10: [archive] syslog_max_lines = -5 is out of range; expected 0 to 1,000,000,000",
        ),
        (
            "syslog_max_lines = 10000",
            "syslog_keep_months = 5000",
            "10: [archive] syslog_keep_months = 5000 is out of range; expected 0 to 1,200",
        ),
        (
            "syslog_max_lines = 10000",
            'syslog_max_lines = "10"',
            "10: [archive] syslog_max_lines = '10' is not a whole number",
        ),
        (
            "syslog_max_lines = 10000",
            "syslog_max_lines = 1.5",
            "10: [archive] syslog_max_lines = 1.5 is not a whole number",
        ),
        (
            "syslog_max_lines = 10000",
            "syslog_max_lines = true",
            "10: [archive] syslog_max_lines = True is not a whole number",
        ),
        ("syslog_max_lines = 10000", "max_lines = 10", "10: [archive] 'max_lines' is not known"),
        (
            '"INCIDENTS.md" = "incidents"',
            '"/etc/*.md" = "incidents"',
            "3: [sources] '/etc/*.md': is an absolute path or goes up with ..",
        ),
        (
            '"INCIDENTS.md" = "incidents"',
            '"../other/*.md" = "incidents"',
            "3: [sources] '../other/*.md': is an absolute path or goes up with ..",
        ),
        (
            '"INCIDENTS.md" = "incidents"',
            '"docs/../../*.md" = "incidents"',
            "3: [sources] 'docs/../../*.md': is an absolute path or goes up with ..",
        ),
        ('"INCIDENTS.md" = "incidents"', '"INCIDENTS.md" = 5', "3: [sources] 'INCIDENTS.md' = 5 is not a string"),
        (
            '"INCIDENTS.md" = "incidents"',
            '"INCIDENTS.md" = "incident"',
            "3: [sources] 'INCIDENTS.md' = 'incident'; expected one of",
        ),
        ('"INCIDENTS.md" = "incidents"', '"" = "incidents"', "3: [sources] '': is empty"),
        (
            '"INCIDENTS.md" = "incidents"',
            '"a\\u0000b.md" = "incidents"',
            "3: [sources] 'a\\x00b.md': holds control character U+0000",
        ),
        (
            'entry = "SYSTEM_LOG.md"',
            'entry = "/abs/LOG.md"',
            "7: [write] entry = '/abs/LOG.md': is an absolute path or goes up with ..",
        ),
        (
            'entry = "SYSTEM_LOG.md"',
            'entry = "../x.md"',
            "7: [write] entry = '../x.md': is an absolute path or goes up with ..",
        ),
        ('entry = "SYSTEM_LOG.md"', 'entry = ""', "7: [write] entry = '': is empty"),
        ('entry = "SYSTEM_LOG.md"', "entry = 3", "7: [write] 'entry' = 3 is not a string"),
        ('entry = "SYSTEM_LOG.md"', 'entries = "LOG.md"', "7: [write] 'entries' is not known"),
    ],
)
def test_a_bad_setting_is_one_line_naming_its_key_and_line(log_repo: Path, old: str, new: str, expected: str) -> None:
    assert old in CONFIG
    config = CONFIG.replace(old, new)
    if expected == "0":  # a top-level key must come before the first table
        config, expected = "archive = 5\n" + config, "1: archive = 5 is not a table"
    (log_repo / "whylog.toml").write_text(config, encoding="utf-8")
    before = (log_repo / "SYSTEM_LOG.md").read_bytes()
    for args in (["list"], ["status"], ["archive"], ["lint"], ["review", "--all"], [*ADD, "--date", "2026-03-03"]):
        assert _refused(args).startswith(f"whylog: error: whylog.toml:{expected}"), args
    assert (log_repo / "SYSTEM_LOG.md").read_bytes() == before


def test_a_negative_threshold_is_refused_and_zero_moves_only_what_is_old(log_repo: Path) -> None:
    """A negative threshold, once accepted, made `archive` move the newest entries; 0 is the smallest one."""
    text = HEADER + entry("2099-01-01 10:00 UTC", "From the future") + entry("2020-03-02 10:00 UTC", "Old")
    (log_repo / "SYSTEM_LOG.md").write_text(text, encoding="utf-8")
    for months in (-1, -100):
        config = CONFIG.replace("syslog_max_lines = 10000", f"syslog_max_lines = 0\nsyslog_keep_months = {months}")
        (log_repo / "whylog.toml").write_text(config, encoding="utf-8")
        assert "is out of range; expected 0 to 1,200" in _refused(["archive"])
        assert (log_repo / "SYSTEM_LOG.md").read_text(encoding="utf-8") == text
    config = CONFIG.replace("syslog_max_lines = 10000", "syslog_max_lines = 0\nsyslog_keep_months = 0")
    (log_repo / "whylog.toml").write_text(config.replace("devlog_keep_days = 14", "devlog_keep_days = 36500"), "utf-8")
    assert run(["archive"])[0] == 0
    assert "From the future" in (log_repo / "SYSTEM_LOG.md").read_text(encoding="utf-8")
    assert "Old" in (log_repo / "SYSTEM_LOG_ARCHIVE_2020.md").read_text(encoding="utf-8")


# --- control characters ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\x00", "\x1b[2J", "\r", "\x7f", "\x9b", "\x08", "\udcff"])
def test_a_control_character_in_any_argument_is_refused(log_repo: Path, bad: str) -> None:
    before = (log_repo / "SYSTEM_LOG.md").read_bytes()
    code = f"U+{ord(bad[0]):04X}"
    assert _refused(["why", f"src/a{bad}b.py"]) == (
        f"whylog: error: argument 2 holds control character {code}: {'src/a' + bad + 'b.py'!r}"
    )
    assert f"argument 4 (after --title) holds control character {code}" in _refused(["add", "entry", "--title", bad])
    for args in (["search", bad], ["show", f"INC{bad}"], ["review", "--month", bad], ["-C", f"x{bad}", "list"]):
        assert f"holds control character {code}" in _refused(args), args
    assert (log_repo / "SYSTEM_LOG.md").read_bytes() == before
    tabbed = ["add", "entry", "--title", "Tabs", "--type", "Implementation", "--date", "2026-03-03"]
    code, out, err = run([*tabbed, "--result", "- one\n- two\tdone", "--format", "json"])
    assert (code, err) == (0, "")  # tab and newline are text
    assert json.loads(out)["fields"]["result"] == "- one\n- two\tdone"


def test_a_control_character_in_a_json_record_is_refused(log_repo: Path) -> None:
    before = (log_repo / "SYSTEM_LOG.md").read_bytes()
    envelope = {"title": "Nul", "date": "2026-03-03", "fields": {"type": "Implementation", "actions": ["a\u0000b"]}}
    assert _refused(["add", "entry", "--json", "-"], json.dumps(envelope)) == (
        "whylog: error: <stdin>: fields.actions[0] holds control character U+0000; text may hold tab and newline only"
    )
    assert (log_repo / "SYSTEM_LOG.md").read_bytes() == before


def test_init_passes_over_a_file_whose_name_holds_a_control_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """whylog.toml cannot name such a file: init once wrote its name raw, and every command then failed."""
    (tmp_path / "team\x1b[2Jlog.md").write_text(HEADER + entry("2026-03-02 10:00 UTC"), encoding="utf-8")
    (tmp_path / "team-log.md").write_text(HEADER + entry("2026-03-04 10:00 UTC"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["init", "--no-merge-driver"])[0] == 0
    assert "team-log.md" in (tmp_path / "whylog.toml").read_text(encoding="utf-8")
    code, out, err = run(["list"])
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == ["LOG-2026-03-04-1000"]
