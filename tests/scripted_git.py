"""Scripted git repositories for the `git` and `why` tests: fixed names, emails and dates, no user config."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
CODE = [f"line {n}" for n in range(1, 21)]


class Repo:
    """A git repository in a folder; every commit gets the next minute of 2026-01-01 as its date."""

    def __init__(self, root: Path, init: bool = True) -> None:
        self.root = root
        self.commits = 0
        root.mkdir(parents=True, exist_ok=True)
        if init:
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        moment = f"2026-01-01T{self.commits // 60:02d}:{self.commits % 60:02d}:00+0000"
        env = {**os.environ, **ENV, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}
        proc = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def write(self, path: str, lines: list[str]) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")

    def read(self, path: str) -> list[str]:
        return (self.root / path).read_text(encoding="utf-8").splitlines()

    def insert(self, path: str, after: int, lines: list[str]) -> None:
        """Put `lines` after line `after` (0: at the top)."""
        old = self.read(path)
        self.write(path, old[:after] + lines + old[after:])

    def replace(self, path: str, start: int, end: int, lines: list[str]) -> None:
        old = self.read(path)
        self.write(path, old[: start - 1] + lines + old[end:])

    def commit(self, message: str = "change") -> str:
        self.commits += 1
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def entry(minute: int, title: str, *files: str) -> list[str]:
    """One SYSTEM_LOG entry in the template, dated 2026-02-01 10:MM UTC, naming `files` (list items)."""
    return [
        f"## 2026-02-01 10:{minute:02d} UTC - {title}",
        "**Type:** Bug Fix",
        "**Affected Files:**",
        *(f"- {item}" for item in files),
        "**Chain of Reasoning:**",
        "- **Observation:** The code did the wrong thing under load",
        "- **Hypothesis:** A missing check",
        "- **Action:** Added the check",
        "**Result:**",
        "- Works",
        "**Confidence:** 90% - tested by hand",
        "---",
        "",
    ]


def system_log(*entries: list[str]) -> list[str]:
    """A SYSTEM_LOG.md: the title, then the entries as given (newest first)."""
    return ["# SYSTEM_LOG", "", *(line for block in entries for line in block)]
