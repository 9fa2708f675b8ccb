"""`why` on scripted git repositories: records in SYSTEM_LOG.md, anchored where git blame says, followed to now."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.scripted_git import CODE, Repo, entry, system_log
from whylog.model import BlockerItem, ChangeFields, DecisionFields, FileRef, IncidentFields, Record, StoryFields
from whylog.repo import Config, load
from whylog.why import Target, TargetError, WhyResult, explain, format_text, read_target, to_json

LOG = "SYSTEM_LOG.md"
FIRST = "LOG-2026-02-01-1001"
SECOND = "LOG-2026-02-01-1005"


def why(git_repo: Repo, target: str, **options: Any) -> WhyResult:
    return explain(Config(git_repo.root), target, **options)


def hows(result: WhyResult) -> dict[str, str]:
    return {m.record.id: m.how for m in result.matches}


def logged(git_repo: Repo, *files: str, minute: int = 1) -> None:
    """Write SYSTEM_LOG.md with one entry naming `files` (not committed)."""
    git_repo.write(LOG, system_log(entry(minute, "Fixed the pool check in the app code", *files)))


def test_a_line_moved_down_by_an_insertion_above(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    anchor = git_repo.commit()
    git_repo.insert("src/app.py", 2, ["new a", "new b", "new c"])
    git_repo.commit()
    result = why(git_repo, "src/app.py:14")
    assert hows(result) == {FIRST: "exact path; lines mapped from 10-12 to 13-15"}
    (match,) = result.matches
    assert (match.status, match.anchor, match.ranges[0].mapped) == ("shifted", anchor, (13, 15))
    assert result.in_git and result.notes == ()
    assert why(git_repo, "src/app.py:10").matches == ()
    assert why(git_repo, "src/app.py:15-40").matches == result.matches
    assert why(git_repo, "src/app.py").matches == result.matches


def test_a_file_renamed_then_edited(git_repo: Repo) -> None:
    git_repo.write("src/old.py", CODE)
    logged(git_repo, "`src/old.py` (lines 5-6)")
    git_repo.commit()
    git_repo.git("mv", "src/old.py", "src/new.py")
    git_repo.commit("rename")
    git_repo.insert("src/new.py", 0, ["# header"])
    git_repo.commit("edit")
    result = why(git_repo, "src/new.py:7")
    assert hows(result) == {FIRST: "renamed from src/old.py; lines mapped from 5-6 to 6-7"}
    assert result.matches[0].renamed_from == "src/old.py"


def test_a_range_partly_rewritten(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    git_repo.commit()
    git_repo.replace("src/app.py", 11, 11, ["changed", "added"])
    git_repo.commit()
    result = why(git_repo, "src/app.py:13")
    assert hows(result) == {FIRST: "exact path; lines 10-12 partly rewritten, now 10-13"}
    assert result.matches[0].status == "partly-rewritten"


def test_a_range_rewritten_and_a_range_deleted(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    git_repo.write(
        LOG,
        system_log(
            entry(5, "Tuned the retry loop in the app code", "`src/app.py` (lines 15-16)"),
            entry(1, "Fixed the pool check in the app code", "`src/app.py` (lines 10-12)", "`src/app.py` (line 3)"),
        ),
    )
    anchor = git_repo.commit()
    git_repo.replace("src/app.py", 10, 12, [])
    git_repo.replace("src/app.py", 3, 3, ["rewritten three"])
    git_repo.commit()
    everything = why(git_repo, "src/app.py")
    short = anchor[:7]
    assert hows(everything) == {
        SECOND: "exact path; lines mapped from 15-16 to 12-13",
        FIRST: f"exact path; lines 10-12 deleted since {short}; line 3 rewritten since {short}, now 3",
    }
    assert [m.record.id for m in everything.matches] == [SECOND, FIRST]
    assert [m.status for m in everything.matches] == ["shifted", "rewritten"]
    assert hows(why(git_repo, "src/app.py:12")) == {SECOND: "exact path; lines mapped from 15-16 to 12-13"}
    assert hows(why(git_repo, "src/app.py:3")) == {FIRST: f"exact path; line 3 rewritten since {short}, now 3"}
    assert why(git_repo, "src/app.py:10").matches == ()


def test_a_file_deleted(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    anchor = git_repo.commit()
    git_repo.git("rm", "-q", "src/app.py")
    git_repo.commit()
    result = why(git_repo, "src/app.py")
    assert hows(result) == {FIRST: f"exact path; lines 10-12 deleted since {anchor[:7]}"}
    assert result.matches[0].ranges[0].mapped is None


def test_a_merge_of_two_branches_where_one_inserted_lines_above(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    git_repo.commit()
    git_repo.git("checkout", "-q", "-b", "feature")
    git_repo.insert("src/app.py", 0, ["feature 1", "feature 2"])
    git_repo.commit("feature")
    git_repo.git("checkout", "-q", "main")
    git_repo.insert("src/app.py", 20, ["main tail"])
    git_repo.commit("main")
    git_repo.commits += 1
    git_repo.git("merge", "-q", "--no-edit", "feature")
    assert hows(why(git_repo, "src/app.py:12")) == {FIRST: "exact path; lines mapped from 10-12 to 12-14"}


def test_names_with_non_ascii_letters_and_spaces(git_repo: Repo) -> None:
    git_repo.write("src/café_ü.py", CODE)
    git_repo.write("src/my file.py", CODE)
    logged(git_repo, "`src/café_ü.py` (lines 3-4)", "`src/my file.py` (lines 5-6)")
    git_repo.commit()
    git_repo.git("mv", "src/café_ü.py", "src/naïve_ß.py")
    git_repo.insert("src/naïve_ß.py", 0, ["top"])
    git_repo.insert("src/my file.py", 0, ["top"])
    git_repo.commit()
    assert hows(why(git_repo, "src/naïve_ß.py:5")) == {
        FIRST: "renamed from src/café_ü.py; lines mapped from 3-4 to 4-5"
    }
    # the Markdown reader takes no spaces in a path, so give the record the file it names
    (record,) = load(Config(git_repo.root)).records
    spaced = dataclasses.replace(record, files=(FileRef("src/my file.py", ((5, 6),)),))
    result = why(git_repo, "src/my file.py:7", records=[spaced])
    assert hows(result) == {FIRST: "exact path; lines mapped from 5-6 to 6-7"}


def test_a_record_added_after_the_code_is_anchored_at_its_own_commit(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    git_repo.commit("code")
    git_repo.insert("src/app.py", 0, ["early 1", "early 2"])
    git_repo.commit("code changed before the record")
    logged(git_repo, "`src/app.py` (lines 12-14)")
    anchor = git_repo.commit("record")
    git_repo.insert("src/app.py", 0, ["late"])
    git_repo.commit("code changed after the record")
    result = why(git_repo, "src/app.py:13")
    assert hows(result) == {FIRST: "exact path; lines mapped from 12-14 to 13-15"}
    assert result.matches[0].anchor == anchor


def test_an_entry_archived_to_another_log_keeps_its_anchor(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    anchor = git_repo.commit()
    git_repo.insert("src/app.py", 0, ["later 1", "later 2"])
    git_repo.commit()
    (git_repo.root / LOG).rename(git_repo.root / "SYSTEM_LOG_ARCHIVE_2026.md")
    git_repo.write(LOG, system_log())
    git_repo.commit("archive")
    result = why(git_repo, "src/app.py:13")
    assert hows(result) == {FIRST: "exact path; lines mapped from 10-12 to 12-14"}
    assert result.matches[0].anchor == anchor


def test_an_explicit_commit_in_the_note_is_the_anchor(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    code = git_repo.commit("code")
    git_repo.insert("src/app.py", 0, ["early 1", "early 2"])
    git_repo.commit()
    git_repo.write(
        LOG,
        system_log(
            entry(5, "Tuned the retry loop in the app code", f"`src/app.py` (lines 15-16, commit {code[:10]})"),
            entry(1, "Fixed the pool check in the app code", f"`src/app.py` (lines 10-12, @{code[:7]})"),
        ),
    )
    git_repo.commit("records naming the code's commit")
    result = why(git_repo, "src/app.py")
    assert hows(result) == {
        SECOND: "exact path; lines mapped from 15-16 to 17-18",
        FIRST: "exact path; lines mapped from 10-12 to 12-14",
    }
    assert [m.anchor for m in result.matches] == [code[:10], code[:7]]


def test_an_explicit_commit_git_does_not_know(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12, @deadbeef00)")
    git_repo.commit()
    result = why(git_repo, "src/app.py:11")
    assert hows(result) == {FIRST: "exact path; lines 10-12 as recorded (src/app.py not in git at deadbee)"}
    assert result.notes == ("deadbeef00 is not a commit git knows: its line ranges are shown as recorded",)


def test_uncommitted_edits_to_the_code_and_an_uncommitted_record(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    git_repo.commit()
    git_repo.insert("src/app.py", 0, ["uncommitted 1", "uncommitted 2"])
    assert hows(why(git_repo, "src/app.py:12")) == {FIRST: "exact path; lines mapped from 10-12 to 12-14"}
    git_repo.write(
        LOG,
        system_log(
            entry(5, "Tuned the retry loop in the app code", "`src/app.py` (lines 1-2)"),
            entry(1, "Fixed the pool check in the app code", "`src/app.py` (lines 10-12)"),
        ),
    )
    result = why(git_repo, "src/app.py:1")
    assert hows(result) == {SECOND: "exact path; lines 1-2 as recorded (record not committed yet)"}


def test_a_repo_with_no_commits_matches_by_path(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    result = why(git_repo, "src/app.py:1")
    assert hows(result) == {FIRST: "path match (not in git)"}
    assert result.notes == ("no commits yet: records are matched by path only",)
    assert result.in_git and result.head is None


def test_outside_git_matches_by_path(tmp_path: Path) -> None:
    plain = Repo(tmp_path / "plain", init=False)
    plain.write("src/app.py", CODE)
    logged(plain, "`src/app.py` (lines 10-12)", "`src/other.py` (lines 1-2)")
    result = why(plain, "src/app.py:1")
    assert hows(result) == {FIRST: "path match (not in git)"}
    assert result.notes == ("not a git repository: records are matched by path only",)
    assert not result.in_git
    assert result.matches[0].ranges[0].how == "lines 10-12 as recorded"
    assert why(plain, "src/nothing.py").matches == ()


def test_a_path_git_does_not_know_matches_by_path(git_repo: Repo) -> None:
    logged(git_repo, "`src/new.py` (lines 1-2)")
    git_repo.commit()
    git_repo.write("src/new.py", CODE)
    result = why(git_repo, "src/new.py:5")
    assert hows(result) == {FIRST: "path match (not in git)"}
    assert result.notes == ("git does not know src/new.py: records are matched by path only",)


def test_folders_and_references_without_lines(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    git_repo.write(
        LOG,
        system_log(
            entry(5, "Tuned the retry loop in the app code", "`src/` (the whole package)"),
            entry(1, "Fixed the pool check in the app code", "`src/app.py`", "`src/` (and the rest)"),
        ),
    )
    git_repo.commit()
    assert hows(why(git_repo, "src/app.py:7")) == {
        SECOND: "under src/; path only (no line ranges)",
        FIRST: "exact path; path only (no line ranges)",
    }
    folder = why(git_repo, "src")
    assert folder.target == Target("src/")
    assert hows(folder) == {SECOND: "path match (folder)", FIRST: "path match (folder)"}
    assert folder.notes == ("a folder: records are matched by path; lines are not followed",)


def test_every_kind_of_record_that_names_the_path(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    git_repo.commit()
    files = (FileRef("src/app.py", ((3, 4),)),)
    item = BlockerItem(1, "Pool check", "RESOLVED", files=(FileRef("src/app.py", ((8, 9),)),))
    records = [
        Record("INC-2026-001", "incident", "Pool ran dry", "2026-01-03", IncidentFields(), files=files),
        Record("ADR-001", "decision", "Pool per worker", "2026-01-02", DecisionFields(), files=files),
        Record("STORY-2026-01-04", "story", "The pool", "2026-01-04", StoryFields(), files=files),
        Record("CHG-2026-01-01-pool", "change", "Blockers", "2026-01-01", ChangeFields(items=(item,)), files=files),
        Record("INC-2026-002", "incident", "Other file", "2026-01-05", IncidentFields(), files=(FileRef("x.py"),)),
    ]
    result = why(git_repo, "src/app.py:9", records=records)
    assert [m.record.id for m in result.matches] == ["CHG-2026-01-01-pool"]
    everything = why(git_repo, "src/app.py", records=records)
    assert [m.record.id for m in everything.matches] == [
        "STORY-2026-01-04",
        "INC-2026-001",
        "ADR-001",
        "CHG-2026-01-01-pool",
    ]


def test_a_repo_root_below_the_git_top(git_repo: Repo) -> None:
    git_repo.write("svc/src/app.py", CODE)
    git_repo.write(
        "svc/" + LOG, system_log(entry(1, "Fixed the pool check in the app code", "`src/app.py` (lines 10-12)"))
    )
    git_repo.commit()
    git_repo.insert("svc/src/app.py", 0, ["top"])
    git_repo.commit()
    result = explain(Config(git_repo.root / "svc"), "src/app.py:11")
    assert hows(result) == {FIRST: "exact path; lines mapped from 10-12 to 11-13"}


def test_the_cache_answers_a_second_call_without_git(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.write("src/app.py", CODE)
    git_repo.write("src/old.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)", "`src/old.py` (lines 1-2)")
    git_repo.commit()
    git_repo.git("mv", "src/old.py", "src/new.py")
    git_repo.insert("src/app.py", 0, ["top"])
    git_repo.commit()
    conn = sqlite3.connect(":memory:")
    config = Config(git_repo.root)
    records = load(config).records
    first = explain(config, "src/app.py:12", records, conn)
    renamed = explain(config, "src/new.py:1", records, conn)
    calls: list[list[str]] = []
    real = subprocess.run

    def counting(args: list[str], **kwargs: Any) -> Any:
        calls.append(args)
        return real(args, **kwargs)

    def refuse(args: list[str], **kwargs: Any) -> Any:
        raise AssertionError(f"ran {args} on a cached call")

    monkeypatch.setattr(subprocess, "run", refuse)
    assert explain(config, "src/app.py:12", records, conn) == first
    assert explain(config, "src/new.py:1", records, conn) == renamed
    monkeypatch.setattr(subprocess, "run", counting)
    git_repo.insert("src/app.py", 0, ["uncommitted"])
    after = explain(config, "src/app.py:13", records, conn)
    assert calls and hows(after) == {FIRST: "exact path; lines mapped from 10-12 to 12-14"}


def test_text_and_json_output(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    anchor = git_repo.commit()
    result = why(git_repo, "src/app.py:11")
    assert format_text(result) == [
        f"{FIRST:<24} entry    2026-02-01 10:01 Fixed the pool check in the app code",
        "    exact path; lines 10-12 unchanged",
    ]
    (item,) = to_json(result)
    assert item["id"] == FIRST and item["kind"] == "entry" and item["source"]["path"] == LOG
    assert item["match"] == {
        "path": "src/app.py",
        "renamed_from": None,
        "anchor": anchor,
        "status": "exact",
        "how": "exact path; lines 10-12 unchanged",
        "ranges": [{"recorded": [10, 12], "mapped": [10, 12], "status": "exact", "how": "lines 10-12 unchanged"}],
    }
    outside = dataclasses.replace(result, notes=("not a git repository: records are matched by path only",))
    assert format_text(outside)[0] == "note: not a git repository: records are matched by path only"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("src/app.py", Target("src/app.py")),
        ("src/app.py:7", Target("src/app.py", (7, 7))),
        ("./src//app.py:3-5", Target("src/app.py", (3, 5))),
        ("weird:name.py", Target("weird:name.py")),
    ],
)
def test_targets(tmp_path: Path, text: str, expected: Target) -> None:
    assert read_target(text, tmp_path) == expected


def test_absolute_target_inside_the_repo(tmp_path: Path) -> None:
    assert read_target(f"{tmp_path}/src/app.py:2", tmp_path) == Target("src/app.py", (2, 2))


BAD_TARGETS = ["", "src/app.py:", "src/app.py:0", "src/app.py:5-3", "src/app.py:4-", "..", "../x.py"]


@pytest.mark.parametrize("text", BAD_TARGETS)
def test_malformed_targets(tmp_path: Path, text: str) -> None:
    with pytest.raises(TargetError):
        read_target(text, tmp_path)


def test_outside_the_repo_and_lines_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    with pytest.raises(TargetError, match="outside the repo"):
        read_target("/etc/hosts", tmp_path)
    with pytest.raises(TargetError, match="is a folder"):
        read_target("src:3", tmp_path)


def test_git_that_cannot_run_falls_back_to_path_matching(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.write("src/app.py", CODE)
    logged(git_repo, "`src/app.py` (lines 10-12)")
    git_repo.commit()
    monkeypatch.setenv("PATH", "")
    result = why(git_repo, "src/app.py:1")
    assert hows(result) == {FIRST: "path match (not in git)"}
    (note,) = result.notes
    assert note.startswith("could not run git") and note.endswith("records are matched by path only")
