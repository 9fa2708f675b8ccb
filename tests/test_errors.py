"""One tree of errors: every exception whylog raises is a WhylogError defined in whylog.model.errors (with
path, line and hint), however a module re-exports it."""

from __future__ import annotations

import ast
from pathlib import Path

from whylog.checks.verify import RefusedCommand
from whylog.git import GitError
from whylog.index.query import DateFilterError, QueryError
from whylog.model import ValidationError, errors
from whylog.why import TargetError

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "whylog"
CONTROL_FLOW = {"cli/__init__.py:NothingFound"}  # "nothing matched": exit status 1, not an error


def test_every_error_is_one_of_the_tree() -> None:
    for cls in (ValidationError, GitError, QueryError, DateFilterError, TargetError, RefusedCommand):
        assert issubclass(cls, errors.WhylogError) and cls.__module__ == "whylog.model.errors"


def test_no_module_but_the_errors_module_defines_an_exception() -> None:
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "model" / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and (b.id.endswith("Error") or b.id == "Exception") for b in node.bases
            ):
                found.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.name}")
    assert set(found) == CONTROL_FLOW


def test_a_validation_error_names_its_field_as_every_error_names_its_place() -> None:
    error = ValidationError("fields.root_cause", "expected an array, got integer")
    assert str(error) == "fields.root_cause: expected an array, got integer"
    assert (error.path, error.detail) == ("fields.root_cause", "expected an array, got integer")
    assert error.to_json()["path"] == "fields.root_cause" and isinstance(error, ValueError)
