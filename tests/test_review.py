"""whylog review: counts with deltas, recurring problems, hot files, open items with age, low confidence
followed up, time to resolve, and the md / html / json reports with their pygal charts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SEED_PLACES, copy_seeds, seed_path
from whylog.cli import cli, main
from whylog.lifecycle.review import parse_period, previous_period
from whylog.lifecycle.review_index import review
from whylog.model.errors import WhylogError
from whylog.repo import Config

pytest.importorskip("pygal")

HOSTILE = "src/<script>alert(1)</script>.py"


def entry(
    when: str,
    title: str,
    kind: str,
    files: list[str],
    observation: str,
    confidence: int,
    extra: str = "",
) -> str:
    listed = "\n".join(f"- `{path}` (lines 1-5)" for path in files)
    return f"""## {when} UTC - {title}
**Type:** {kind}
**Affected Files:**
{listed}
**Chain of Reasoning:**
- **Observation:** {observation}
- **Hypothesis:** Something.
- **Action:**
1. Did it
**Result:**
- Works
**Confidence:** {confidence}% - checked
{extra}---

"""


TIMELINE = """**Timeline:**
- 10:00 UTC: Alerts fired
- 10:20-11:00 UTC: Investigation
- 11:30 UTC: Incident closed
**Prevention:**
- [ ] Add pool alerts to the dashboard
- [x] Raise pool size
"""

INCIDENTS = """# Incidents

---

**Incident ID:** INC-2026-001
**Date:** 2026-03-18
**Severity:** High
**Services Affected:** Backend API
**Title:** API down - connection pool exhaustion

**Symptoms:**
* 500 errors

**Root Cause:**
* Connection pool exhaustion under load.

**Resolution:**
* Raised pool size.

**Action Items:**
* [ ] Add pool alerts.
* [Done] Raise pool size.

---
"""


def crafted(root: Path) -> Path:
    entries = [
        entry(
            "2026-03-20 10:00", "Outage: pool", "Incident", ["src/db/pool.py"], "Pool exhausted, API down", 85, TIMELINE
        ),
        entry("2026-03-12 09:00", "Route tweak", "Implementation", ["src/api/routes.py"], "Slow route", 90),
        entry(
            "2026-03-05 09:00",
            "Pool fix again",
            "Bug Fix",
            ["src/db/pool.py", "src/api/routes.py"],
            "Connection pool exhausted again",
            70,
        ),
        entry("2026-02-20 09:00", "Routes", "Implementation", ["src/api/routes.py"], "New route", 90),
        entry("2026-02-10 09:00", "Pool fix", "Bug Fix", ["src/db/pool.py"], "Connection pool exhausted", 90),
    ]
    (root / "SYSTEM_LOG.md").write_text("# System Log\n\n---\n\n" + "".join(entries), encoding="utf-8")
    (root / "INCIDENTS.md").write_text(INCIDENTS, encoding="utf-8")
    return root


def test_periods() -> None:
    march = parse_period("2026-03", None)
    assert (march.start.isoformat(), march.end.isoformat()) == ("2026-03-01", "2026-04-01")
    assert previous_period(parse_period("2026-01", None)).label == "2025-12"
    q1 = parse_period(None, "2026-Q1")
    assert (q1.start.isoformat(), q1.end.isoformat(), previous_period(q1).label) == (
        "2026-01-01",
        "2026-04-01",
        "2025-Q4",
    )
    for month, quarter in (("2026-13", None), ("March", None), (None, "2026-Q5"), (None, None), ("2026-03", "2026-Q1")):
        with pytest.raises(WhylogError):
            parse_period(month, quarter)


def test_the_crafted_repo_is_reviewed(tmp_path: Path) -> None:
    report = review(Config(crafted(tmp_path)), parse_period("2026-03", None))
    counts = {(c.group, c.name): (c.count, c.previous, c.change) for c in report.counts}
    assert counts == {
        ("kind", "entry"): (3, 2, 1),
        ("kind", "incident"): (1, 0, 1),
        ("type", "Bug Fix"): (1, 1, 0),
        ("type", "Implementation"): (1, 1, 0),
        ("type", "Incident"): (1, 0, 1),
    }
    pooled = [g for g in report.recurring if "src/db/pool.py" in g.files]
    assert pooled and {"LOG-2026-02-10-0900", "LOG-2026-03-05-0900"} <= set(pooled[0].record_ids)
    assert any("INC-2026-001" in g.record_ids and "pool" in g.terms for g in report.recurring)
    assert [(f.path, f.changes, f.incidents) for f in report.hot_files] == [
        ("src/db/pool.py", 2, 1),
        ("src/api/routes.py", 2, 0),
    ]
    ages = {(i.kind, i.record_id, i.text): i.age_days for i in report.open_items}
    assert ages == {
        ("action-item", "INC-2026-001", "Add pool alerts."): 13,
        ("prevention", "LOG-2026-03-20-1000", "Add pool alerts to the dashboard"): 11,
    }
    [low] = report.low_confidence
    assert (low.record_id, low.confidence, low.later_ids, low.later_count) == (
        "LOG-2026-03-05-0900",
        70,
        ("LOG-2026-03-12-0900", "LOG-2026-03-20-1000"),
        2,
    )
    times = {t.record_id: t.minutes for t in report.resolve_times}
    assert times == {"LOG-2026-03-20-1000": 90, "INC-2026-001": None}
    assert report.severities == (("High", 1),)


def test_markdown_writes_svg_files_beside_the_output(tmp_path: Path) -> None:
    crafted(tmp_path)
    out = tmp_path / "out" / "report.md"
    out.parent.mkdir()
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "review", "--month", "2026-03", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for name in ("entries", "severity", "hot-files"):
        svg = out.parent / f"report-{name}.svg"
        assert svg.read_text(encoding="utf-8").startswith("<svg")
        assert f"](report-{name}.svg)" in text
    assert "kind entry: 3 (+1 vs 2026-02)" in text
    assert "LOG-2026-03-20-1000: 1h 30m" in text and "INC-2026-001: n/a" in text


def test_markdown_without_output_puts_charts_in_the_state_dir(tmp_path: Path) -> None:
    crafted(tmp_path)
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "review", "--month", "2026-03"])
    assert result.exit_code == 0, result.output
    assert "](.whylog/review/2026-03-entries.svg)" in result.output
    assert (tmp_path / ".whylog" / "review" / "2026-03-hot-files.svg").is_file()


def test_html_is_self_contained_and_escapes_hostile_text(tmp_path: Path) -> None:
    crafted(tmp_path)
    hostile = entry("2026-03-25 09:00", "<script>alert(2)</script>", "Bug Fix", [HOSTILE], "Pool <b>bad</b>", 60)
    log = tmp_path / "SYSTEM_LOG.md"
    log.write_text(log.read_text(encoding="utf-8").replace("---\n\n", "---\n\n" + hostile, 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "review", "--month", "2026-03", "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.output
    assert page.count("<svg") == 3
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the file name, in the hot-files chart and list
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page  # the title, in the low-confidence list
    from whylog.lifecycle.review_charts import review_charts

    chart = review_charts(review(Config(tmp_path), parse_period("2026-03", None)))["hot-files"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.py" in chart and "<script" not in chart
    assert 'href="http' not in page and 'src="' not in page and "<!--" not in page


def test_the_charts_are_deterministic(tmp_path: Path) -> None:
    from whylog.lifecycle.review_charts import review_charts

    report = review(Config(crafted(tmp_path)), parse_period("2026-03", None))
    # the same charts from another process: no random ids, no order that depends on hashing
    script = (
        "import json, sys; from pathlib import Path; from whylog.repo import Config;"
        "from whylog.lifecycle.review import parse_period; from whylog.lifecycle.review_index import review;"
        "from whylog.lifecycle.review_charts import review_charts;"
        "print(json.dumps(review_charts(review(Config(Path(sys.argv[1])), parse_period('2026-03', None)))))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env)
    assert other.returncode == 0, other.stderr
    assert json.loads(other.stdout) == review_charts(report)


def test_json_has_the_numbers(tmp_path: Path) -> None:
    crafted(tmp_path)
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "review", "--month", "2026-03", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == {"label": "2026-03", "start": "2026-03-01", "end": "2026-04-01"}
    assert data["previous"]["label"] == "2026-02"
    assert {"group": "kind", "name": "entry", "count": 3, "previous": 2, "change": 1} in data["counts"]
    assert data["hot_files"][0] == {"path": "src/db/pool.py", "changes": 2, "incidents": 1}
    assert data["severities"] == [{"severity": "High", "count": 1}]
    assert sum(w["count"] for w in data["weekly"]) == 3
    assert set(data) >= {"recurring", "open_items", "blockers", "low_confidence", "resolve_times"}


def test_a_bad_month_exits_2_with_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["-C", str(tmp_path), "review", "--month", "2026-13"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--month '2026-13' is not a month" in err and "expected YYYY-MM" in err


def test_missing_pygal_gives_an_install_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pygal(name: str, *args: object, **kwargs: object) -> object:
        if name == "pygal":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pygal)
    from whylog.lifecycle.review_charts import review_charts

    report = review(Config(crafted(tmp_path)), parse_period("2026-03", None))
    with pytest.raises(WhylogError) as info:
        review_charts(report)
    assert info.value.hint == "pip install 'whylog[review]'"


def test_the_seeds_for_march_2026(tmp_path: Path) -> None:
    shutil.copy(seed_path("system-log-template.md"), tmp_path / "SYSTEM_LOG.md")
    shutil.copy(seed_path("incidents.md"), tmp_path / "INCIDENTS.md")
    report = review(Config(tmp_path), parse_period("2026-03", None))
    types = {c.name: c.count for c in report.counts if c.group == "type"}
    assert types == {
        "Architecture Change": 1,
        "Bug Fix": 1,
        "Configuration": 1,
        "Implementation": 1,
        "Incident": 1,
    }
    assert {t.record_id: t.minutes for t in report.resolve_times} == {"LOG-2026-03-15-2230": 135}


def seeded(root: Path) -> Path:
    return copy_seeds(root, {**SEED_PLACES, "blockers-changelog.md": "docs/changes/x.md"})


def test_all_the_seeds_name_connection_pool_exhaustion_as_recurring(tmp_path: Path) -> None:
    report = review(Config(seeded(tmp_path)), parse_period(None, None, every=True))
    assert report.previous is None and all(c.previous is None and c.change is None for c in report.counts)
    pool = [g for g in report.recurring if {"LOG-2026-03-18-0915", "INC-2024-001"} <= set(g.record_ids)]
    assert pool and {"connect", "pool", "exhaust"} <= set(pool[0].terms)
    assert report.period.start.isoformat() <= "2024-10-15" and report.period.end.isoformat() > "2026-03-18"
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "review", "--all", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["previous"] is None


def test_since_until_ranges(tmp_path: Path) -> None:
    crafted(tmp_path)
    period = parse_period(None, None, since="2026-02-15", until="2026-03")
    assert (period.start.isoformat(), period.end.isoformat(), previous_period(period)) == (
        "2026-02-15",
        "2026-04-01",
        None,
    )
    report = review(Config(tmp_path), period)
    assert {(c.name, c.count) for c in report.counts if c.group == "kind"} == {("entry", 4), ("incident", 1)}
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "review", "--since", "2026-02-15", "--until", "2026-03"])
    assert result.exit_code == 0, result.output
    assert "kind entry: 4 (change n/a: no previous period)" in result.output
    for args in (["--all", "--month", "2026-03"], ["--since", "2026-04", "--until", "2026-03"], ["--since", "x"]):
        bad = CliRunner().invoke(cli, ["-C", str(tmp_path), "review", *args])
        assert isinstance(bad.exception, WhylogError), bad.output


CALIBRATION_INCIDENT = """# Incidents

---

**Incident ID:** INC-2026-002
**Date:** 2026-03-15
**Severity:** Medium
**Services Affected:** Billing
**Title:** Invoices late

**Root Cause:**
* A slow query.

**Related:**
* LOG-2026-03-04-0900

---
"""


def test_confidence_calibration_per_band(tmp_path: Path) -> None:
    entries = [
        entry("2026-03-12 09:00", "Back out the queue", "Bug Fix (ROLLBACK)", ["src/c.py"], "Queue broke", 85),
        entry("2026-03-10 09:00", "Revert caching", "Bug Fix", ["src/a.py"], "Stale pages", 90),
        entry("2026-03-06 09:00", "Queue", "Implementation", ["src/c.py"], "Needed a queue", 60),
        entry("2026-03-04 09:00", "Invoices", "Implementation", ["src/b.py"], "Faster invoices", 75),
        entry("2026-03-02 09:00", "Caching", "Implementation", ["src/a.py"], "Slow pages", 95),
        entry("2026-02-02 09:00", "Old", "Implementation", ["src/a.py"], "Earlier", 50),
    ]
    (tmp_path / "SYSTEM_LOG.md").write_text("# System Log\n\n---\n\n" + "".join(entries), encoding="utf-8")
    (tmp_path / "INCIDENTS.md").write_text(CALIBRATION_INCIDENT, encoding="utf-8")
    calibration = review(Config(tmp_path), parse_period("2026-03", None)).calibration
    table = {(r.author, r.band): (r.entries, r.troubled) for r in calibration.table}
    assert table == {
        ("unknown", "<70"): (1, 1),
        ("unknown", "70-79"): (1, 1),
        ("unknown", "80-89"): (1, 0),
        ("unknown", "90-100"): (2, 1),
    }
    followed = {f.record_id: (f.rollbacks, f.incidents) for f in calibration.followed}
    assert followed == {
        "LOG-2026-03-02-0900": (("LOG-2026-03-10-0900",), ()),
        "LOG-2026-03-04-0900": ((), ("INC-2026-002",)),
        "LOG-2026-03-06-0900": (("LOG-2026-03-12-0900",), ()),
    }
    assert any("blocker reopened: not derivable" in note for note in calibration.not_derived)
    runner = CliRunner()
    data = json.loads(
        runner.invoke(cli, ["-C", str(tmp_path), "review", "--month", "2026-03", "--format", "json"]).output
    )
    assert {"author": "unknown", "band": "90-100", "entries": 2, "troubled": 1, "share": 0.5} in data["calibration"][
        "table"
    ]
    md = runner.invoke(cli, ["-C", str(tmp_path), "review", "--month", "2026-03"]).output
    assert "| unknown | <70 | 1 | 1 | 100% |" in md
    assert "LOG-2026-03-04-0900 (75%) was followed by incident INC-2026-002" in md
    page = runner.invoke(cli, ["-C", str(tmp_path), "review", "--month", "2026-03", "--format", "html"]).output
    assert "<td>70-79</td><td>1</td><td>1</td><td>100%</td>" in page


def test_authors_of_change_documents_are_known() -> None:
    from whylog.lifecycle.review_calibration import author_of, band
    from whylog.model import ChangeFields, EntryFields, Record

    change = Record("CHG-1", "change", "x", "2026-03-01", ChangeFields(author="Ana"))
    assert author_of(change) == "Ana" and author_of(Record("E", "entry", "y", "2026-03-01", EntryFields())) == "unknown"
    assert [band(v) for v in (0, 69, 70, 79, 80, 89, 90, 100)] == [
        "<70",
        "<70",
        "70-79",
        "70-79",
        "80-89",
        "80-89",
        "90-100",
        "90-100",
    ]


def test_the_index_and_the_files_give_the_same_review(tmp_path: Path) -> None:
    from whylog.repo import load

    config = Config(crafted(tmp_path))
    for period in (parse_period("2026-03", None), parse_period(None, "2026-Q1"), parse_period(None, None, every=True)):
        from_index = review(config, period)
        assert (tmp_path / ".whylog").is_dir()
        assert from_index == review(config, period, load(config, skip_errors=True))


def test_the_index_and_the_files_agree_on_the_seeds(tmp_path: Path) -> None:
    from whylog.repo import load

    config = Config(seeded(tmp_path))
    for period in (parse_period("2026-03", None), parse_period(None, None, every=True)):
        assert review(config, period) == review(config, period, load(config, skip_errors=True))


def test_a_low_confidence_entry_lists_ten_records_within_thirty_days_and_counts_them_all() -> None:
    from whylog.lifecycle.review import low_confidence
    from whylog.model import Confidence, EntryFields, FileRef, Record

    def entry(day: int, confidence: int = 95) -> Record:
        fields = EntryFields(type="Bug Fix", confidence=Confidence(confidence, "tested"))
        date = f"2026-03-{day:02d}T09:00:00Z" if day <= 31 else f"2026-04-{day - 31:02d}T09:00:00Z"
        return Record(f"LOG-{day}", "entry", "t", date, fields, files=(FileRef("src/a.py"),))

    later = [entry(day) for day in range(2, 40)]  # 1 March + 30 days is 31 March: days 2..31 count
    [low] = low_confidence([entry(1, 60)], later)
    assert low.later_count == 30
    assert low.later_ids == tuple(f"LOG-{day}" for day in range(2, 12))


def test_incidents_are_counted_by_level_whatever_word_the_team_writes() -> None:
    from whylog.lifecycle.review import severities
    from whylog.model import IncidentFields, Record

    words = [("SEV2", "high"), ("P1", "high"), ("High", "high"), ("Sev 4", "low"), ("Bad", "")]
    records = [
        Record(f"INC-{i}", "incident", "t", "2026-01-01", IncidentFields(w, level=lv))
        for i, (w, lv) in enumerate(words)
    ]
    assert severities(records) == (("High", 3), ("Bad", 1), ("Low", 1))
