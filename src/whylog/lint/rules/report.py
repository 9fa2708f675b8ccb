"""Lint findings as text, JSON and SARIF 2.1.0 (for code-scanning uploads). Returns strings; prints nothing."""

from __future__ import annotations

import json
from typing import Any

from whylog.lint.rules.registry import RULES
from whylog.model import Diagnostic, diagnostic_json

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def format_text(found: list[Diagnostic]) -> str:
    """`path:line:col: CODE message`, an indented `hint:` line when there is one, then a summary line."""
    out = []
    for item in found:
        out.append(f"{item.source.path}:{item.source.start_line}:1: {item.code} {item.message}")
        if item.hint:
            out.append(f"    hint: {item.hint}")
    out.append(summary(found))
    return "\n".join(out) + "\n"


def summary(found: list[Diagnostic]) -> str:
    if not found:
        return "no findings"
    counts = {level: sum(1 for d in found if d.severity == level) for level in ("error", "warning", "info")}
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    files = len({d.source.path for d in found})
    plural = "s" if len(found) != 1 else ""
    return f"{len(found)} finding{plural} ({', '.join(parts)}) in {files} file{'s' if files != 1 else ''}"


def finding_json(item: Diagnostic) -> dict[str, Any]:
    """The model's diagnostic shape, with the rule's name after its code."""
    return {"code": item.code, "name": RULES[item.code].name if item.code in RULES else "", **diagnostic_json(item)}


def format_json(found: list[Diagnostic]) -> str:
    return json.dumps([finding_json(d) for d in found], indent=2, ensure_ascii=False) + "\n"


def sarif(found: list[Diagnostic], version: str = "") -> dict[str, Any]:
    """One SARIF run: the registry as tool.driver.rules, each finding as a result with its location."""
    codes = list(RULES)
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.rationale},
            "help": {"text": rule.docs},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        }
        for rule in RULES.values()
    ]
    results = [
        {
            "ruleId": item.code,
            "ruleIndex": codes.index(item.code) if item.code in RULES else -1,
            "level": _SARIF_LEVEL[item.severity],
            "message": {"text": item.message + (f" (hint: {item.hint})" if item.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": item.source.path},
                        "region": {"startLine": item.source.start_line, "startColumn": 1},
                    }
                }
            ],
        }
        for item in found
    ]
    driver: dict[str, Any] = {"name": "whylog", "rules": rules}
    if version:
        driver["version"] = version
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def format_sarif(found: list[Diagnostic], version: str = "") -> str:
    return json.dumps(sarif(found, version), indent=2, ensure_ascii=False) + "\n"


def format_rules() -> str:
    """The `whylog rules` table: code, name, severity, summary."""
    rows = [f"{r.code}  {r.name:<26} {r.severity:<8} {r.summary}" for r in RULES.values()]
    return "\n".join(rows) + "\n"


def format_rule(code: str) -> str | None:
    rule = RULES.get(code.upper())
    if rule is None:
        return None
    fix = "yes (whylog lint --fix)" if rule.fixable else "no"
    head = f"{rule.code} ({rule.name})\nseverity: {rule.severity}; applies to: {rule.kind}; automatic fix: {fix}\n"
    return head + "\n" + rule.docs + "\n"
