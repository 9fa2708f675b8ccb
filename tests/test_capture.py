"""`capture` on scripted git repositories: the exact files, line ranges, title and type of a change."""

from __future__ import annotations

import pytest

from tests.scripted_git import CODE, Repo
from whylog.model import FileRef
from whylog.model.errors import WhylogError
from whylog.writing.capture import Capture, capture, line_ranges, suggest_type

LONG = [f"line {n}" for n in range(1, 41)]


def staged(git_repo: Repo) -> Capture:
    git_repo.git("add", "-A")
    return capture(git_repo.root)


def test_new_deleted_and_modified_staged(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    git_repo.write("src/gone.py", ["only line"])
    git_repo.commit("first")
    git_repo.replace("src/app.py", 4, 4, ["changed"])
    (git_repo.root / "src/gone.py").unlink()
    git_repo.write("src/new.py", ["a", "b"])
    assert staged(git_repo) == Capture(
        (
            FileRef("src/app.py", ((4, 4),)),
            FileRef("src/gone.py", (), "deleted"),
            FileRef("src/new.py", (), "new"),
        ),
        None,
        "Implementation",
    )


def test_renamed_and_edited(git_repo: Repo) -> None:
    git_repo.write("src/old.py", LONG)
    git_repo.commit("first")
    (git_repo.root / "src/old.py").rename(git_repo.root / "src/moved.py")
    git_repo.replace("src/moved.py", 10, 10, ["changed"])
    assert staged(git_repo).files == (FileRef("src/moved.py", ((10, 10),), "modified", "renamed from src/old.py"),)


def test_several_hunks_merged_when_close_and_kept_apart_when_not(git_repo: Repo) -> None:
    git_repo.write("src/app.py", LONG)
    git_repo.commit("first")
    git_repo.replace("src/app.py", 3, 3, ["three"])
    git_repo.replace("src/app.py", 9, 9, ["nine"])  # 5 lines between: merged with line 3
    git_repo.replace("src/app.py", 16, 16, ["sixteen"])  # 6 lines between: a range of its own
    git_repo.insert("src/app.py", 25, ["new a", "new b"])  # new lines 26-27
    git_repo.replace("src/app.py", 37, 38, [])  # old 35-36, now after line 36: a deletion at line 36
    assert staged(git_repo).files == (FileRef("src/app.py", ((3, 9), (16, 16), (26, 27), (36, 36))),)


def test_line_ranges_gap_and_deletions() -> None:
    assert line_ranges([(3, 1, 3, 1), (9, 1, 9, 1)]) == ((3, 9),)
    assert line_ranges([(3, 1, 3, 1), (10, 1, 10, 1)]) == ((3, 3), (10, 10))
    assert line_ranges([(1, 2, 0, 0)]) == ((1, 1),)  # lines deleted at the top
    assert line_ranges([(5, 2, 4, 0), (7, 0, 6, 3)]) == ((4, 8),)
    assert line_ranges([]) == ()


def test_binary_files_have_no_line_ranges(git_repo: Repo) -> None:
    (git_repo.root / "logo.png").write_bytes(b"\x89PNG\0\1\2")
    git_repo.commit("first")
    (git_repo.root / "logo.png").write_bytes(b"\x89PNG\0\1\3")
    (git_repo.root / "icon.bin").write_bytes(b"\0\0\0")
    assert staged(git_repo).files == (
        FileRef("icon.bin", (), "new", "binary"),
        FileRef("logo.png", (), "modified", "binary"),
    )


def test_names_with_spaces_and_non_ascii_letters(git_repo: Repo) -> None:
    git_repo.write("my docs/read me.py", CODE)
    git_repo.write("src/café_ü.py", CODE)
    git_repo.commit("first")
    git_repo.replace("my docs/read me.py", 2, 2, ["two"])
    git_repo.replace("src/café_ü.py", 20, 20, ["twenty"])
    git_repo.write("src/naïve name.py", ["x"])
    assert staged(git_repo).files == (
        FileRef("my docs/read me.py", ((2, 2),)),
        FileRef("src/café_ü.py", ((20, 20),)),
        FileRef("src/naïve name.py", (), "new"),
    )


def test_first_commit_as_rev_diffs_against_the_empty_tree(git_repo: Repo) -> None:
    git_repo.write("src/app.py", CODE)
    git_repo.write("README.md", ["# app"])
    first = git_repo.commit("Start the app with a README and the main loop")
    git_repo.write("src/app.py", ["changed"])
    git_repo.commit("second")
    assert capture(git_repo.root, first) == Capture(
        (FileRef("README.md", (), "new"), FileRef("src/app.py", (), "new")),
        "Start the app with a README and the main loop",
        "Implementation",
        date="2026-01-01T00:01:00Z",  # the commit's own date, not the second commit's nor today
    )


def test_no_commits_yet_everything_staged_is_new(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    git_repo.write("lib/a.py", ["a"])
    assert staged(git_repo) == Capture(
        (FileRef("app.py", (), "new"), FileRef("lib/a.py", (), "new")), None, "Implementation"
    )


def test_nothing_staged_is_an_error(git_repo: Repo) -> None:
    with pytest.raises(WhylogError, match="nothing is staged"):
        capture(git_repo.root)


def test_detached_head(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    first = git_repo.commit("first")
    git_repo.replace("app.py", 5, 5, ["five"])
    git_repo.commit("Change line five of the app")
    git_repo.git("checkout", "-q", "--detach", first)
    git_repo.replace("app.py", 7, 7, ["seven"])
    assert staged(git_repo).files == (FileRef("app.py", ((7, 7),)),)
    assert capture(git_repo.root, "main").files == (FileRef("app.py", ((5, 5),)),)
    assert capture(git_repo.root, "main").title == "Change line five of the app"


def test_a_range_and_its_last_subject(git_repo: Repo) -> None:
    git_repo.write("app.py", LONG)
    first = git_repo.commit("first")
    git_repo.replace("app.py", 5, 5, ["five"])
    git_repo.commit("second")
    git_repo.replace("app.py", 30, 30, ["thirty"])
    git_repo.write("lib.py", ["x"])
    git_repo.commit("Add the lib and fix line thirty")
    found = capture(git_repo.root, f"{first}..HEAD")
    assert found.files == (FileRef("app.py", ((5, 5), (30, 30))), FileRef("lib.py", (), "new"))
    assert found.title == "Add the lib and fix line thirty"
    with pytest.raises(WhylogError, match="symmetric"):
        capture(git_repo.root, f"{first}...HEAD")


def test_a_revert_is_a_bug_fix_tagged_rollback(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    git_repo.commit("first")
    git_repo.replace("app.py", 3, 3, ["three"])
    git_repo.commit("Speed up the loop")
    git_repo.git("revert", "--no-edit", "HEAD")
    assert capture(git_repo.root, "HEAD") == Capture(
        (FileRef("app.py", ((3, 3),)),), 'Revert "Speed up the loop"', "Bug Fix", ("ROLLBACK",), "2026-01-01T00:02:00Z"
    )


def test_docs_only_and_config_only(git_repo: Repo) -> None:
    git_repo.write("README.md", ["# app"])
    git_repo.write("docs/diagram.svg", ["<svg/>"])
    git_repo.write("notes.rst", ["notes"])
    assert staged(git_repo).type == "Documentation"
    git_repo.commit("docs")
    for path in ("pyproject.toml", "deploy/docker-compose.prod.yml", ".env.example", "Dockerfile", "setup.cfg"):
        git_repo.write(path, ["x = 1"])
    assert staged(git_repo).type == "Configuration"
    git_repo.commit("config")
    git_repo.write("README.md", ["# app", "more"])
    git_repo.write("app.py", ["x"])
    assert staged(git_repo).type == "Implementation"


def test_suggest_type_needs_files_for_docs_or_config() -> None:
    assert suggest_type([], None) == ("Implementation", ())
    assert suggest_type(["a.json", "b.md"], None) == ("Implementation", ())
    assert suggest_type(["a.md"], 'Revert "x"') == ("Bug Fix", ("ROLLBACK",))


def test_a_new_folder_of_many_files_is_one_line(git_repo: Repo) -> None:
    git_repo.write("services/billing.py", ["x"])
    git_repo.commit("first")
    for n in range(12):
        git_repo.write(f"services/auth/handler_{n:02d}.py", ["x"])
    for n in range(3):
        git_repo.write(f"services/auth/tests/test_{n}.py", ["x"])
    git_repo.write("services/mail/a.py", ["x"])
    git_repo.write("services/mail/b.py", ["x"])  # two new files: listed one by one
    git_repo.replace("services/billing.py", 1, 1, ["y"])
    assert staged(git_repo).files == (
        FileRef("services/auth/", (), "new", "15 files"),
        FileRef("services/billing.py", ((1, 1),)),
        FileRef("services/mail/a.py", (), "new"),
        FileRef("services/mail/b.py", (), "new"),
    )


def test_new_files_in_an_existing_folder_stay_one_by_one(git_repo: Repo) -> None:
    git_repo.write("src/main.py", ["x"])
    git_repo.commit("first")
    for name in ("a", "b", "c"):
        git_repo.write(f"src/{name}.py", ["x"])
    assert [f.path for f in staged(git_repo).files] == ["src/a.py", "src/b.py", "src/c.py"]


def test_a_bad_revision_is_a_clear_error(git_repo: Repo) -> None:
    git_repo.write("app.py", CODE)
    git_repo.commit("first")
    with pytest.raises(WhylogError, match="no-such-rev"):
        capture(git_repo.root, "no-such-rev")
    with pytest.raises(WhylogError, match="not a revision"):
        capture(git_repo.root, "--output=x")


def test_a_file_turned_into_a_symlink(git_repo: Repo) -> None:
    git_repo.write("target.py", CODE)
    git_repo.write("link.py", ["x"])
    git_repo.commit("first")
    (git_repo.root / "link.py").unlink()
    (git_repo.root / "link.py").symlink_to("target.py")
    assert staged(git_repo).files == (FileRef("link.py", (), "modified", "type changed"),)


def test_backticked_names_with_spaces_read_back_and_commands_do_not() -> None:
    from whylog.markdown.values import read_file_ref

    assert read_file_ref("`my docs/read me.md` (lines 2-4)") == FileRef("my docs/read me.md", ((2, 4),))
    assert read_file_ref("`naïve name.py` (new file)") == FileRef("naïve name.py", (), "new")
    assert read_file_ref("`pytest -q tests/`") is None
    assert read_file_ref("`npm run build`") is None
