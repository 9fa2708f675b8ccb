"""Folders are the layers: a module imports only from a lower layer or from inside its own package.

    12  cli                                  the process's entry: every command, and the doors it opens
    11  mcp   agents   demo   server         doors the CLI opens (`whylog mcp`, `agent-hook`, `demo`, `serve`)
    10  answers                              what every door answers (the JSON of search, why, show, ...)
     9  branches                             merge driver, renumber, pre-commit hook
     8  lifecycle                            archive, review, status, brief, suspects
     7  why
     6  lint                                 the engine, and lint/rules
     5  checks                               what lint and status share (verify, unlogged)
     4  writing                              placement, input, capture, secrets, listing
     3  index                                storage, search, the query grammar
     2  repo                                 config, discovery, the path rule, state, atomic writes
     1  markdown   git                       never each other
     0  model                                records, errors, bounds

Two packages on one layer never import each other, so a door never imports another door. Imports inside
functions count as well (`ast.walk` visits every node), and `from whylog import x` means `whylog.x`. Only
`whylog/__init__.py` and `whylog/__main__.py` sit at the root, above every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "whylog"
LAYER = {
    "model": 0,
    "markdown": 1,
    "git": 1,
    "repo": 2,
    "index": 3,
    "writing": 4,
    "checks": 5,
    "lint": 6,
    "why": 7,
    "lifecycle": 8,
    "branches": 9,
    "answers": 10,
    "mcp": 11,
    "agents": 11,
    "demo": 11,
    "server": 11,
    "cli": 12,
}
ROOT = "whylog"  # whylog/__init__.py and __main__.py: above every layer, they may import any package
ROOT_MODULES = {"__init__", "__main__"}
LAYER[ROOT] = max(LAYER.values()) + 1


def _package(module: str) -> str:
    """`whylog.lint.rules.file` -> `lint`; the root's own modules (and `whylog` itself) -> `whylog`."""
    parts = module.split(".")
    return ROOT if len(parts) < 2 or parts[1] in ROOT_MODULES else parts[1]


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The modules (or names under them) an import statement reaches, relative ones resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        parts = module.split(".")[: len(module.split(".")) - node.level + is_package]
        base = ".".join(parts + ([base] if base else []))
    return [f"{base}.{alias.name}" for alias in node.names]


def import_problems(module: str, source: str, is_package: bool = False) -> list[str]:
    """What is wrong with the imports of `module` (dotted, e.g. `whylog.lint.rules.file`) given its source."""
    own = _package(module)
    if own not in LAYER:
        return [f"{module} is in no layer (add its package to LAYER)"]
    problems = []
    for node in ast.walk(ast.parse(source)):
        for name in _imported(node, module, is_package):
            if name.startswith("pyromark") and not module.startswith("whylog.markdown.scan"):
                problems.append(f"{module} imports the parser")
            if not name.startswith(f"{ROOT}.") and name != ROOT:
                continue
            target = _package(name)
            if target == own:
                continue
            if target not in LAYER:
                problems.append(f"{module} imports {name}, in no layer")
            elif LAYER[target] > LAYER[own]:
                problems.append(f"{module} imports {name} from a higher layer")
            elif LAYER[target] == LAYER[own]:
                problems.append(f"{module} imports {name} sideways, from another package of its layer")
    return problems


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found.append((path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", "."), path))
    return found


def test_no_upward_or_sideways_imports_and_only_markdown_imports_the_parser() -> None:
    problems = []
    for module, path in _modules():
        problems += import_problems(module, path.read_text(encoding="utf-8"), path.name == "__init__.py")
    assert problems == []


def test_only_the_entry_modules_sit_at_the_root() -> None:
    assert {path.stem for path in PACKAGE.glob("*.py")} == ROOT_MODULES


def test_an_upward_import_fails_even_inside_a_function() -> None:
    source = "def later():\n    from whylog.lint import lint_paths\n"
    assert import_problems("whylog.repo.settings", source) == [
        "whylog.repo.settings imports whylog.lint.lint_paths from a higher layer"
    ]
    assert import_problems("whylog.model.errors", "from whylog import git\n") == [
        "whylog.model.errors imports whylog.git from a higher layer"
    ]
    assert import_problems("whylog.lint", "from whylog.repo import Config\nfrom . import rules\n", True) == []


def test_a_door_importing_a_door_fails() -> None:
    assert import_problems("whylog.mcp", "import whylog.agents\n", True) == [
        "whylog.mcp imports whylog.agents sideways, from another package of its layer"
    ]
    assert import_problems("whylog.git", "from whylog.markdown import scan\n", True) == [
        "whylog.git imports whylog.markdown.scan sideways, from another package of its layer"
    ]


def test_only_markdown_scan_imports_the_parser() -> None:
    assert import_problems("whylog.index.search", "import pyromark\n") == ["whylog.index.search imports the parser"]
    assert import_problems("whylog.markdown.scan", "import pyromark\n") == []


def test_the_cli_s_kinds_are_the_model_s() -> None:
    from whylog.cli import KINDS as CLI_KINDS  # kept in the CLI so `whylog --help` does not import the model
    from whylog.model import KINDS

    assert CLI_KINDS == KINDS
