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


def test_root_and_head_inside_and_outside_git(git_repo: Repo, tmp_path: Path) -> None:
    assert head_commit(git_repo.root) is None
    assert repo_root(git_repo.root) == git_repo.root.resolve()
    git_repo.write("src/app.py", CODE)
    sha = git_repo.commit()
    assert head_commit(git_repo.root) == sha
    assert repo_root(git_repo.root / "src" / "app.py") == git_repo.root.resolve()
    assert repo_root(git_repo.root / "src" / "not-yet" / "x.py") == git_repo.root.resolve()
    plain = tmp_path / "plain"
    plain.mkdir()
    assert repo_root(plain) is None
    assert probe(plain) is None


def test_probe_reads_head_without_git_loose_packed_detached_and_unborn(git_repo: Repo) -> None:
    unborn = probe(git_repo.root)
    assert unborn is not None and unborn.head is None and unborn.root == git_repo.root.resolve()
    git_repo.write("a.txt", ["a"])
    first = git_repo.commit()
    found = probe(git_repo.root / "a.txt")
    assert found is not None and found.head == first
    git_repo.git("pack-refs", "--all")
    assert not (git_repo.root / ".git" / "refs" / "heads" / "main").exists()
    assert probe(git_repo.root) == found
    git_repo.write("a.txt", ["b"])
    second = git_repo.commit()
    git_repo.git("checkout", "-q", "--detach", first)
    detached = probe(git_repo.root)
    assert detached is not None and detached.head == first != second


def test_probe_follows_a_worktree_gitdir_file(git_repo: Repo, tmp_path: Path) -> None:
    git_repo.write("a.txt", ["a"])
    sha = git_repo.commit()
    git_repo.git("worktree", "add", "-q", "--detach", str(tmp_path / "other"), sha)
    found = probe(tmp_path / "other")
    assert found is not None and found.head == sha and found.root == (tmp_path / "other").resolve()


def test_blame_gives_the_commit_that_added_each_line(git_repo: Repo) -> None:
    git_repo.write("LOG.md", ["one", "two"])
    first = git_repo.commit()
    git_repo.insert("LOG.md", 2, ["three", "four"])
    second = git_repo.commit()
    git_repo.insert("LOG.md", 4, ["five (not committed)"])
    commits = blame_commits(git_repo.root, "LOG.md", [(1, 2), (4, 5), (3, 3), (90, 99)])
    assert commits == {1: first, 2: first, 3: second, 4: second}


def test_blame_of_an_untracked_file_or_in_an_empty_repo_is_empty(git_repo: Repo) -> None:
    git_repo.write("LOG.md", ["one"])
    assert blame_commits(git_repo.root, "LOG.md", [(1, 1)]) == {}
    (git_repo.root / "LOG.md").rename(git_repo.root / "later.md")
    git_repo.write("other.md", ["x"])
    git_repo.commit()
    (git_repo.root / "later.md").rename(git_repo.root / "LOG.md")
    assert blame_commits(git_repo.root, "LOG.md", [(1, 1)]) == {}


def test_a_line_moved_down_by_an_insertion_above(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    anchor = git_repo.commit()
    git_repo.insert("app.py", 2, ["new a", "new b", "new c"])
    git_repo.commit()
    assert map_range(git_repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 13, 15, "shifted")
    assert map_range(git_repo.root, anchor, "app.py", 1, 2) == Mapped("app.py", None, 1, 2, "exact")


def test_a_file_renamed_then_edited(git_repo: Repo) -> None:
    git_repo.write("src/old.py", CODE)
    anchor = git_repo.commit()
    (git_repo.root / "lib").mkdir()
    git_repo.git("mv", "src/old.py", "lib/new.py")
    git_repo.commit("rename")
    git_repo.insert("lib/new.py", 0, ["# header"])
    git_repo.commit("edit")
    mapped = map_range(git_repo.root, anchor, "src/old.py", 5, 6)
    assert mapped == Mapped("lib/new.py", "src/old.py", 6, 7, "shifted")
    assert path_names(git_repo.root, "lib/new.py") == ("lib/new.py", "src/old.py")


def test_a_range_partly_rewritten_gives_the_surviving_span(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    anchor = git_repo.commit()
    git_repo.replace("app.py", 11, 11, ["changed 11", "added"])
    git_repo.replace("app.py", 15, 15, ["changed 14"])
    git_repo.commit()
    assert map_range(git_repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 10, 13, "partly-rewritten")
    assert map_range(git_repo.root, anchor, "app.py", 14, 16) == Mapped("app.py", None, 16, 17, "partly-rewritten")
    assert map_range(git_repo.root, anchor, "app.py", 11, 11) == Mapped("app.py", None, 11, 12, "rewritten")


def test_a_range_deleted_and_a_file_deleted(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    git_repo.write("gone.py", CODE)
    anchor = git_repo.commit()
    git_repo.replace("app.py", 10, 12, [])
    git_repo.git("rm", "-q", "gone.py")
    git_repo.commit()
    results = map_ranges(git_repo.root, anchor, [("app.py", 10, 12), ("app.py", 13, 13), ("gone.py", 1, 3)])
    assert results == [
        Mapped("app.py", None, None, None, "deleted"),
        Mapped("app.py", None, 10, 10, "shifted"),
        Mapped("gone.py", None, None, None, "deleted"),
    ]


def test_a_merge_of_two_branches_where_one_inserted_lines_above(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    anchor = git_repo.commit()
    git_repo.git("checkout", "-q", "-b", "feature")
    git_repo.insert("app.py", 0, ["feature 1", "feature 2"])
    git_repo.commit("feature")
    git_repo.git("checkout", "-q", "main")
    git_repo.insert("app.py", 20, ["main tail"])
    git_repo.commit("main")
    git_repo.commits += 1
    git_repo.git("merge", "-q", "--no-edit", "feature")
    assert len(git_repo.git("log", "--merges", "--format=%H").split()) == 1
    assert map_range(git_repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 12, 14, "shifted")


def test_names_with_spaces_and_non_ascii_letters(git_repo: Repo) -> None:
    git_repo.write("src/my file ü.py", CODE)
    git_repo.write("docs/Journal élan.md", ["first"])
    anchor = git_repo.commit()
    git_repo.git("mv", "src/my file ü.py", "src/nöw naME ß.py")
    git_repo.insert("src/nöw naME ß.py", 0, ["top"])
    git_repo.commit()
    mapped = map_range(git_repo.root, anchor, "src/my file ü.py", 3, 4)
    assert mapped == Mapped("src/nöw naME ß.py", "src/my file ü.py", 4, 5, "shifted")
    assert path_names(git_repo.root, "src/nöw naME ß.py") == ("src/nöw naME ß.py", "src/my file ü.py")
    assert blame_commits(git_repo.root, "docs/Journal élan.md", [(1, 1)]) == {1: anchor}


def test_uncommitted_edits_and_a_staged_rename_count(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    anchor = git_repo.commit()
    git_repo.insert("app.py", 0, ["uncommitted 1", "uncommitted 2"])
    assert map_range(git_repo.root, anchor, "app.py", 10, 12) == Mapped("app.py", None, 12, 14, "shifted")
    git_repo.git("mv", "app.py", "main.py")
    assert map_range(git_repo.root, anchor, "app.py", 10, 12) == Mapped("main.py", "app.py", 12, 14, "shifted")
    assert path_names(git_repo.root, "main.py") == ("main.py", "app.py")


def test_a_rename_outside_the_paths_asked_is_still_found(git_repo: Repo) -> None:
    git_repo.write("a.py", CODE)
    anchor = git_repo.commit()
    git_repo.git("mv", "a.py", "b.py")
    git_repo.commit()
    assert map_ranges(git_repo.root, anchor, [("a.py", 1, 2)]) == [Mapped("b.py", "a.py", 1, 2, "exact")]
    assert map_ranges(git_repo.root, anchor, [("b.py", 1, 2)]) == [Mapped("b.py", None, 1, 2, "unknown")]


def test_paths_git_does_not_know(git_repo: Repo) -> None:
    git_repo.write("a.py", CODE)
    anchor = git_repo.commit()
    git_repo.write("untracked.py", CODE)
    assert path_names(git_repo.root, "untracked.py") == ()
    assert path_names(git_repo.root, "missing.py") == ()
    assert map_range(git_repo.root, anchor, "missing.py", 1, 2).status == "unknown"


def test_a_bad_anchor_is_a_git_error_not_a_traceback(git_repo: Repo) -> None:
    git_repo.write("a.py", CODE)
    git_repo.commit()
    with pytest.raises(GitError, match="git diff"):
        map_range(git_repo.root, "0123456789abcdef", "a.py", 1, 2)
    with pytest.raises(GitError, match="not a commit"):
        map_range(git_repo.root, "--output=x", "a.py", 1, 2)


def test_without_git_installed(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.write("a.py", CODE)
    sha = git_repo.commit()
    monkeypatch.setenv("PATH", "")
    assert repo_root(git_repo.root) is None
    with pytest.raises(GitError, match="could not run git"):
        map_range(git_repo.root, sha, "a.py", 1, 2)


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
