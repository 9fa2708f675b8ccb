"""`whylog add decision` writes into the folder the repo keeps its decisions in, in that folder's
template (Nygard, MADR or whylog's own) and numbering, and what it writes reads back as given."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from tests.scripted_git import Repo
from tests.strategies.adr import decisions
from whylog.markdown.readers import read_path
from whylog.model import Record
from whylog.repo import read_config
from whylog.writing.placement import add_record

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def run(root: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli(["-C", str(root), *args])
    return code, out + err


NYGARD = [
    "# 1. Record architecture decisions",
    "",
    "Date: 2024-01-02",
    "",
    "## Status",
    "",
    "Accepted",
    "",
    "## Context",
    "",
    "We need to record the architectural decisions made on this project.",
    "",
    "## Decision",
    "",
    "We will use Architecture Decision Records.",
    "",
    "## Consequences",
    "",
    "See the adr-tools documentation.",
]

MADR = [
    "---",
    "status: accepted",
    "date: 2024-03-04",
    "decision-makers: Ada",
    "---",
    "",
    "# Use MADR for decisions",
    "",
    "## Context and Problem Statement",
    "",
    "Decisions get lost in chat.",
    "",
    "## Considered Options",
    "",
    "* MADR",
    "* Nygard",
    "",
    "## Decision Outcome",
    "",
    'Chosen option: "MADR", because it has options.',
]


def test_add_decision_in_a_nygard_folder_uses_its_template_and_four_digits(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("doc/adr/0001-record-architecture-decisions.md", NYGARD)
    repo.write("doc/adr/0002-use-postgres.md", [line.replace("1. Record", "2. Use") for line in NYGARD])
    repo.commit("adrs")
    code, out = run(
        repo.root,
        "add",
        "decision",
        "--title",
        "Keep sessions in the database",
        "--date",
        "2026-05-01",
        "--status",
        "Accepted",
        "--context",
        "Cache restarts log users out.",
        "--decision",
        "Move sessions to a table.",
        "--supersedes",
        "ADR-002",
        "--format",
        "json",
    )
    assert code == 0, out
    written = json.loads(out)
    assert written["id"] == "ADR-003" and written["fields"]["state"] == "accepted"
    assert written["fields"]["supersedes"] == ["ADR-002"]
    path = repo.root / "doc/adr/0003-keep-sessions-in-the-database.md"
    assert path.read_text(encoding="utf-8") == (
        "# 3. Keep sessions in the database\n\nDate: 2026-05-01\n\n## Status\n\nAccepted\n\nSupersedes ADR-002\n\n"
        "## Context\n\nCache restarts log users out.\n\n## Decision\n\nMove sessions to a table.\n\n## Consequences\n"
    )
    assert not (repo.root / "docs").exists()  # not the default docs/adr/
    (record,) = read_path(str(path), display="doc/adr/0003-keep-sessions-in-the-database.md").records
    assert (record.id, record.fields.status, record.fields.supersedes) == ("ADR-003", "Accepted", ("ADR-002",))
    code, out = run(repo.root, "lint", str(path))
    assert code == 0, out


def test_add_decision_in_a_madr_folder_writes_madr(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("docs/decisions/0001-use-madr-for-decisions.md", MADR)
    repo.commit("madr")
    code, out = run(
        repo.root,
        "add",
        "decision",
        "--title",
        "Sign release artifacts",
        "--date",
        "2026-05-02",
        "--status",
        "proposed",
        "--deciders",
        "Lena, Marco",
        "--context",
        "Tarballs carry no signature.",
        "--drivers",
        "no long-lived keys",
        "--options",
        "Sigstore",
        "--options",
        "GPG",
        "--decision",
        'Chosen option: "Sigstore".',
        "--good",
        "Good, because there is no key to leak",
        "--format",
        "json",
    )
    assert code == 0, out
    written = json.loads(out)
    assert written["id"] == "ADR-002" and written["fields"]["options"] == ["Sigstore", "GPG"]
    assert written["fields"]["good"] == ["Good, because there is no key to leak"]
    text = (repo.root / "docs/decisions/0002-sign-release-artifacts.md").read_text(encoding="utf-8")
    assert text.startswith('---\nstatus: "proposed"\ndate: "2026-05-02"\ndecision-makers: "Lena, Marco"\n---\n\n')
    assert "\n# Sign release artifacts\n\n## Context and Problem Statement\n\nTarballs carry no signature.\n" in text
    assert "## Decision Drivers\n\n* no long-lived keys\n\n## Considered Options\n\n- Sigstore\n- GPG\n" in text
    assert "## Decision Outcome\n\nChosen option" in text and "\n### Consequences\n\n" in text
    code, out = run(repo.root, "lint", str(repo.root / "docs/decisions/0002-sign-release-artifacts.md"))
    assert code == 0, out


def test_add_decision_without_a_decision_folder_keeps_the_whylog_template(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("README.md", ["# A project"])
    repo.commit("start")
    code, out = run(repo.root, "add", "decision", "--title", "First", "--status", "Accepted", "--format", "json")
    assert code == 0, out
    text = (repo.root / "docs/adr/001-first.md").read_text(encoding="utf-8")
    assert text.startswith("# ADR-001: First\n\n**Status:** Accepted\n")


def test_search_status_finds_a_decision_by_its_state_in_any_language(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    german = [
        "# ADR-0004: Bilder über ein CDN ausliefern",
        "",
        "## Status",
        "",
        "Vorgeschlagen | **Akzeptiert** | Abgelehnt",
        "",
        "## Kontext",
        "",
        "Der Server ist zu Spitzenzeiten überlastet.",
    ]
    repo.write("docs/architecture/adrs/0004-bilder-cdn.md", german)
    repo.write(
        "doc/adr/0005-keep-sessions.md", ["# 5. Keep sessions", *NYGARD[1:6], "Superseded by ADR-009", *NYGARD[7:]]
    )
    repo.commit("adrs")
    code, out = run(repo.root, "search", "kind:decision status:accepted", "--format", "json")
    assert code == 0, out
    assert [(r["id"], r["fields"]["status"]) for r in json.loads(out)] == [("ADR-004", "Akzeptiert")]
    code, out = run(repo.root, "search", "status:superseded", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == ["ADR-005"]


def test_add_decision_in_a_date_named_folder_names_the_file_by_its_date_in_madr(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("doc/adr/20260526-split-the-reporting-page.md", MADR)
    repo.commit("dated")
    code, out = run(
        repo.root,
        *("add", "decision", "--title", "Cache the reports of the über-tenant for one day", "--date", "2026-06-01"),
        *("--status", "Accepted", "--context", "Slow.", "--decision", "Cache.", "--format", "json"),
    )
    assert code == 0, out
    written = json.loads(out)
    assert (written["id"], written["fields"]["number"]) == ("ADR-20260601-cache-the-reports", 0)
    path = repo.root / "doc/adr/20260601-cache-the-reports-of-the-uber-tenant-for-one-day.md"
    assert path.read_text(encoding="utf-8").startswith('---\nstatus: "Accepted"\ndate: "2026-06-01"\n---\n\n# Cache')
    code, out = run(repo.root, "lint", str(path))
    assert code == 0, out


TABLE_INDEX = [
    "# Decisions",
    "",
    "| ADR | Title | Status | Date |",
    "|---|---|---|---|",
    "| [ADR-001](ADR-001-use-postgres.md) | Use postgres | Accepted | 2024-01-01 |",
    "| [ADR-002](ADR-002-keep-sessions.md) | Keep sessions | Accepted | 2024-01-02 |",
    "",
    "Write new decisions with `whylog add decision`.",
]


def _whylog_adr(number: int, title: str, day: str) -> list[str]:
    return [f"# ADR-{number:03d}: {title}", "", "**Status:** Accepted", f"**Date:** {day}", "", "## Context", "", "c"]


def test_add_decision_keeps_an_adr_prefix_and_adds_its_row_to_the_index_table(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("docs/decisions/ADR-001-use-postgres.md", _whylog_adr(1, "Use postgres", "2024-01-01"))
    repo.write("docs/decisions/ADR-002-keep-sessions.md", _whylog_adr(2, "Keep sessions", "2024-01-02"))
    repo.write("docs/decisions/README.md", TABLE_INDEX)
    repo.commit("adrs")
    code, out = run(
        repo.root,
        *("add", "decision", "--title", "Use queues for webhooks", "--date", "2026-06-01", "--status", "Proposed"),
        *("--context", "Webhooks block requests.", "--decision", "Send them from a queue."),
    )
    assert (code, out) == (0, "added ADR-003 to docs/decisions/ADR-003-use-queues-for-webhooks.md:1-14\n")
    index = (repo.root / "docs/decisions/README.md").read_text(encoding="utf-8").splitlines()
    row = "| [ADR-003](ADR-003-use-queues-for-webhooks.md) | Use queues for webhooks | Proposed | 2026-06-01 |"
    assert index == [*TABLE_INDEX[:6], row, *TABLE_INDEX[6:]]
    code, out = run(repo.root, "lint", str(repo.root / "docs/decisions/ADR-003-use-queues-for-webhooks.md"))
    assert code == 0, out


def test_add_decision_lists_itself_first_in_a_newest_first_index(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("doc/adr/0001-record-architecture-decisions.md", NYGARD)
    repo.write("doc/adr/0002-use-postgres.md", [line.replace("1. Record", "2. Use") for line in NYGARD])
    index = [
        "# Architecture decisions",
        "",
        "* [2. Use architecture decisions](0002-use-postgres.md) (2024-01-02)",
        "* [1. Record architecture decisions](0001-record-architecture-decisions.md) (2024-01-02)",
    ]
    repo.write("doc/adr/index.md", index)
    repo.commit("adrs")
    code, out = run(
        repo.root, "add", "decision", "--title", "Drop the cache", "--date", "2026-07-08", "--status", "Accepted"
    )
    assert code == 0, out
    after = (repo.root / "doc/adr/index.md").read_text(encoding="utf-8").splitlines()
    assert after == [*index[:2], "* [3. Drop the cache](0003-drop-the-cache.md) (2026-07-08)", *index[2:]]


def test_an_index_page_that_lists_no_decision_file_is_left_alone(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("doc/adr/0001-record-architecture-decisions.md", NYGARD)
    repo.write("doc/adr/README.md", ["# Decisions", "", "{{ adr_summary(path='.') }}"])
    repo.commit("adrs")
    code, out = run(repo.root, "add", "decision", "--title", "Drop the cache", "--status", "Accepted")
    assert code == 0, out
    assert (repo.root / "doc/adr/README.md").read_text(
        encoding="utf-8"
    ) == "# Decisions\n\n{{ adr_summary(path='.') }}\n"


FOLDERS = {  # template -> (folder, an existing decision's file name, its lines, the index page's lines)
    "nygard": ("doc/adr", "0001-record-architecture-decisions.md", NYGARD),
    "madr": ("docs/decisions", "0001-use-madr-for-decisions.md", MADR),
    "dated": ("doc/adr", "20240304-use-madr-for-decisions.md", MADR),
    "whylog": ("docs/decisions", "ADR-001-use-postgres.md", _whylog_adr(1, "Use postgres", "2024-01-01")),
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=decisions(), shape=st.sampled_from(sorted(FOLDERS)), with_index=st.booleans())
def test_add_then_parse_in_every_template_and_naming(record: Record, shape: str, with_index: bool) -> None:
    folder, name, lines = FOLDERS[shape]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / folder).mkdir(parents=True)
        (root / folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        index = f"# Decisions\n\n- [First decision]({name})\n"
        if with_index:
            (root / folder / "README.md").write_text(index, encoding="utf-8")
        given_fields = dataclasses.replace(record.fields, number=0)
        written = add_record(read_config(root), dataclasses.replace(record, id="", fields=given_fields), NOW)
        assert written.source is not None
        path = root / written.source.path
        assert path.parent == root / folder
        if shape == "dated":
            assert path.name.startswith((written.date or NOW.date().isoformat()).replace("-", "")[:8])
        else:
            assert path.name.startswith("ADR-002-" if shape == "whylog" else "0002-") and written.id == "ADR-002"
        (again,) = read_path(str(path), display=written.source.path).records
        assert again == written
        assert (root / folder / name).read_text(encoding="utf-8") == "\n".join(lines) + "\n"
        if with_index:
            listed = (root / folder / "README.md").read_text(encoding="utf-8")
            assert listed.startswith(index) and f"]({path.name})" in listed.splitlines()[-1]


def test_a_folder_that_switched_naming_is_written_in_the_newest_scheme(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("doc/adr/0001-record-architecture-decisions.md", NYGARD)  # Date: 2024-01-02
    repo.write("doc/adr/20260526-split-the-reporting-page.md", MADR)
    repo.commit("switched to dated names")
    code, out = run(
        repo.root, "add", "decision", "--title", "Drop the cache", "--date", "2026-07-08", "--status", "Accepted"
    )
    assert (code, out) == (0, "added ADR-20260708-drop-the-cache to doc/adr/20260708-drop-the-cache.md:6-10\n")
    renamed = [line.replace("2024-01-02", "2026-08-01").replace("1. Record", "2. Use") for line in NYGARD]
    repo.write("doc/adr/0002-use-postgres.md", renamed)
    code, out = run(
        repo.root, "add", "decision", "--title", "Keep the cache", "--date", "2026-08-09", "--status", "Accepted"
    )
    assert code == 0 and out.startswith("added ADR-003 to doc/adr/0003-keep-the-cache.md:1-"), out
