"""Postmortems and incident ledgers in the shapes teams keep (tests/golden/postmortems/, written for these
tests in the shapes of real files): one postmortem per file, `## INC-7 — title` blocks, a translated
twin, a table of incidents; severities, timelines, action items and the times to detect and resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GOLDEN, check_golden
from whylog.markdown.document import diagnostic_json
from whylog.markdown.postmortems import durations, level_of, read_action_items, read_timeline, twin_language
from whylog.markdown.readers import read_path
from whylog.model import ActionItem, IncidentFields, TimelineEvent, to_json

FOLDER = GOLDEN / "postmortems"
# Where each fixture sits in a repo: the name and folder decide the family, as in a real repo.
PLACES = {
    "2026-03-02-cache-stampede.md": "docs/postmortems/2026-03-02-cache-stampede.md",
    "2026-05-11-falha-no-login.md": "docs/postmortems/2026-05-11-falha-no-login.md",
    "INCIDENTS.md": "INCIDENTS.md",
    "INCIDENTS.ru.md": "INCIDENTS.ru.md",
    "LEDGER.md": "docs/incidents/ledger.md",
    "ledger-ko.md": "INCIDENTS.md",
    "issues-zh.md": "INCIDENTS.md",
}


def _read(name: str):  # type: ignore[no-untyped-def]
    return read_path(str(FOLDER / name), display=PLACES[name])


@pytest.mark.parametrize("name", sorted(PLACES))
def test_golden(name: str, update_goldens: bool) -> None:
    document = _read(name)
    actual = {
        "records": [to_json(r) for r in document.records],
        "diagnostics": [diagnostic_json(d) for d in document.diagnostics],
    }
    check_golden(actual, FOLDER / (Path(name).stem + ".json"), update_goldens)


def test_postmortem_is_one_incident_with_its_parts() -> None:
    (record,) = _read("2026-03-02-cache-stampede.md").records
    fields = record.fields
    assert isinstance(fields, IncidentFields)
    assert (record.id, record.title, record.date) == (
        "INC-2026-03-02-cache-stampede",
        "Cache stampede took the catalog API down",
        "2026-03-02",
    )
    assert (fields.severity, fields.level, fields.status) == ("SEV2", "high", "Resolved")
    assert fields.summary.startswith("A cold cache") and fields.detection.startswith("The p99")
    assert fields.impact.startswith("- Catalog pages")
    assert fields.root_cause == (
        "The deploy flushed the shared cache, and no request coalescing protected the database.",
    )
    assert len(fields.contributing_factors) == 2 and len(fields.lessons) == 1
    assert fields.timeline[1] == TimelineEvent("2026-03-02T09:06:00Z", "Latency alert fired and paged on-call")
    assert (fields.minutes_to_detect, fields.minutes_to_resolve) == (6, 47)
    assert fields.action_items == (
        ActionItem("Coalesce concurrent cache misses", True, "@dana", "Done", "2026-03-20"),
        ActionItem("Run the warm-up job in every deploy", False, "@li", "In progress", "2026-04-15"),
    )


def test_postmortem_in_another_language_with_a_list_timeline() -> None:
    (record,) = _read("2026-05-11-falha-no-login.md").records
    fields = record.fields
    assert isinstance(fields, IncidentFields)
    assert record.title == "Falha no login após rotação de chaves" and record.date == "2026-05-11"
    assert (fields.severity, fields.level, fields.status) == ("Alta", "high", "Resolvido")
    assert len(fields.root_cause) == 2 and fields.root_cause[0].startswith("**Cache de chaves**")
    assert [a.done for a in fields.action_items] == [True, False]
    assert (fields.minutes_to_detect, fields.minutes_to_resolve) == (8, 53)


def test_ledger_blocks_and_their_twin_are_not_duplicates() -> None:
    original = _read("INCIDENTS.md").records
    twin = _read("INCIDENTS.ru.md").records
    assert [r.id for r in original] == ["INC-7", "INC-8"]
    assert [r.id for r in twin] == ["INC-7.ru"]
    fields = twin[0].fields
    assert isinstance(fields, IncidentFields)
    assert (fields.language, fields.original, fields.level) == ("ru", "INC-7", "high")
    assert fields.root_cause and fields.resolution and len(fields.action_items) == 2
    first = original[0].fields
    assert isinstance(first, IncidentFields) and first.symptoms and first.status == "Resolved"


def test_table_of_incidents_gives_a_record_per_row() -> None:
    records = _read("LEDGER.md").records
    assert [r.date for r in records] == ["2026-01-14", "2026-02-09", "2026-02-27"]
    levels = [r.fields.level for r in records if isinstance(r.fields, IncidentFields)]
    assert levels == ["critical", "medium", "low"]
    assert records[0].fields.root_cause == ("Certificate renewal job was disabled",)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("word", "level"),
    [
        ("SEV1", "critical"),
        ("Sev-2", "high"),
        ("sev 3", "medium"),
        ("SEV4", "low"),
        ("P0", "critical"),
        ("P1", "high"),
        ("P2", "medium"),
        ("P3", "low"),
        ("🔴 Critical", "critical"),
        ("🟡 Medium", "medium"),
        ("**High**", "high"),
        ("Низкая", "low"),
        ("高", "high"),
        ("Média", "medium"),
        ("whatever", ""),
        ("", ""),
    ],
)
def test_severity_words_and_codes_map_to_one_level(word: str, level: str) -> None:
    assert level_of(word) == level


def test_timeline_times_of_day_take_the_incident_day_and_durations_need_times() -> None:
    events = read_timeline("- 10:00 deploy\n- 10:15 alert fired\n- 11:00 service restored", "2026-01-05")
    assert [e.time for e in events] == ["2026-01-05T10:00:00Z", "2026-01-05T10:15:00Z", "2026-01-05T11:00:00Z"]
    assert durations(events) == (15, 60)
    assert durations(read_timeline("- deploy\n- alert fired", "")) == (None, None)


def test_action_items_in_every_shape() -> None:
    assert read_action_items("- [x] done thing\n- [ ] open thing\n- [In Progress] half") == (
        ActionItem("done thing", True),
        ActionItem("open thing", False),
        ActionItem("half", False, state="In Progress"),
    )
    table = "| Task | Assignee | State |\n|---|---|---|\n| Fix it | ops | closed |"
    assert read_action_items(table) == (ActionItem("Fix it", True, "ops", "closed"),)


@pytest.mark.parametrize(
    ("path", "language"),
    [("INCIDENTS.ru.md", "ru"), ("docs/postmortems/outage.zh-CN.md", "zh-CN"), ("INCIDENTS.md", ""), ("a.md.md", "")],
)
def test_twin_language_from_the_file_name(path: str, language: str) -> None:
    assert twin_language(path) == language


def test_timeline_with_a_day_line_twelve_hour_clocks_and_date_and_time_columns() -> None:
    events = read_timeline(
        "2026-02-03 (all times UTC)\n- 11:50 AM deploy\n- 12:05 PM alert paged on-call\n- 1:15 PM restored"
    )
    assert [e.time for e in events[1:]] == ["2026-02-03T11:50:00Z", "2026-02-03T12:05:00Z", "2026-02-03T13:15:00Z"]
    assert durations(events) == (15, 85)
    table = (
        "| Date | Time | Event |\n|---|---|---|\n| 2026-01-02 | 23:50 | deploy |\n| 2026-01-03 | 0:20 | alert fired |"
    )
    assert durations(read_timeline(table)) == (30, None)


def test_a_twin_beside_its_original_is_no_duplicate_and_filters_use_the_level(tmp_path: Path) -> None:
    from tests.conftest import run_cli
    from whylog.lint import lint_paths
    from whylog.repo import read_config

    for name in ("INCIDENTS.md", "INCIDENTS.ru.md"):
        (tmp_path / name).write_bytes((FOLDER / name).read_bytes())
    codes = {d.code for d in lint_paths(read_config(tmp_path))}
    assert not codes & {"ENT008", "INC002", "INC001"}, codes
    code, out, _err = run_cli(["-C", str(tmp_path), "search", "severity:high"])
    assert code == 0 and "INC-7 " in out and "INC-7.ru" in out and "INC-8" not in out, out
    code, out, _err = run_cli(["-C", str(tmp_path), "search", "status:mitigated"])
    assert code == 0 and "INC-8" in out and "INC-7" not in out, out
    code, out, _err = run_cli(["-C", str(tmp_path), "show", "INC-7"])
    assert code == 0 and "Payments webhook queue backed up" in out, out


def test_run_in_bold_labels_and_full_width_colons_fill_the_fields() -> None:
    first, second = _read("ledger-ko.md").records
    fields = first.fields
    assert isinstance(fields, IncidentFields) and first.date == "2026-09-14"
    assert fields.symptoms == ("정산 리포트의 합계가 전날의 정확히 두 배였다.",)
    assert fields.root_cause[0].endswith("로컬 디스크에 있었다.") and fields.resolution and fields.action_items
    assert [s.label for s in fields.sections] == ["증상", "원인", "조치", "재발방지"]
    one, two = _read("issues-zh.md").records
    assert isinstance(two.fields, IncidentFields)
    assert (two.fields.severity, two.fields.level) == ("高", "high")
    assert two.fields.impact == "高峰期接口响应超过 3 秒。"
    assert two.fields.action_items == (ActionItem("为热点查询加请求合并。"),)
