"""A release in Keep a Changelog form: `## [1.2.0] - 2026-01-05`, a `### Type` heading over each change
type's items, and the compare link as a reference link below the section."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from whylog.markdown.readers.changelog import issues_of, release_id
from whylog.model import Record, ReleaseFields

# Keep a Changelog's change types, by their lower-case spelling: `--changes fixed=...` writes `### Fixed`.
KEEP_A_CHANGELOG = {t.lower(): t for t in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")}


def render_release(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, ReleaseFields)
    unreleased = record.id == "REL-unreleased" or (not fields.version and record.title.lower() == "unreleased")
    if unreleased:
        heading = "## [Unreleased]"
    elif fields.version:
        heading = f"## [{fields.version}]" + (f" - {record.date[:10]}" if record.date else "")
        name = _name(record.title, fields.version)
        heading += f" - {name}" if name else ""
    else:
        named = record.title and record.title != record.date
        heading = f"## {record.date[:10]}" + (f" — {record.title}" if named else "")
    if fields.yanked:
        heading += " [YANKED]"
    out = [heading, ""]
    for kind, items in fields.changes.items():
        if kind:
            out += [f"### {kind}", ""]
        for item in items:
            first, *rest = item.split("\n")
            out += [f"- {first}", *[f"  {line}" for line in rest]]
        if items:
            out.append("")
    if fields.compare:
        label = "Unreleased" if unreleased else fields.version or record.date[:10]
        out += [f"[{label}]: {fields.compare}", ""]
    while out and out[-1] == "":
        out.pop()
    return out


def _name(title: str, version: str) -> str:
    """The words a release's title gives beyond its version (`1.2.0 — Codename` -> `Codename`)."""
    if title in ("", version):
        return ""
    for prefix in (f"{version} — ", f"{version} - ", f"{version} "):
        if title.startswith(prefix):
            return title[len(prefix) :].strip()
    return title


def completed(record: Record) -> Record:
    """A release as its heading and items read back: the title from the version (and any name), the
    issue numbers its items name, and its id."""
    fields = record.fields
    assert isinstance(fields, ReleaseFields)
    version = fields.version[1:] if fields.version[:1] in ("v", "V") else fields.version
    unreleased = not version and record.title.strip().lower() in ("", "unreleased")
    if unreleased:
        title = "Unreleased"
    elif version:
        name = _name(record.title, version)
        title = f"{version} — {name}" if name else version
    else:
        title = record.title or record.date[:10]
    changes: dict[str, tuple[str, ...]] = {}
    for given, values in fields.changes.items():
        name = KEEP_A_CHANGELOG.get(given.lower(), given)
        changes[name] = changes.get(name, ()) + tuple(values)
    items = [item for values in changes.values() for item in values]
    fields = dataclasses.replace(fields, version=version, changes=changes, issues=issues_of(items))
    date = "" if unreleased else record.date[:10]
    return dataclasses.replace(record, title=title, date=date, fields=fields, id=release_id(version, date, unreleased))


WRITERS: dict[str, Callable[[Record], list[str]]] = {"release": render_release}
SUFFIX = {"release": "\n"}
