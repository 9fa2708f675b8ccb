"""Unlogged changes: commits since the newest entry that changed code no record covers (scripted repos)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scripted_git import CODE, Repo, entry, system_log
from whylog.git import GitError
from whylog.repo import Config
from whylog.unlogged import UnloggedCommit, find_unlogged, lint_unlogged


def shas(found: list[UnloggedCommit]) -> list[str]:
    return [c.sha for c in found]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A log whose one entry names src/a.py, lib/ and src/old.py, committed with that code."""
    repo = Repo(tmp_path / "repo")
    for path in ("src/a.py", "src/b.py", "lib/x/y.py", "src/old.py"):
        repo.write(path, CODE)
    repo.write(
        "SYSTEM_LOG.md", system_log(entry(0, "Fixed the pool exhaustion under load", "src/a.py", "lib/", "src/old.py"))
    )
    repo.commit("first")
    return repo


def test_covered_uncovered_and_docs_only_commits(repo: Repo) -> None:
    repo.replace("src/a.py", 2, 2, ["two"])
    covered = repo.commit("Change a")
    repo.replace("src/b.py", 2, 2, ["two"])
    uncovered = repo.commit("Change b")
    repo.write("README.md", ["# readme"])
    repo.write("docs/guide.py", ["print('docs')"])
    repo.commit("Docs only")
    repo.replace("lib/x/y.py", 1, 1, ["one"])
    repo.commit("Change under a covered folder")
    found = find_unlogged(Config(repo.root), None)
    assert found == [UnloggedCommit(uncovered, "Change b", ("src/b.py",))]
    assert covered not in shas(found)


def test_a_commit_with_a_covered_file_among_others_is_logged(repo: Repo) -> None:
    repo.replace("src/a.py", 2, 2, ["two"])
    repo.replace("src/b.py", 2, 2, ["two"])
    repo.commit("Change a and b")
    assert find_unlogged(Config(repo.root), None) == []


def test_a_renamed_file_is_covered_by_its_old_name(repo: Repo) -> None:
    repo.git("mv", "src/old.py", "src/new.py")
    repo.replace("src/new.py", 3, 3, ["three"])
    repo.commit("Rename old to new")
    repo.replace("src/new.py", 5, 5, ["five"])
    repo.commit("Change new")
    assert find_unlogged(Config(repo.root), None) == []


def test_since_a_given_revision(repo: Repo) -> None:
    repo.replace("src/b.py", 1, 1, ["one"])
    first = repo.commit("Change b once")
    repo.replace("src/b.py", 2, 2, ["two"])
    second = repo.commit("Change b twice")
    assert shas(find_unlogged(Config(repo.root), None)) == [second, first]
    assert shas(find_unlogged(Config(repo.root), first)) == [second]
    assert find_unlogged(Config(repo.root), second) == []
    with pytest.raises(GitError):
        find_unlogged(Config(repo.root), "no-such-revision")
    with pytest.raises(GitError):
        find_unlogged(Config(repo.root), "--all")


def test_no_commits_and_outside_git(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "empty")
    repo.write("src/a.py", CODE)
    assert find_unlogged(Config(repo.root), None) == []
    outside = tmp_path / "plain"
    outside.mkdir()
    assert find_unlogged(Config(outside), None) == []


def test_every_commit_when_the_log_was_never_committed(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("src/a.py", CODE)
    first = repo.commit("Add a")
    repo.write("SYSTEM_LOG.md", system_log(entry(0, "Fixed the pool exhaustion under load", "src/b.py")))
    repo.git("add", "SYSTEM_LOG.md")
    repo.git("rm", "-q", "--cached", "SYSTEM_LOG.md")
    assert shas(find_unlogged(Config(repo.root), None)) == [first]


def test_since_the_commit_that_added_the_newest_entry(repo: Repo) -> None:
    repo.replace("src/b.py", 1, 1, ["one"])
    repo.commit("Change b before the second entry")
    log = system_log(
        entry(5, "Tuned the retry budget for the worker", "src/c.py"),
        entry(0, "Fixed the pool exhaustion under load", "src/a.py", "lib/", "src/old.py"),
    )
    repo.write("SYSTEM_LOG.md", log)
    repo.commit("Log the retry budget")
    repo.write("src/c.py", CODE)
    repo.write("src/d.py", CODE)
    repo.commit("Add c and d")
    repo.write("src/d.py", ["changed"])
    unlogged = repo.commit("Change d")
    assert shas(find_unlogged(Config(repo.root), None)) == [unlogged]


def test_an_uncommitted_newest_entry_counts_from_the_logs_last_commit(repo: Repo) -> None:
    repo.replace("src/b.py", 1, 1, ["one"])
    unlogged = repo.commit("Change b")
    repo.insert("SYSTEM_LOG.md", 2, entry(9, "Tuned the retry budget for the worker", "src/c.py"))
    assert shas(find_unlogged(Config(repo.root), None)) == [unlogged]


def test_lint_unlogged_reports_each_commit_at_the_logs_first_line(repo: Repo) -> None:
    for name in ("b", "c", "d", "e"):
        repo.write(f"src/{name}.py", CODE + [name])
    sha = repo.commit("Add four modules")
    (diagnostic,) = lint_unlogged(Config(repo.root), None)
    assert (diagnostic.code, diagnostic.severity) == ("FIL011", "warning")
    assert (diagnostic.source.path, diagnostic.source.start_line) == ("SYSTEM_LOG.md", 1)
    assert diagnostic.message == (
        f"commit {sha[:7]} 'Add four modules' changed src/b.py, src/c.py, src/d.py and 1 more, which no entry covers"
    )


def test_a_config_in_a_subfolder_sees_its_own_paths(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("app/src/old.py", CODE)
    repo.write("other/x.py", CODE)
    repo.write("app/SYSTEM_LOG.md", system_log(entry(0, "Fixed the pool exhaustion under load", "src/old.py")))
    repo.commit("first")
    repo.git("mv", "app/src/old.py", "app/src/new.py")
    repo.commit("Rename old to new")
    repo.replace("app/src/new.py", 2, 2, ["two"])
    repo.commit("Change new")
    repo.replace("other/x.py", 2, 2, ["two"])
    repo.commit("Change outside the folder")
    repo.write("app/src/b.py", ["b"])
    unlogged = repo.commit("Add b")
    assert find_unlogged(Config(repo.root / "app"), None) == [UnloggedCommit(unlogged, "Add b", ("src/b.py",))]


def test_ignore_patterns_can_be_given(repo: Repo) -> None:
    repo.write("config/app.yaml", ["port: 8080"])
    sha = repo.commit("Change the port")
    assert shas(find_unlogged(Config(repo.root), None)) == [sha]
    assert find_unlogged(Config(repo.root), None, ignore=("config/*",)) == []
    assert list(lint_unlogged(Config(repo.root), None, ignore=("*.yaml",))) == []
