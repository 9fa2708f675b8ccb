"""`add` splices a record in where the file's order says and changes no existing line."""

from __future__ import annotations

import difflib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import seed_path
from whylog.markdown.readers import read_path
from whylog.model import ActionItem, EntryFields, IncidentFields, Record, StoryFields, StorySection
from whylog.model.errors import WriteError
from whylog.repo import Config
from whylog.writing.placement import add_record

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def only_insertions(old: str, new: str) -> list[str]:
    """Every existing line kept, in order: returns the inserted lines, fails on any other edit."""
    matcher = difflib.SequenceMatcher(None, old.splitlines(True), new.splitlines(True), autojunk=False)
    inserted = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), f"{tag} of old lines {i1 + 1}-{i2}"
        inserted += new.splitlines(True)[j1:j2]
    return inserted


def entry(title: str, date: str = "") -> Record:
    fields = EntryFields(type="Bug Fix", observation="Pool ran dry", actions=("Raised the pool",), result="- Stable")
    return Record("", "entry", title, date, fields)


SAMPLES = {
    "entry": ("SYSTEM_LOG.md", "system-log-template.md", entry("Fixed the pool exhaustion under load")),
    "incident": (
        "INCIDENTS.md",
        "incidents.md",
        Record(
            "",
            "incident",
            "Queue stalled after deploy",
            "",
            IncidentFields(
                severity="High",
                services=("Worker",),
                symptoms=("Jobs stuck",),
                root_cause=("Bad config",),
                resolution=("Rolled back",),
                action_items=(ActionItem("Add alert", False),),
            ),
        ),
    ),
    "story": (
        "DEVLOG.md",
        "devlog.md",
        Record(
            "",
            "story",
            "The Queue Stall",
            "",
            StoryFields(sections=(StorySection("The Problem", "Jobs stuck after deploy."),), shipped="v0.4.1"),
        ),
    ),
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_adding_to_a_copy_of_each_seed_changes_no_existing_line(tmp_path: Path, kind: str) -> None:
    target, seed, record = SAMPLES[kind]
    shutil.copy(seed_path(seed), tmp_path / target)
    old = (tmp_path / target).read_text(encoding="utf-8")
    before = read_path(str(tmp_path / target)).records
    written = add_record(Config(tmp_path), record, NOW)
    new = (tmp_path / target).read_text(encoding="utf-8")
    assert only_insertions(old, new)
    after = read_path(str(tmp_path / target)).records
    assert [r.without_source() for r in after if r.id != written.id] == [r.without_source() for r in before]
    assert written.title == record.title


def test_newest_first_order_is_kept(tmp_path: Path) -> None:
    (tmp_path / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    config = Config(tmp_path)
    for day in ("2026-01-10", "2026-03-10", "2026-02-10"):
        add_record(config, entry(f"Change made on the day {day}", f"{day}T10:00:00Z"), NOW)
    dates = [r.date[:10] for r in read_path(str(tmp_path / "SYSTEM_LOG.md")).records]
    assert dates == ["2026-03-10", "2026-02-10", "2026-01-10"]


def test_oldest_first_file_gets_new_records_at_the_end(tmp_path: Path) -> None:
    block = "## {0} 10:00 UTC - Change made on the day {0}\n**Type:** Documentation\n**Result:**\nok\n---\n\n"
    log = tmp_path / "SYSTEM_LOG.md"
    log.write_text("# SYSTEM_LOG\n\n" + block.format("2026-01-10") + block.format("2026-02-10"), encoding="utf-8")
    old = log.read_text(encoding="utf-8")
    add_record(Config(tmp_path), entry("Change made on the day 2026-03-10", "2026-03-10T10:00:00Z"), NOW)
    new = log.read_text(encoding="utf-8")
    assert new.startswith(old)
    assert [r.date[:10] for r in read_path(str(log)).records] == ["2026-01-10", "2026-02-10", "2026-03-10"]


def test_file_without_final_newline_and_crlf(tmp_path: Path) -> None:
    log = tmp_path / "SYSTEM_LOG.md"
    old = "# SYSTEM_LOG\r\n\r\n## 2026-01-01 10:00 UTC - Started the log for the team\r\n**Type:** Documentation\r\n**Result:**\r\nok"
    log.write_bytes(old.encode())
    add_record(Config(tmp_path), entry("Fixed the pool exhaustion under load", "2026-02-01T10:00:00Z"), NOW)
    new = log.read_bytes().decode()
    assert "\n" not in new.replace("\r\n", "")
    assert new.endswith(old.split("\r\n", 2)[2])


def test_a_value_the_template_cannot_hold_is_refused_and_nothing_written(tmp_path: Path) -> None:
    log = tmp_path / "SYSTEM_LOG.md"
    log.write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    record = entry("Fixed the pool exhaustion under load", "2026-02-01T10:00:00Z")
    bad = Record(
        "", "entry", record.title, record.date, EntryFields(type="Bug Fix", result="ok\n**Confidence:** 5% - sneaky")
    )
    with pytest.raises(WriteError, match="would not read back"):
        add_record(Config(tmp_path), bad, NOW)
    assert log.read_text(encoding="utf-8") == "# SYSTEM_LOG\n\n"


def test_incident_ids_count_up_per_year(tmp_path: Path) -> None:
    _, _, record = SAMPLES["incident"]
    config = Config(tmp_path)
    first = add_record(config, record, NOW)
    second = add_record(config, record, NOW)
    assert (first.id, second.id) == ("INC-2026-001", "INC-2026-002")


def test_a_double_star_glob_names_files_at_any_depth_even_none(tmp_path: Path) -> None:
    from whylog.repo import source_family

    config = Config(tmp_path, {"docs/**/*.md": "adr", "SYSTEM_LOG.md": "syslog"})
    found = [source_family(config, rel) for rel in ("docs/x.md", "docs/a/b/x.md", "notes/x.md", "SYSTEM_LOG.md")]
    assert found == ["adr", "adr", None, "syslog"]
