"""`whylog demo`: the bundled examples in a throwaway repo, and what whylog reads and writes there.

Returns lines of text; the CLI prints them. Uses the library exactly as the commands do.
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from whylog.model import ActionItem, FileRef, IncidentFields, Record, from_json
from whylog.model.errors import NotFound

AGENT_ENTRY = {
    "kind": "entry",
    "title": "Rendered records before taking the write lock to shorten waits",
    "tags": ["PERFORMANCE"],
    "files": [{"path": "src/whylog/repo.py", "lines": [[240, 252]], "change": "modified", "note": ""}],
    "fields": {
        "type": "Configuration",
        "observation": "Two agents writing at once waited on each other for up to 3 seconds.",
        "hypothesis": "The lock was held while rendering; rendering can happen before taking it.",
        "actions": ["Rendered the record before taking the lock", "Kept the read-check-rename inside it"],
        "result": "- Lock held for 4 ms instead of 40 ms per add",
        "confidence": {"value": 85, "reason": "Measured with the concurrency test"},
    },
}


def examples_dir() -> Path:
    here = Path(__file__).resolve().parent.parent  # the whylog package: a wheel keeps the examples there
    for candidate in (here / "examples", here.parent.parent / "examples"):
        if (candidate / "SYSTEM_LOG.md").is_file():
            return candidate
    raise NotFound("the bundled examples are missing", str(here / "examples"), hint="reinstall whylog")


def run_demo(folder: Path | None = None, now: datetime | None = None) -> Iterator[str]:
    from whylog.repo import CONFIG_NAME, Config, discover_sources, load, render_config, write_atomic
    from whylog.writing.placement import add_record

    root = Path(tempfile.mkdtemp(prefix="whylog-demo-")) if folder is None else folder.resolve()
    shutil.copytree(examples_dir(), root, dirs_exist_ok=True)
    yield f"whylog demo: a throwaway repo with the bundled example records at {root}"
    yield ""
    yield "1. whylog init  (find the record files, write whylog.toml)"
    config = Config(root, discover_sources(root))
    write_atomic(root / CONFIG_NAME, render_config(config))
    collection = load(config)
    width = max(len(d.path) for d in collection.documents)
    for document in collection.documents:
        kinds = Counter(r.kind for r in document.records)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no records"
        yield f"   {document.path:<{width}}  {summary}; {len(document.unstructured)} unstructured span(s)"
    before = {d.path: d.text for d in collection.documents}
    yield ""
    yield "2. whylog add entry --json -  (what an agent sends)"
    moment = now or datetime.now(UTC)
    entry = add_record(config, from_json(AGENT_ENTRY), moment)
    yield f"   added {entry.id} to {_where(entry)}"
    yield ""
    yield '3. whylog add incident --title "..." --severity High ...  (what a person types)'
    incident = add_record(config, _person_incident(), moment)
    yield f"   added {incident.id} to {_where(incident)}"
    yield ""
    yield "4. what changed on disk  (new lines only; every existing line kept)"
    for path, old in before.items():
        new = (root / path).read_text(encoding="utf-8")
        if new != old:
            added, changed = _diff_counts(old, new)
            yield f"   {path}: {added} lines added, {changed} existing lines changed"
    yield ""
    yield f"5. whylog show {entry.id}"
    text = (root / entry.source.path).read_text(encoding="utf-8").splitlines()  # type: ignore[union-attr]
    for line in text[entry.source.start_line - 1 : entry.source.end_line]:  # type: ignore[union-attr]
        yield f"   {line}"
    yield ""
    yield "6. whylog list --limit 5"
    from whylog.index.query import parse_query
    from whylog.index.records import select_records
    from whylog.index.search import run_search
    from whylog.index.sqlite import open_synced

    question = "why did we choose pyromark?"
    with closing(open_synced(config)) as conn:
        newest = select_records(conn, limit=5)
        hits = run_search(conn, parse_query(question), 3)
    for record in newest:
        yield f"   {record.id:<24} {record.kind:<8} {record.date[:10]}  {record.title}"
    yield ""
    yield f'7. whylog search "{question}"'
    for hit in hits:
        yield f"   {hit.envelope['id']:<24} {hit.envelope['kind']:<8} {hit.envelope['title']}"
    yield ""
    yield f"Try it yourself:  whylog -C {root} search pool   |   whylog -C {root} lint"


def _person_incident() -> Record:
    fields = IncidentFields(
        severity="High",
        services=("whylog CLI",),
        symptoms=("`whylog add` from two terminals at once printed success twice; one entry was missing.",),
        root_cause=("The second writer renamed its copy over the first writer's file.",),
        resolution=("Held the repo write lock from read to rename.",),
        action_items=(ActionItem("Add a four-process concurrency test", True),),
    )
    return Record(
        "",
        "incident",
        "Entry lost when two terminals added at once",
        "",
        fields,
        files=(FileRef("src/whylog/repo.py"),),
    )


def _where(record: Record) -> str:
    assert record.source is not None
    return f"{record.source.path}:{record.source.start_line}-{record.source.end_line}"


def _diff_counts(old: str, new: str) -> tuple[int, int]:
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    added = changed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "insert":
            added += j2 - j1
        elif tag in ("replace", "delete"):
            changed += i2 - i1
    return added, changed
