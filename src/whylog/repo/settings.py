"""The checks on whylog.toml's settings: each table's type, each value's type and range, each path's form.

A setting that does not fit is a ConfigError naming whylog.toml, the line of the key and what was expected,
so every command stops with one line instead of failing somewhere later. The bounds:

- `[sources]` maps a glob to a record family; `[write]` maps a kind to a file or a folder (ending in `/`).
  Both are paths inside the repo (the path rule's `config_path_problem`: not absolute, no `..` part, not in
  `.git`), not empty, with no control characters.
- `[archive]` thresholds are whole numbers: `syslog_max_lines` 0 to 1,000,000,000, `syslog_keep_months` 0 to
  1,200 (a century), `devlog_keep_days` 0 to 36,500 (a century). Negative thresholds would archive the
  newest records; larger ones are not dates any more.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping

from whylog.model.bounds import control_character
from whylog.model.errors import ConfigError

CONFIG_NAME = "whylog.toml"
ARCHIVE_BOUNDS = {
    "syslog_max_lines": (0, 1_000_000_000),
    "syslog_keep_months": (0, 1_200),
    "devlog_keep_days": (0, 36_500),
}
_HEADER = re.compile(r"^\s*\[\s*([^\]]*?)\s*\]")


def line_of(text: str, table: str, key: str | None = None) -> int:
    """The line of `key` in `[table]` (or of the table's header when `key` is None, or of `table = ...` at the
    top); 0 when it cannot be found (a dotted or inline key)."""
    current = ""
    header = 0
    for number, line in enumerate(text.splitlines(), start=1):
        found = _HEADER.match(line)
        if found is not None:
            current = found.group(1).strip("\"'")
            if current == table and key is None:
                return number
            header = number if current == table else header
            continue
        name = _key(line)
        if name is None:
            continue
        if (current == "" and name == table) or (current == table and name == key):
            return number
    return header


def _key(line: str) -> str | None:
    """The key a `key = value` line sets, its escapes read as TOML reads them."""
    found = re.match(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""", line)
    if found is None:
        return None
    try:
        return next(iter(tomllib.loads(f"{found.group(1)} = 0")))
    except tomllib.TOMLDecodeError:
        return None


def _error(text: str, table: str, key: str | None, message: str, hint: str = "") -> ConfigError:
    return ConfigError(message, CONFIG_NAME, line_of(text, table, key), hint)


def table_of(data: Mapping[str, object], text: str, name: str) -> dict[str, object] | None:
    """The table `[name]`, None when absent."""
    table = data.get(name)
    if table is None:
        return None
    if not isinstance(table, dict):
        raise _error(text, name, None, f"{name} = {_shown(table)} is not a table", f"write it as [{name}] and keys")
    return table


def string_table(text: str, name: str, table: dict[str, object]) -> dict[str, str]:
    """A table of strings that are paths relative to the repo."""
    out: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise _error(text, name, key, f"[{name}] {key!r} = {_shown(value)} is not a string", 'quote it: "..."')
        where = f"[{name}] {key!r}" if name == "sources" else f"[{name}] {key} = {value!r}"
        _check_path(text, name, key, where, key if name == "sources" else value)
        out[key] = value
    return out


def _check_path(text: str, table: str, key: str, where: str, path: str) -> None:
    """Empty, control characters, then the path rule's reading of a configured path (whylog.repo.boundary)."""
    from whylog.repo.boundary import config_path_problem

    problem = "is empty; expected a path inside the repo" if not path.strip() else None
    if problem is None and (found := control_character(path)) is not None:
        problem = f"holds control character {found}; expected a path inside the repo"
    problem = problem or config_path_problem(path)
    if problem:
        raise _error(text, table, key, f"{where}: {problem}", "name paths relative to the folder of whylog.toml")


def check_choices(
    text: str, name: str, table: Mapping[str, str], keys: Collection[str], values: Collection[str]
) -> None:
    """Every key of `[name]` one of `keys` (when given), every value one of `values` (when given)."""
    for key, value in table.items():
        if keys and key not in keys:
            raise _error(text, name, key, f"[{name}] {key!r} is not known", f"expected one of {', '.join(keys)}")
        if values and value not in values:
            raise _error(text, name, key, f"[{name}] {key!r} = {value!r}; expected one of {', '.join(values)}")


def archive_table(text: str, table: dict[str, object]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in table.items():
        if key not in ARCHIVE_BOUNDS:
            known = ", ".join(ARCHIVE_BOUNDS)
            raise _error(text, "archive", key, f"[archive] {key!r} is not known", f"expected one of {known}")
        low, high = ARCHIVE_BOUNDS[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise _error(text, "archive", key, f"[archive] {key} = {_shown(value)} is not a whole number")
        if not low <= value <= high:
            raise _error(text, "archive", key, f"[archive] {key} = {value} is out of range; expected {low} to {high:,}")
        out[key] = value
    return out


def _shown(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
