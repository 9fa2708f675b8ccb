"""Imports only go downward: model < markdown, query, git < boundary, state, repo < placement, listing, index < why, demo < cli."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "whylog"
LAYER = {
    "errors": 0,
    "bounds": 0,
    "model": 0,
    "markdown": 1,
    "query": 1,
    "git": 1,
    "secrets": 1,
    "boundary": 2,
    "state": 2,
    "secret_forms": 1,
    "repo": 2,
    "settings": 2,
    "placement": 3,
    "decision_place": 3,
    "postmortem_files": 3,
    "listing": 3,
    "flags": 3,
    "capture": 3,
    "hook": 3,
    "unlogged": 3,
    "index": 3,
    "rules": 4,
    "lint": 4,
    "demo": 4,
    "why": 4,
    "lifecycle": 4,
    "merge": 4,
    "agents": 4,
    "renumber": 4,
    "mcp": 5,
    "cli": 5,
    "__main__": 5,
    "__init__": 5,
}


def _layer(module: str) -> int:
    return LAYER[module.split(".")[1]] if module.count(".") else LAYER["__init__"]


def test_no_upward_imports_and_only_markdown_imports_the_parser() -> None:
    problems = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
        own = _layer(rel)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                if name.startswith("pyromark") and not rel.startswith("whylog.markdown.scan"):
                    problems.append(f"{rel} imports the parser")
                if name.startswith("whylog.") and _layer(name) > own:
                    problems.append(f"{rel} imports {name}")
    assert problems == []


def test_the_cli_s_kinds_are_the_model_s() -> None:
    from whylog.cli import KINDS as CLI_KINDS  # kept in the CLI so `whylog --help` does not import the model
    from whylog.model import KINDS

    assert CLI_KINDS == KINDS
