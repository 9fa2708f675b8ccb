"""The [lint] table of whylog.toml: which rules run (select, ignore) and at what severity.

It sits with the rest of the config, below the lint engine and its rules: the engine reads it, and a rule's
context carries it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from whylog.model.errors import ConfigError
from whylog.repo.settings import CONFIG_NAME

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class LintConfig:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        chosen = not self.select or any(code.startswith(s) for s in self.select)
        return chosen and not any(code.startswith(s) for s in self.ignore)


def read_lint_config(root: Path, codes: Collection[str]) -> LintConfig:
    """The [lint] table of whylog.toml; ConfigError names what is wrong. `codes`: the rule codes a
    severity may name (the rule table sits above the repo layer, in `lint.rules.registry`)."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return LintConfig()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("lint", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", CONFIG_NAME) from None
    lists = {}
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"[lint] {key} must be a list of rule codes", CONFIG_NAME)
        lists[key] = tuple(v.upper() for v in value)
    severity = table.get("severity", {})
    for code, level in severity.items() if isinstance(severity, dict) else [("", "")]:
        if code.upper() not in codes or level not in SEVERITIES:
            raise ConfigError(
                f"[lint] severity {code} = {level!r}: expected a rule code = error|warning|info", CONFIG_NAME
            )
    return LintConfig(lists["select"], lists["ignore"], {k.upper(): v for k, v in severity.items()})
