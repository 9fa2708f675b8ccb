"""The "Current Context" block of a dev log (devlog.md): one `context` record.

`**Last Updated:**` gives the date; the `###` subsections give the fields: labelled bullets
(`- **Label:** value`) for Project State, Stack & Tools, Standards & Conventions, Constraints &
Requirements and Entry Points; a checklist for Current Objectives; `**Risk:**` / `**Blocker:**` bullets for
Known Risks & Blockers; and Key Architectural Decisions as links to the ADRs they name.
"""

from __future__ import annotations

import os
import re

from whylog.markdown.document import Reading, diagnostic
from whylog.markdown.readers.common import read_checklist, read_links
from whylog.markdown.readers.lists import read_labelled
from whylog.markdown.scan import Lines
from whylog.markdown.values import Item, Section, item_text, iter_items, iter_sections, norm, read_date
from whylog.model import CheckItem, ContextFields, Link, Record, Risk, Source

SUBSECTIONS = {
    "project state": "state",
    "state": "state",
    "stack & tools": "stack",
    "stack": "stack",
    "tech stack": "stack",
    "standards & conventions": "standards",
    "standards": "standards",
    "conventions": "standards",
    "key architectural decisions": "decisions",
    "architectural decisions": "decisions",
    "key decisions": "decisions",
    "constraints & requirements": "constraints",
    "constraints": "constraints",
    "requirements": "constraints",
    "current objectives": "objectives",
    "objectives": "objectives",
    "known risks & blockers": "risks",
    "risks & blockers": "risks",
    "risks": "risks",
    "blockers": "risks",
    "entry points": "entry_points",
}
PAIRS = ("state", "stack", "standards", "constraints", "entry_points")
_UPDATED = {"last updated": "updated", "updated": "updated"}
_RISK_KINDS = {"risk": "Risk", "risks": "Risk", "blocker": "Blocker", "blockers": "Blocker", "blocked": "Blocker"}
_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


def context_id(path: str) -> str:
    """`CTX-devlog` for DEVLOG.md: one context per file, named after it."""
    stem = os.path.splitext(os.path.basename(path))[0].lower()
    return "CTX-" + (re.sub(r"[^a-z0-9_.-]+", "-", stem).strip("-") or "devlog")


def subsection_key(text: str) -> str:
    """`Current Objectives (Week of Oct 27)` -> `objectives`; "" for a subsection that is no field."""
    key = norm(_SUFFIX.sub("", text)).replace(" and ", " & ")
    return SUBSECTIONS.get(key, "")


def read_context(lines: Lines, path: str, start: int, end: int, reading: Reading) -> Record:
    pairs: dict[str, dict[str, str]] = {key: {} for key in PAIRS}
    objectives: list[CheckItem] = []
    risks: list[Risk] = []
    links: list[Link] = []
    updated = date = ""
    for section in iter_sections(lines, range(start + 1, end + 1), _UPDATED):
        key = subsection_key(section.label) if section.level else section.key
        items = iter_items(lines, section.body)
        if key == "updated":
            updated, date = _read_updated(section, path, reading)
        elif key in PAIRS:
            pairs[key].update(_read_pairs(items, path, section, reading))
        elif key == "objectives":
            objectives += read_checklist(items)
        elif key == "risks":
            risks += _read_risks(items, path, reading)
        elif key == "decisions":
            links += read_links(items)
        else:
            _report_stray(lines, path, section, reading)
    fields = ContextFields(
        updated,
        pairs["state"],
        pairs["stack"],
        pairs["standards"],
        pairs["constraints"],
        tuple(objectives),
        tuple(risks),
        pairs["entry_points"],
    )
    source = Source(path, start, end)
    return Record(context_id(path), "context", "Current Context", date, fields, links=tuple(links), source=source)


def _read_updated(section: Section, path: str, reading: Reading) -> tuple[str, str]:
    date = read_date(section.inline)
    if date is None:
        reading.diagnostics.append(
            diagnostic(
                "PRS025",
                f"Last Updated {section.inline!r} is not a date",
                path,
                section.line,
                "write it as **Last Updated:** YYYY-MM-DD",
            )
        )
        return section.inline, ""
    return date, date


def _read_pairs(items: list[Item], path: str, section: Section, reading: Reading) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        found = read_labelled(item.text)
        if found is None:
            reading.diagnostics.append(
                diagnostic(
                    "PRS026",
                    f"bullet under {section.label!r} is not read: it has no bold label",
                    path,
                    item.line,
                    "write it as - **Label:** value",
                    severity="info",
                )
            )
            continue
        pairs[found[0]] = "\n".join([found[1], *item.children]).strip()
    return pairs


def _read_risks(items: list[Item], path: str, reading: Reading) -> list[Risk]:
    risks = []
    for item in items:
        found = read_labelled(item.text)
        kind = _RISK_KINDS.get(norm(found[0])) if found is not None else None
        if found is None or kind is None:
            reading.diagnostics.append(
                diagnostic(
                    "PRS028",
                    "risk without a kind; read as a Risk",
                    path,
                    item.line,
                    "start it with **Risk:** or **Blocker:**",
                    severity="info",
                )
            )
            risks.append(Risk("Risk", item_text(item)))
            continue
        text = "\n".join([found[1], *item.children]).strip()
        risks.append(Risk("Blocker" if kind == "Blocker" else "Risk", text))
    return risks


def _report_stray(lines: Lines, path: str, section: Section, reading: Reading) -> None:
    text = [n for n in section.body if lines.line(n).strip()]
    if not section.level and not text:
        return
    what = f"subsection {section.label!r} is not a context field" if section.level else "text outside the subsections"
    reading.diagnostics.append(
        diagnostic(
            "PRS027",
            f"{what}; kept in the file but not read",
            path,
            section.line if section.level else text[0],
            "expected Project State, Stack & Tools, Standards & Conventions, Key Architectural Decisions, "
            "Constraints & Requirements, Current Objectives, Known Risks & Blockers or Entry Points",
            severity="info",
        )
    )
