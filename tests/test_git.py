"""git.py on scripted repositories: roots, HEAD, blame, names through renames, and line mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scripted_git import CODE, Repo
from whylog.git import (
    GitError,
    Mapped,
    blame_commits,
    head_commit,
    map_lines,
    map_range,
    map_ranges,
    path_names,
    probe,
    repo_root,
)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def test_root_and_head_inside_and_outside_git(repo: Repo, tmp_path: Path) -> None:
    assert head_commit(repo.root) is None
    assert repo_root(repo.root) == repo.root.resolve()
    repo.write("src/app.py", CODE)
    sha = repo.commit()
    assert head_commit(repo.root) == sha
    assert repo_root(repo.root / "src" / "app.py") == repo.root.resolve()
    assert repo_root(repo.root / "src" / "not-yet" / "x.py") == repo.root.resolve()
    plain = tmp_path / "plain"
    plain.mkdir()
    assert repo_root(plain) is None
    assert probe(plain) is None


def test_probe_reads_head_without_git_loose_packed_detached_and_unborn(repo: Repo) -> None:
    unborn = probe(repo.root)
    assert unborn is not None and unborn.head is None and unborn.root == repo.root.resolve()
    repo.write("a.txt", ["a"])
    first = repo.commit()
    found = probe(repo.root / "a.txt")
    assert found is not None and found.head == first
    repo.git("pack-refs", "--all")
    assert not (repo.root / ".git" / "refs" / "heads" / "main").exists()
    assert probe(repo.root) == found
    repo.write("a.txt", ["b"])
    second = repo.commit()
    repo.git("checkout", "-q", "--detach", first)
    detached = probe(repo.root)
    assert detached is not None and detached.head == first != second


def test_probe_follows_a_worktree_gitdir_file(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.txt", ["a"])
    sha = repo.commit()
    repo.git("worktree", "add", "-q", "--detach", str(tmp_path / "other"), sha)
    found = probe(tmp_path / "other")
    assert found is not None and found.head == sha and found.root == (tmp_path / "other").resolve()


def test_blame_gives_the_commit_that_added_each_line(repo: Repo) -> None:
    repo.write("LOG.md", ["one", "two"])
    first = repo.commit()
    repo.insert("LOG.md", 2, ["three", "four"])
    second = repo.commit()
    repo.insert("LOG.md", 4, ["five (not committed)"])
    commits = blame_commits(repo.root, "LOG.md", [(1, 2), (4, 5), (3, 3), (90, 99)])
    assert commits == {1: first, 2: first, 3: second, 4: second}


def test_blame_of_an_untracked_file_or_in_an_empty_repo_is_empty(repo: Repo) -> None:
    repo.write("LOG.md", ["one"])
    assert blame_commits(repo.root, "LOG.md", [(1, 1)]) == {}
    (repo.root / "LOG.md").rename(repo.root / "later.md")
    repo.write("other.md", ["x"])
    repo.commit()
    (repo.root / "later.md").rename(repo.root / "LOG.md")
    assert blame_commits(repo.root, "LOG.md", [(1, 1)]) == {}


def test_a_line_moved_down_by_an_insertion_above(repo: Repo) -> None:
    repo.write("app.py", CODE)
    anchor = repo.commit()
    repo.insert("app.py", 2, ["new a", "new b", "new c"])
    repo.commit()
    assert map_range(repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 13, 15, "shifted")
    assert map_range(repo.root, anchor, "app.py", 1, 2) == Mapped("app.py", None, 1, 2, "exact")


def test_a_file_renamed_then_edited(repo: Repo) -> None:
    repo.write("src/old.py", CODE)
    anchor = repo.commit()
    (repo.root / "lib").mkdir()
    repo.git("mv", "src/old.py", "lib/new.py")
    repo.commit("rename")
    repo.insert("lib/new.py", 0, ["# header"])
    repo.commit("edit")
    mapped = map_range(repo.root, anchor, "src/old.py", 5, 6)
    assert mapped == Mapped("lib/new.py", "src/old.py", 6, 7, "shifted")
    assert path_names(repo.root, "lib/new.py") == ("lib/new.py", "src/old.py")


def test_a_range_partly_rewritten_gives_the_surviving_span(repo: Repo) -> None:
    repo.write("app.py", CODE)
    anchor = repo.commit()
    repo.replace("app.py", 11, 11, ["changed 11", "added"])
    repo.replace("app.py", 15, 15, ["changed 14"])
    repo.commit()
    assert map_range(repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 10, 13, "partly-rewritten")
    assert map_range(repo.root, anchor, "app.py", 14, 16) == Mapped("app.py", None, 16, 17, "partly-rewritten")
    assert map_range(repo.root, anchor, "app.py", 11, 11) == Mapped("app.py", None, 11, 12, "rewritten")


def test_a_range_deleted_and_a_file_deleted(repo: Repo) -> None:
    repo.write("app.py", CODE)
    repo.write("gone.py", CODE)
    anchor = repo.commit()
    repo.replace("app.py", 10, 12, [])
    repo.git("rm", "-q", "gone.py")
    repo.commit()
    results = map_ranges(repo.root, anchor, [("app.py", 10, 12), ("app.py", 13, 13), ("gone.py", 1, 3)])
    assert results == [
        Mapped("app.py", None, None, None, "deleted"),
        Mapped("app.py", None, 10, 10, "shifted"),
        Mapped("gone.py", None, None, None, "deleted"),
    ]


def test_a_merge_of_two_branches_where_one_inserted_lines_above(repo: Repo) -> None:
    repo.write("app.py", CODE)
    anchor = repo.commit()
    repo.git("checkout", "-q", "-b", "feature")
    repo.insert("app.py", 0, ["feature 1", "feature 2"])
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.insert("app.py", 20, ["main tail"])
    repo.commit("main")
    repo.commits += 1
    repo.git("merge", "-q", "--no-edit", "feature")
    assert len(repo.git("log", "--merges", "--format=%H").split()) == 1
    assert map_range(repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 12, 14, "shifted")


def test_names_with_spaces_and_non_ascii_letters(repo: Repo) -> None:
    repo.write("src/my file ü.py", CODE)
    repo.write("docs/Journal élan.md", ["first"])
    anchor = repo.commit()
    repo.git("mv", "src/my file ü.py", "src/nöw naME ß.py")
    repo.insert("src/nöw naME ß.py", 0, ["top"])
    repo.commit()
    mapped = map_range(repo.root, anchor, "src/my file ü.py", 3, 4)
    assert mapped == Mapped("src/nöw naME ß.py", "src/my file ü.py", 4, 5, "shifted")
    assert path_names(repo.root, "src/nöw naME ß.py") == ("src/nöw naME ß.py", "src/my file ü.py")
    assert blame_commits(repo.root, "docs/Journal élan.md", [(1, 1)]) == {1: anchor}


def test_uncommitted_edits_and_a_staged_rename_count(repo: Repo) -> None:
    repo.write("app.py", CODE)
    anchor = repo.commit()
    repo.insert("app.py", 0, ["uncommitted 1", "uncommitted 2"])
    assert map_range(repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 12, 14, "shifted")
    repo.git("mv", "app.py", "main.py")
    assert map_range(repo.root, anchor, "app.py", 10, 12) == Mapped("main.py", "app.py", 12, 14, "shifted")
    assert path_names(repo.root, "main.py") == ("main.py", "app.py")


def test_a_rename_outside_the_paths_asked_is_still_found(repo: Repo) -> None:
    repo.write("a.py", CODE)
    anchor = repo.commit()
    repo.git("mv", "a.py", "b.py")
    repo.commit()
    assert map_ranges(repo.root, anchor, [("a.py", 1, 2)]) == [Mapped("b.py", "a.py", 1, 2, "exact")]
    assert map_ranges(repo.root, anchor, [("b.py", 1, 2)]) == [Mapped("b.py", None, 1, 2, "unknown")]


def test_paths_git_does_not_know(repo: Repo) -> None:
    repo.write("a.py", CODE)
    anchor = repo.commit()
    repo.write("untracked.py", CODE)
    assert path_names(repo.root, "untracked.py") == ()
    assert path_names(repo.root, "missing.py") == ()
    assert map_range(repo.root, anchor, "missing.py", 1, 2).status == "unknown"


def test_a_bad_anchor_is_a_git_error_not_a_traceback(repo: Repo) -> None:
    repo.write("a.py", CODE)
    repo.commit()
    with pytest.raises(GitError, match="git diff"):
        map_range(repo.root, "0123456789abcdef", "a.py", 1, 2)
    with pytest.raises(GitError, match="not a commit"):
        map_range(repo.root, "--output=x", "a.py", 1, 2)


def test_without_git_installed(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("a.py", CODE)
    sha = repo.commit()
    monkeypatch.setenv("PATH", "")
    assert repo_root(repo.root) is None
    with pytest.raises(GitError, match="could not run git"):
        map_range(repo.root, sha, "a.py", 1, 2)


@pytest.mark.parametrize(
    ("hunks", "start", "end", "expected"),
    [
        ([], 5, 7, ("exact", 5, 7)),
        ([(0, 0, 1, 2)], 5, 7, ("shifted", 7, 9)),  # two lines at the top
        ([(4, 0, 5, 1)], 5, 7, ("shifted", 6, 8)),  # one line right above
        ([(7, 0, 8, 3)], 5, 7, ("exact", 5, 7)),  # lines right below
        ([(5, 0, 6, 1)], 5, 7, ("partly-rewritten", 5, 8)),  # a line inside
        ([(1, 2, 0, 0)], 5, 7, ("shifted", 3, 5)),  # two lines removed above
        ([(4, 2, 4, 1)], 5, 7, ("partly-rewritten", 5, 6)),  # replaced across the start
        ([(5, 3, 5, 2)], 5, 7, ("rewritten", 5, 6)),
        ([(5, 3, 4, 0)], 5, 7, ("deleted", None, None)),
        ([(1, 1, 1, 3), (6, 1, 8, 1), (9, 1, 10, 0)], 5, 7, ("partly-rewritten", 7, 9)),
    ],
)
def test_map_lines(
    hunks: list[tuple[int, int, int, int]], start: int, end: int, expected: tuple[str, int | None, int | None]
) -> None:
    assert map_lines(hunks, start, end) == expected
