"""Errors the library raises, one tree under WhylogError. Each carries a path (a file, or for a JSON value the
field), a line (0 when none applies) and a hint; every door prints or returns them the same way."""

from __future__ import annotations


class WhylogError(Exception):
    """A user-facing error: the CLI prints `path:line: message` and exits with status 2."""

    def __init__(self, message: str, path: str = "", line: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def location(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}"
        return self.path

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, str | int]:
        """The fields a door's error carries (MCP's tool errors, JSON output): message, path, line, hint."""
        return {"message": self.message, "path": self.path, "line": self.line, "hint": self.hint}


class ParseError(WhylogError):
    """A file that cannot be read as records at all (binary, not UTF-8, a line too long)."""


class ConfigError(WhylogError):
    """whylog.toml is missing a setting or holds one of the wrong shape."""


class WriteError(WhylogError):
    """A record that cannot be written: invalid, a secret, or a file that changed under us."""


class NotFound(WhylogError):
    """A record id or a file that does not exist."""


class PathRefused(WhylogError):
    """A path whylog will not read or write: outside the work tree, inside .git, through a symbolic link
    (for a write), or a state folder (.whylog) that came from the repo's history."""


class ValidationError(WhylogError, ValueError):
    """A JSON value that does not fit the record model; `path` names the field (`fields.root_cause`),
    `detail` says what was expected."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message, path)
        self.detail = message


class GitError(WhylogError):
    """git could not be run, or refused a command (a bad revision, a broken repository)."""


class QueryError(WhylogError):
    """A query the grammar cannot read; `column` is 1-based."""

    def __init__(self, message: str, query: str, column: int) -> None:
        super().__init__(f"column {column}: {message}", "query", hint=f"{query}\n        {' ' * (column - 1)}^")
        self.column = column


class DateFilterError(WhylogError):
    """A since or until value that is not a date."""


class TargetError(WhylogError):
    """A `why` target that is not PATH, PATH:LINE or PATH:START-END, or a path outside the repo."""


class RefusedCommand(WhylogError):
    """A command whylog will not run (it holds control characters)."""
