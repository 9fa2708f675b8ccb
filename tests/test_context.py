"""The session brief: the seeds copied into a repo in their default places, briefed at several budgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import copy_seeds
from whylog.lifecycle.context import (
    Item,
    brief_json,
    build_brief,
    estimate_tokens,
    fit,
    render_markdown,
)
from whylog.repo import read_config

OPEN_OBJECTIVES = (
    "Complete WebSocket connection pooling (v0.4.0)",
    "Add bulk task operations endpoint (v0.4.0)",
    "Performance testing with 1000+ concurrent WebSocket connections",
)
BLOCKER = "Mobile app team waiting for bulk operations endpoint"


def test_brief_holds_the_current_context_open_objectives_and_the_blocker(seed_repo: Path) -> None:
    text = render_markdown(build_brief(read_config(seed_repo)))
    assert "Project: Task Management API" in text
    assert "Performance: P95 latency < 200ms" in text
    for objective in OPEN_OBJECTIVES:
        assert f"- [ ] {objective}" in text
    assert "Fix WebSocket memory leak" not in text  # done objectives are not open work
    assert f"**Blocker:** {BLOCKER}" in text
    assert "`LOG-2026-03-15-2230`: Add memory usage alerts" in text
    assert "`LOG-2026-03-19-1432` Implemented User Authentication with JWT" in text


@pytest.mark.parametrize("budget", [300, 800, 1000, 2000])
def test_brief_stays_within_its_budget_and_says_so(seed_repo: Path, budget: int) -> None:
    brief = build_brief(read_config(seed_repo), budget=budget)
    text = render_markdown(brief)
    assert estimate_tokens(text) == brief.tokens <= budget
    assert text.rstrip("\n").splitlines()[-1].startswith(f"_Estimated {brief.tokens} tokens")
    assert f"of a {budget}-token budget" in text.splitlines()[-1]
    if budget >= 800:
        assert all(objective in text for objective in OPEN_OBJECTIVES) and BLOCKER in text


def test_small_budget_leaves_whole_items_out_and_keeps_open_work(seed_repo: Path) -> None:
    full = build_brief(read_config(seed_repo), budget=2000)
    small = build_brief(read_config(seed_repo), budget=300)
    assert small.left_out > full.left_out
    assert "items left out" in render_markdown(small)
    lines = set(render_markdown(full).splitlines())
    for section in small.sections:
        for item in section.items:
            assert item.cut or item.text in lines  # an item is shown whole, or marked as cut
    assert BLOCKER in render_markdown(small)


def test_brief_is_deterministic(seed_repo: Path) -> None:
    config = read_config(seed_repo)
    first = render_markdown(build_brief(config, budget=1000, query="connection pool"))
    assert render_markdown(build_brief(config, budget=1000, query="connection pool")) == first
    again = brief_json(build_brief(config, budget=1000, query="connection pool"))
    assert json.dumps(again) == json.dumps(brief_json(build_brief(config, budget=1000, query="connection pool")))


def test_path_and_query_bring_the_relevant_records(seed_repo: Path) -> None:
    config = read_config(seed_repo)
    by_path = brief_json(build_brief(config, paths=("backend/database.py",)))
    relevant = next(s for s in by_path["sections"] if s["key"] == "relevant")
    assert [i["id"] for i in relevant["items"]] == ["LOG-2026-03-18-0915"]
    by_query = brief_json(build_brief(config, query="seeding"))
    relevant = next(s for s in by_query["sections"] if s["key"] == "relevant")
    assert "INC-2024-002" in [i["id"] for i in relevant["items"]]


def test_json_has_the_same_sections_as_the_markdown(seed_repo: Path) -> None:
    brief = build_brief(read_config(seed_repo), budget=1000)
    data = brief_json(brief)
    text = render_markdown(brief)
    assert data["tokens"] == brief.tokens and data["budget"] == 1000
    assert [s["key"] for s in data["sections"]][:3] == ["context", "objectives", "risks"]
    for section in data["sections"]:
        assert f"## {section['title']}" in text
        assert all(item["text"] in text for item in section["items"])


def test_an_item_too_long_for_the_room_is_cut_and_says_so() -> None:
    long = Item("- **State:** " + "word " * 400, "CTX-devlog", 0)
    short = Item("- [ ] a short objective", "CTX-devlog", 1)
    brief = fit({"context": [long], "objectives": [short], "newest": [Item("- `X-1` old", "X-1", 9)]}, 200)
    text = render_markdown(brief)
    assert brief.tokens <= 200 and estimate_tokens(text) == brief.tokens
    cut = brief.sections[0].items[0]
    assert cut.cut and cut.text.endswith("more tokens, see `whylog show CTX-devlog`)")
    assert "… (cut: " in cut.text
    assert "- [ ] a short objective" in text  # ranked above the long item's remainder


def test_newest_records_are_dropped_before_open_work() -> None:
    newest = [Item(f"- `LOG-{n}` an entry with a title of some length", f"LOG-{n}", 9) for n in range(40)]
    objectives = [Item(f"- [ ] objective {n}", "CTX", 1) for n in range(5)]
    brief = fit({"objectives": objectives, "newest": newest}, 150)
    keys = {s.key: s for s in brief.sections}
    assert len(keys["objectives"].items) == 5
    assert keys["newest"].left_out > 0
    assert not any(item.cut for item in keys["newest"].items)


def test_cli_context_markdown_and_json(seed_repo: Path) -> None:
    from click.testing import CliRunner

    from whylog.cli import cli

    args = ["--root", str(seed_repo), "context", "--budget", "800", "--path", "backend/database.py"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert BLOCKER in result.stdout and "`LOG-2026-03-18-0915`" in result.stdout
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last.startswith("_Estimated ") and "of a 800-token budget" in last
    result = CliRunner().invoke(cli, ["--root", str(seed_repo), "context", "--query", "seeding", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["budget"] == 2000 and data["tokens"] <= 2000
    assert "INC-2024-002" in [i["id"] for s in data["sections"] for i in s["items"]]


def test_devlog_alone_under_800_tokens_has_the_objectives_and_the_blocker(tmp_path: Path) -> None:
    copy_seeds(tmp_path, {"devlog.md": "DEVLOG.md"})
    brief = build_brief(read_config(tmp_path), budget=800)
    text = render_markdown(brief)
    assert brief.tokens < 800
    assert all(objective in text for objective in OPEN_OBJECTIVES) and BLOCKER in text


def _relevant_ids(data: dict[str, object]) -> list[str]:
    sections = data["sections"]
    assert isinstance(sections, list)
    return [i["id"] for s in sections if s["key"] == "relevant" for i in s["items"]]


def test_a_tight_budget_keeps_what_the_query_names_first(seed_repo: Path) -> None:
    """`context --query "pool exhaustion" --budget 400` kept the least relevant match (a short line that
    happened to fit) and dropped the two records the query names."""
    from tests.conftest import run_cli
    from whylog.index.query import parse_query
    from whylog.index.search import run_search
    from whylog.index.sqlite import open_synced

    status, out, _ = run_cli(
        ["-C", str(seed_repo), "context", "--query", "pool exhaustion", "--budget", "400", "--format", "json"]
    )
    assert status == 0
    data = json.loads(out)
    assert data["tokens"] <= 400
    shown = _relevant_ids(data)
    assert {"LOG-2026-03-18-0915", "INC-2024-001"} <= set(shown)
    conn = open_synced(read_config(seed_repo))
    ranked = [hit.envelope["id"] for hit in run_search(conn, parse_query("pool exhaustion"), 9)]
    ranked = [rid for rid in ranked if not rid.startswith("CTX-")]
    assert shown == ranked[: len(shown)]  # by relevance, and none shown in place of a better one


def test_a_less_relevant_record_never_takes_the_place_of_a_better_one() -> None:
    best = Item("- `LOG-1` " + "a long title that names the query in full " * 3, "LOG-1", 2)
    worse = Item("- `LOG-2` short", "LOG-2", 2)
    newer = Item("- `LOG-3` newest", "LOG-3", 9)
    state = Item("- **State:** " + "x" * 300, "CTX", 0)
    brief = fit({"context": [state], "relevant": [best, worse], "newest": [newer]}, 130)
    shown = [item.record_id for s in brief.sections for item in s.items if s.key in ("relevant", "newest")]
    assert "LOG-1" not in shown  # it does not fit ...
    assert shown == []  # ... so neither the weaker match nor a newer record is shown in its place
    roomy = fit({"context": [state], "relevant": [best, worse], "newest": [newer]}, 400)
    assert [i.record_id for s in roomy.sections for i in s.items if s.key != "context"] == ["LOG-1", "LOG-2", "LOG-3"]


ADR = """# ADR-{n:03d}: {title}

**Status:** Accepted
**Date:** 2026-03-01

## Context

{text}

## Decision

We do it.
"""


def test_records_of_one_date_keep_their_order_when_a_file_is_indexed_again(tmp_path: Path) -> None:
    """Records of the same date were ordered by when the index last read their file (its row ids): editing
    one file turned the newest records round."""
    from tests.conftest import run_cli

    adr = tmp_path / "docs" / "adr"
    adr.mkdir(parents=True)
    for n, title in ((1, "Queue for the mailer"), (2, "Cache for the catalogue"), (3, "Retries for the webhook")):
        (adr / f"{n:03d}-x.md").write_text(ADR.format(n=n, title=title, text="Plain words."), encoding="utf-8")

    def newest() -> list[str]:
        status, out, _ = run_cli(["-C", str(tmp_path), "context", "--format", "json"])
        assert status == 0
        return [i["id"] for s in json.loads(out)["sections"] if s["key"] == "newest" for i in s["items"]]

    first = newest()
    assert first == ["ADR-003", "ADR-002", "ADR-001"]
    for n in (1, 3, 2):
        path = adr / f"{n:03d}-x.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        assert newest() == first


def test_a_memory_bank_progress_file_gives_its_open_tasks_to_the_brief(tmp_path: Path) -> None:
    (tmp_path / "memory-bank").mkdir()
    (tmp_path / "memory-bank" / "progress.md").write_text(
        "# Progress\n\n## What Works\n- CSV export\n\n## What's Left to Build\n- [ ] CSV import\n- [-] Dark mode\n\n"
        "Last updated: 2026-05-02\n",
        encoding="utf-8",
    )
    text = render_markdown(build_brief(read_config(tmp_path)))
    assert "- [ ] CSV import" in text and "- [ ] Dark mode" in text
    assert "CSV export" not in text  # what works is no open work
