"""Unlogged changes: commits since the newest entry that changed code no record covers (scripted repos)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scripted_git import CODE, Repo, entry, system_log
from whylog.checks.unlogged import UnloggedCommit, find_unlogged, lint_unlogged
from whylog.git import GitError
from whylog.repo import Config


def shas(found: list[UnloggedCommit]) -> list[str]:
    return [c.sha for c in found]


# A log whose one entry names src/a.py, lib/ and src/old.py, committed with that code.
COMMITTED_FILES = {
    **{path: CODE for path in ("src/a.py", "src/b.py", "lib/x/y.py", "src/old.py")},
    "SYSTEM_LOG.md": system_log(entry(0, "Fixed the pool exhaustion under load", "src/a.py", "lib/", "src/old.py")),
}


def test_covered_uncovered_and_docs_only_commits(committed_repo: Repo) -> None:
    committed_repo.replace("src/a.py", 2, 2, ["two"])
    covered = committed_repo.commit("Change a")
    committed_repo.replace("src/b.py", 2, 2, ["two"])
    uncovered = committed_repo.commit("Change b")
    committed_repo.write("README.md", ["# readme"])
    committed_repo.write("docs/guide.py", ["print('docs')"])
    committed_repo.commit("Docs only")
    committed_repo.replace("lib/x/y.py", 1, 1, ["one"])
    committed_repo.commit("Change under a covered folder")
    found = find_unlogged(Config(committed_repo.root), None)
    assert found == [UnloggedCommit(uncovered, "Change b", ("src/b.py",))]
    assert covered not in shas(found)


def test_a_commit_with_a_covered_file_among_others_is_logged(committed_repo: Repo) -> None:
    committed_repo.replace("src/a.py", 2, 2, ["two"])
    committed_repo.replace("src/b.py", 2, 2, ["two"])
    committed_repo.commit("Change a and b")
    assert find_unlogged(Config(committed_repo.root), None) == []


def test_a_renamed_file_is_covered_by_its_old_name(committed_repo: Repo) -> None:
    committed_repo.git("mv", "src/old.py", "src/new.py")
    committed_repo.replace("src/new.py", 3, 3, ["three"])
    committed_repo.commit("Rename old to new")
    committed_repo.replace("src/new.py", 5, 5, ["five"])
    committed_repo.commit("Change new")
    assert find_unlogged(Config(committed_repo.root), None) == []


def test_since_a_given_revision(committed_repo: Repo) -> None:
    committed_repo.replace("src/b.py", 1, 1, ["one"])
    first = committed_repo.commit("Change b once")
    committed_repo.replace("src/b.py", 2, 2, ["two"])
    second = committed_repo.commit("Change b twice")
    assert shas(find_unlogged(Config(committed_repo.root), None)) == [second, first]
    assert shas(find_unlogged(Config(committed_repo.root), first)) == [second]
    assert find_unlogged(Config(committed_repo.root), second) == []
    with pytest.raises(GitError):
        find_unlogged(Config(committed_repo.root), "no-such-revision")
    with pytest.raises(GitError):
        find_unlogged(Config(committed_repo.root), "--all")


def test_no_commits_and_outside_git(tmp_path: Path) -> None:
    committed_repo = Repo(tmp_path / "empty")
    committed_repo.write("src/a.py", CODE)
    assert find_unlogged(Config(committed_repo.root), None) == []
    outside = tmp_path / "plain"
    outside.mkdir()
    assert find_unlogged(Config(outside), None) == []


def test_every_commit_when_the_log_was_never_committed(tmp_path: Path) -> None:
    committed_repo = Repo(tmp_path / "repo")
    committed_repo.write("src/a.py", CODE)
    first = committed_repo.commit("Add a")
    committed_repo.write("SYSTEM_LOG.md", system_log(entry(0, "Fixed the pool exhaustion under load", "src/b.py")))
    committed_repo.git("add", "SYSTEM_LOG.md")
    committed_repo.git("rm", "-q", "--cached", "SYSTEM_LOG.md")
    assert shas(find_unlogged(Config(committed_repo.root), None)) == [first]


def test_since_the_commit_that_added_the_newest_entry(committed_repo: Repo) -> None:
    committed_repo.replace("src/b.py", 1, 1, ["one"])
    committed_repo.commit("Change b before the second entry")
    log = system_log(
        entry(5, "Tuned the retry budget for the worker", "src/c.py"),
        entry(0, "Fixed the pool exhaustion under load", "src/a.py", "lib/", "src/old.py"),
    )
    committed_repo.write("SYSTEM_LOG.md", log)
    committed_repo.commit("Log the retry budget")
    committed_repo.write("src/c.py", CODE)
    committed_repo.write("src/d.py", CODE)
    committed_repo.commit("Add c and d")
    committed_repo.write("src/d.py", ["changed"])
    unlogged = committed_repo.commit("Change d")
    assert shas(find_unlogged(Config(committed_repo.root), None)) == [unlogged]


def test_an_uncommitted_newest_entry_counts_from_the_logs_last_commit(committed_repo: Repo) -> None:
    committed_repo.replace("src/b.py", 1, 1, ["one"])
    unlogged = committed_repo.commit("Change b")
    committed_repo.insert("SYSTEM_LOG.md", 2, entry(9, "Tuned the retry budget for the worker", "src/c.py"))
    assert shas(find_unlogged(Config(committed_repo.root), None)) == [unlogged]


def test_lint_unlogged_reports_each_commit_at_the_logs_first_line(committed_repo: Repo) -> None:
    for name in ("b", "c", "d", "e"):
        committed_repo.write(f"src/{name}.py", CODE + [name])
    sha = committed_repo.commit("Add four modules")
    (diagnostic,) = lint_unlogged(Config(committed_repo.root), None)
    assert (diagnostic.code, diagnostic.severity) == ("FIL011", "warning")
    assert (diagnostic.source.path, diagnostic.source.start_line) == ("SYSTEM_LOG.md", 1)
    assert diagnostic.message == (
        f"commit {sha[:7]} 'Add four modules' changed src/b.py, src/c.py, src/d.py and 1 more, which no entry covers"
    )


def test_a_config_in_a_subfolder_sees_its_own_paths(tmp_path: Path) -> None:
    committed_repo = Repo(tmp_path / "repo")
    committed_repo.write("app/src/old.py", CODE)
    committed_repo.write("other/x.py", CODE)
    committed_repo.write(
        "app/SYSTEM_LOG.md", system_log(entry(0, "Fixed the pool exhaustion under load", "src/old.py"))
    )
    committed_repo.commit("first")
    committed_repo.git("mv", "app/src/old.py", "app/src/new.py")
    committed_repo.commit("Rename old to new")
    committed_repo.replace("app/src/new.py", 2, 2, ["two"])
    committed_repo.commit("Change new")
    committed_repo.replace("other/x.py", 2, 2, ["two"])
    committed_repo.commit("Change outside the folder")
    committed_repo.write("app/src/b.py", ["b"])
    unlogged = committed_repo.commit("Add b")
    assert find_unlogged(Config(committed_repo.root / "app"), None) == [
        UnloggedCommit(unlogged, "Add b", ("src/b.py",))
    ]


def test_ignore_patterns_can_be_given(committed_repo: Repo) -> None:
    committed_repo.write("config/app.yaml", ["port: 8080"])
    sha = committed_repo.commit("Change the port")
    assert shas(find_unlogged(Config(committed_repo.root), None)) == [sha]
    assert find_unlogged(Config(committed_repo.root), None, ignore=("config/*",)) == []
    assert list(lint_unlogged(Config(committed_repo.root), None, ignore=("*.yaml",))) == []
