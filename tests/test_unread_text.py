"""Nothing vanishes silently: damaged record files, unstructured text in the index, line endings and
mojibake. Every repo here is written by the test; the seed dev log is read when ../shared is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS
from tests.conftest import run_cli as run
from whylog.markdown.readers import read_bytes, read_path
from whylog.model.errors import ParseError

HEAD = "# SYSTEM_LOG\n\nThe webhook team keeps this log; the zebra rota is pinned in the channel.\n\n"
NEWER = (
    "## 2026-11-21 10:00 UTC - Capped the retry budget in the webhook sender\n"
    "**Type:** Implementation\n"
    "**Affected Files:**\n"
    "- `src/webhook.py` (lines 10-40)\n"
    "**Result:**\n"
    "- Retries capped at 5 in the soak test\n"
    "**Confidence:** 90% - soak tested for one day\n"
)
OLDER = (
    "## 2026-11-20 09:00 UTC - Moved the queue consumer to its own process\n"
    "**Type:** Architecture Change\n"
    "**Affected Files:**\n"
    "- `src/queue.py` (lines 1-20)\n"
    "**Result:**\n"
    "- DAMAGE here\n"
    "**Confidence:** 85% - ran for a week\n"
)
LOG = HEAD + NEWER + "\n---\n\n" + OLDER
DAMAGE_LINE = LOG.splitlines().index("- DAMAGE here") + 1
DAMAGE = {
    "not-utf8": (b"caf\xe9 \xff", "PRS090", "byte 0xe9 is not UTF-8 (and 1 more); read as U+FFFD"),
    "nul": (b"ok\x00 fine", "PRS091", "binary data (a NUL byte); read as U+FFFD"),
    "long-line": (b"x" * 10_000_000, "PRS092", "line is 10,000,002 characters long; read its first 999,998"),
}


def damaged_log(case: str) -> bytes:
    bad = DAMAGE[case][0]
    return LOG.encode().replace(b"DAMAGE here", bad)


RECORDS = {"SYSTEM_LOG.md": LOG}


def warnings_in(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("whylog: warning:")]


# --- 1. a damaged file is read, and every command says so -------------------------------------------------


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_file_keeps_its_records_in_every_command_with_one_warning(record_folder: Path, case: str) -> None:
    (record_folder / "SYSTEM_LOG.md").write_bytes(damaged_log(case))
    _, code_name, message = DAMAGE[case]
    where = f"whylog: warning: SYSTEM_LOG.md:{DAMAGE_LINE}: {message}"
    commands = [
        (["list"], "LOG-2026-11-20-0900"),
        (["search", "queue consumer"], "LOG-2026-11-20-0900"),
        (["why", "src/queue.py"], "LOG-2026-11-20-0900"),
        (["context"], "Moved the queue consumer"),
        (["review", "--all", "--format", "json"], '"name": "Architecture Change",\n      "count": 1'),
        (["show", "LOG-2026-11-20-0900"], "Moved the queue consumer"),
        (["export"], "LOG-2026-11-20-0900"),
        (["index"], "entry     2"),
    ]
    for args, expected in commands:
        code, out, err = run(args)
        assert code == 0, (args, err)
        assert expected in out, (args, out)
        assert warnings_in(err) == [where + err.split(where, 1)[1].splitlines()[0]], (args, err)
        assert "hint: re-save it as UTF-8 text" in err and "Traceback" not in err
    code, out, _ = run(["parse", "SYSTEM_LOG.md", "--format", "json"])
    codes = [d["code"] for d in json.loads(out)["diagnostics"]]
    assert code == 0 and codes == [code_name]


def test_a_clean_repo_prints_no_warning(record_folder: Path) -> None:
    code, out, err = run(["list"])
    assert code == 0 and err == "" and "LOG-2026-11-21-1000" in out


def test_the_warning_goes_when_the_file_is_repaired(record_folder: Path) -> None:
    (record_folder / "SYSTEM_LOG.md").write_bytes(damaged_log("not-utf8"))
    assert warnings_in(run(["list"])[2])
    (record_folder / "SYSTEM_LOG.md").write_text(LOG, encoding="utf-8")
    code, _, err = run(["list"])
    assert code == 0 and warnings_in(err) == []


def test_the_warning_comes_from_the_index_without_reading_the_file_again(record_folder: Path) -> None:
    (record_folder / "SYSTEM_LOG.md").write_bytes(damaged_log("nul"))
    run(["index"])
    from whylog.index.sqlite import file_warnings, open_index
    from whylog.repo import read_config

    conn = open_index(read_config(record_folder))
    [(path, line, message, hint)] = file_warnings(conn)
    assert (path, line) == ("SYSTEM_LOG.md", DAMAGE_LINE) and message.startswith("binary data") and hint


def test_mcp_tools_return_the_records_and_the_warning(record_folder: Path) -> None:
    from tests.test_mcp import serving

    (record_folder / "SYSTEM_LOG.md").write_bytes(damaged_log("not-utf8"))
    with serving(record_folder) as client:
        found = client.data("search", {"query": "queue consumer"})
        assert found["hits"][0]["id"] == "LOG-2026-11-20-0900"
        [warning] = found["warnings"]
        assert warning.startswith(f"SYSTEM_LOG.md:{DAMAGE_LINE}: byte 0xe9 is not UTF-8")
        assert client.data("why", {"target": "src/queue.py"})["warnings"] == [warning]
        assert client.data("show", {"id": "LOG-2026-11-20-0900"})["warnings"] == [warning]
        assert client.data("context", {})["warnings"] == [warning]
        [text] = client.data("search", {"query": "zebra"})["hits"]
        assert (text["kind"], text["id"]) == ("text", "SYSTEM_LOG.md:3-3")
        shown = client.data("show", {"id": text["id"]})
        assert shown["record"]["text"] == HEAD.splitlines()[2] and shown["markdown"].endswith(
            HEAD.splitlines()[2] + "\n"
        )


# --- writers refuse a damaged file --------------------------------------------------------------------------


def _refused(root: Path, args: list[str], path: str = "SYSTEM_LOG.md") -> str:
    before = (root / path).read_bytes()
    code, out, err = run(args)
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"whylog: error: {path}:") and "expected UTF-8 text" in lines[0], err
    assert len(lines) == 2 and lines[1].startswith("  hint: nothing was written"), err
    assert (root / path).read_bytes() == before
    return err


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_add_refuses_a_damaged_file(record_folder: Path, case: str) -> None:
    (record_folder / "SYSTEM_LOG.md").write_bytes(damaged_log(case))
    _refused(record_folder, ["add", "entry", "--title", "Tuned the cache size for workers", "--type", "Configuration"])


def test_archive_refuses_a_damaged_file(record_folder: Path) -> None:
    (record_folder / "SYSTEM_LOG.md").write_bytes(damaged_log("not-utf8").replace(b"2026-11-2", b"2020-11-2"))
    (record_folder / "whylog.toml").write_text(
        '[archive]\nsyslog_max_lines = 5\n[sources]\n"SYSTEM_LOG*.md" = "syslog"\n'
    )
    _refused(record_folder, ["archive"])
    assert sorted(p.name for p in record_folder.iterdir() if p.name != ".whylog") == ["SYSTEM_LOG.md", "whylog.toml"]


def test_lint_reports_and_lint_fix_refuses_a_damaged_file(record_folder: Path) -> None:
    data = damaged_log("nul").replace(b"---\n\n## 2026-11-20", b"---## 2026-11-20")  # a glued separator
    (record_folder / "SYSTEM_LOG.md").write_bytes(data)
    code, out, _ = run(["lint", "--format", "json"])
    found = {d["code"]: d for d in json.loads(out)}
    assert code == 1 and found["FIL001"]["line"] == DAMAGE_LINE - 2 and "FIL003" in found
    _refused(record_folder, ["lint", "--fix"])


def test_renumber_refuses_a_damaged_file(record_folder: Path) -> None:
    block = (
        "**Incident ID:** INC-2026-001\n**Date:** 2026-11-{day}\n**Severity:** Low\n"
        "**Title:** {title}\n\n**Root Cause:**\n* {cause}\n\n---\n\n"
    )
    text = "# Incidents\n\n" + block.format(day="20", title="Queue stalled", cause="caf\udce9")
    text += block.format(day="21", title="Webhook storm", cause="retries")
    (record_folder / "INCIDENTS.md").write_bytes(text.encode("utf-8", "surrogateescape"))
    _refused(record_folder, ["renumber"], "INCIDENTS.md")


# --- 2. unstructured text is searchable -----------------------------------------------------------------


def test_a_hit_on_unstructured_text_says_where_it_is(record_folder: Path) -> None:
    code, out, _ = run(["search", "zebra"])
    assert code == 0
    assert out.splitlines()[0].split() == ["SYSTEM_LOG.md:3-3", "text", *HEAD.splitlines()[2].split()]
    assert "[zebra]" in out.splitlines()[1]
    code, out, _ = run(["search", "zebra", "--format", "json"])
    [hit] = json.loads(out)
    assert hit["kind"] == "text" and hit["id"] == "SYSTEM_LOG.md:3-3"
    assert hit["source"] == {"path": "SYSTEM_LOG.md", "start_line": 3, "end_line": 3}
    assert "**zebra**" in hit["snippet"] and hit["fields"] == {} and hit["date"] == ""
    assert hit["text"] == HEAD.splitlines()[2]


@pytest.mark.parametrize("query", [["zebra", "kind:entry"], ["zebra", "since:2020"], ["kind:entry"]])
def test_filters_keep_to_records(record_folder: Path, query: list[str]) -> None:
    code, out, _ = run(["search", *query, "--format", "json"])
    assert all(hit["kind"] == "entry" for hit in json.loads(out or "[]"))
    code, out, _ = run(["search", *query])
    assert "text" not in out.split()


def test_records_and_text_rank_together(record_folder: Path) -> None:
    (record_folder / "SYSTEM_LOG.md").write_text(
        LOG + "\nNotes: the webhook sender retries also page the zebra rota.\n"
    )
    code, out, _ = run(["search", "webhook", "--format", "json"])
    kinds = {hit["kind"] for hit in json.loads(out)}
    assert code == 0 and kinds == {"entry", "text"}


def test_show_file_line_shows_the_text_or_the_record_there(record_folder: Path) -> None:
    code, out, _ = run(["show", "SYSTEM_LOG.md:3"])
    assert code == 0 and out == f"<!-- text · SYSTEM_LOG.md:3-3 -->\n{HEAD.splitlines()[2]}\n"
    code, out, _ = run(["show", "SYSTEM_LOG.md:3-3", "--format", "json"])
    data = json.loads(out)
    assert data["kind"] == "text" and data["text"] == HEAD.splitlines()[2]
    code, out, _ = run(["show", "SYSTEM_LOG.md:8"])
    assert code == 0 and out.startswith("<!-- LOG-2026-11-21-1000 · SYSTEM_LOG.md:5-11 -->")
    code, _, err = run(["show", "SYSTEM_LOG.md:4"])
    assert code == 1 and "SYSTEM_LOG.md:4: no record and no unstructured text at line 4" in err


def test_add_moves_the_text_spans_it_pushes_down(record_folder: Path) -> None:
    (record_folder / "SYSTEM_LOG.md").write_text(LOG + "\n## Notes\n\nA closing note about the zebra rota.\n")
    run(["index"])
    code, out, _ = run(["search", "closing", "--format", "json"])
    [before] = json.loads(out)
    run(["add", "entry", "--title", "Tuned the cache size for workers", "--type", "Configuration"])
    code, out, _ = run(["search", "closing", "--format", "json"])
    [after] = json.loads(out)
    added = len((record_folder / "SYSTEM_LOG.md").read_text().splitlines()) - len(
        (LOG + "\n## Notes\n\nA\n").splitlines()
    )
    assert after["source"]["start_line"] == before["source"]["start_line"] + added
    lines = (record_folder / "SYSTEM_LOG.md").read_text().splitlines()
    assert added > 0 and lines[after["source"]["start_line"] - 1] == "## Notes"
    assert lines[after["source"]["end_line"] - 1].startswith("A closing note")


# --- 4. encodings: BOM and line endings round trip, mojibake is repaired for reading only -------------------


@pytest.mark.parametrize(
    ("bom", "ending"), [(b"\xef\xbb\xbf", "\n"), (b"", "\r\n"), (b"\xef\xbb\xbf", "\r\n"), (b"", "mixed")]
)
def test_add_keeps_bom_and_line_endings(record_folder: Path, bom: bytes, ending: str) -> None:
    lines = LOG.splitlines(keepends=True)
    if ending == "mixed":
        body = "".join(line.replace("\n", "\r\n") if n % 2 else line for n, line in enumerate(lines))
    else:
        body = LOG.replace("\n", ending)
    old = bom + body.encode()
    (record_folder / "SYSTEM_LOG.md").write_bytes(old)
    assert read_path(str(record_folder / "SYSTEM_LOG.md")).render().encode() == body.encode()
    code, _, err = run(["add", "entry", "--title", "Tuned the cache size for workers", "--type", "Configuration"])
    assert code == 0, err
    new = (record_folder / "SYSTEM_LOG.md").read_bytes()
    assert new.startswith(bom + b"# SYSTEM_LOG")
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    added = len(new_lines) - len(old_lines)
    start = next(n for n, line in enumerate(new_lines) if b"Tuned the cache" in line)
    assert new_lines[:start] == old_lines[:start] and new_lines[start + added :] == old_lines[start:]
    first_ending = b"\r\n" if ending == "\r\n" else b"\n"
    assert all(
        line.endswith(first_ending) and not line.endswith(b"\r\r\n") for line in new_lines[start : start + added]
    )
    code, out, _ = run(["list"])
    assert out.count("\n") == 3


MOJIBAKE_LOG = (
    "# SYSTEM_LOG\n\n"
    "## 2026-11-21 10:00 UTC - Cached the cafÃ© menu â€” twice as fast\n"
    "**Type:** Implementation\n"
    "**Result:**\n"
    "- ðŸ“‹ checklist done; the naÃ¯ve cache is gone\n"
    "**Confidence:** 90% - measured\n"
)


def test_mojibake_is_repaired_in_records_and_the_index_never_in_the_file(record_folder: Path) -> None:
    data = MOJIBAKE_LOG.encode()
    (record_folder / "SYSTEM_LOG.md").write_bytes(data)
    document = read_path(str(record_folder / "SYSTEM_LOG.md"))
    [record] = document.records
    assert record.title == "Cached the café menu — twice as fast"
    assert record.fields.result == "- 📋 checklist done; the naïve cache is gone"  # type: ignore[union-attr]
    assert document.render().encode() == data and record.source and record.source.end_line == 7
    assert [(d.code, d.source.start_line) for d in document.diagnostics] == [("PRS093", 3)]
    code, out, _ = run(["search", "naive", "--format", "json"])
    assert code == 0 and json.loads(out)[0]["title"] == "Cached the café menu — twice as fast"
    code, _, err = run(["add", "entry", "--title", "Tuned the cache size for workers", "--type", "Configuration"])
    assert code == 0, err
    assert data.split(b"\n", 2)[2] in (record_folder / "SYSTEM_LOG.md").read_bytes()  # the mojibake bytes stay


def test_plain_non_ascii_text_is_left_alone() -> None:
    text = "# SYSTEM_LOG\n\n## 2026-11-21 10:00 UTC - Réglé le cache — naïve façade, 日本語\n**Type:** Implementation\n"
    text += "**Result:**\n- « Ça marche » à 100 %, ½ du temps · ÀÉÎ ñ\n"
    document = read_bytes(text.encode(), "SYSTEM_LOG.md")
    assert document.records[0].title == "Réglé le cache — naïve façade, 日本語"
    assert document.records[0].fields.result == "- « Ça marche » à 100 %, ½ du temps · ÀÉÎ ñ"  # type: ignore[union-attr]
    assert document.diagnostics == []


def test_the_seed_dev_log_reads_without_mojibake() -> None:
    path = SEEDS / "devlog.md"
    if not path.exists():
        pytest.skip("../shared/seeds is not present")
    data = path.read_bytes()
    document = read_path(str(path))
    assert document.render().encode() == data.removeprefix(b"\xef\xbb\xbf")
    assert [d.code for d in document.diagnostics].count("PRS093") == 1
    from whylog.model import to_json

    text = json.dumps(
        [to_json(r) for r in document.records] + [u.text for u in document.unstructured], ensure_ascii=False
    )
    assert "ðŸ" not in text and "â€" not in text and "Ã¢" not in text


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_read_or_raise_only_parse_error(data: bytes) -> None:
    try:
        document = read_bytes(data, "SYSTEM_LOG.md")
    except ParseError:
        return
    assert document.damaged == (b"\x00" in data or _not_utf8(data))


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
