"""Showing and exporting records: a record's own lines, and the export formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from whylog.model import Record, to_json, to_json_text

CSV_COLUMNS = ("id", "kind", "title", "date", "tags", "files", "links", "path", "start_line", "end_line", "fields")


def record_markdown(root: Path, record: Record) -> str:
    """The record's lines exactly as in its file, under a comment naming its id and lines: `whylog show`."""
    assert record.source is not None, "a record read from a file has a source"
    source = record.source
    return span_markdown(root, source.path, source.start_line, source.end_line, record.id)


def span_markdown(root: Path, path: str, start: int, end: int, name: str = "text") -> str:
    """Lines `start`..`end` of a record file as they are in it (bytes it could not read as U+FFFD), under
    a comment naming them: what `whylog show` prints for a record or for unstructured text."""
    from whylog.markdown.encoding import decode_damaged
    from whylog.markdown.scan import split_lines

    text = decode_damaged((root / path).read_bytes(), path).text
    lines = split_lines(text)[start - 1 : end]
    head = f"<!-- {name} · {path}:{start}-{end} -->"
    return head + "\n" + "".join(lines).rstrip("\r\n") + "\n"


def is_file_line(target: str) -> bool:
    """Whether `target` reads as FILE:LINE or FILE:START-END (what a search hit on text has as its id)."""
    path, colon, lines = target.rpartition(":")
    return bool(path and colon) and lines.replace("-", "", 1).isdigit()


def shown_at(conn: Any, root: Path, target: str) -> tuple[dict[str, Any], str]:
    """What `show FILE:LINE` gives: the record whose lines hold LINE, else the unstructured text there, as
    (JSON envelope, Markdown as in the file). A text envelope has kind "text" and its lines as "text".
    Raises NotFound when the line is in neither (a blank line, a separator, no such file)."""
    from whylog.index.search import text_envelope
    from whylog.index.sqlite import links_resolved, record_at, span_at
    from whylog.model.errors import NotFound

    path, _, lines = target.rpartition(":")
    line = int(lines.split("-")[0])
    record = record_at(conn, path, line)
    if record is not None:
        record = links_resolved(conn, [record])[0]
        return to_json(record), record_markdown(root, record)
    span = span_at(conn, path, line)
    if span is None:
        raise NotFound(
            f"no record and no unstructured text at line {line}",
            path,
            line,
            f"`whylog parse {path}` lists its records and text",
        )
    start, end, title = span
    markdown = span_markdown(root, path, start, end)
    return {**text_envelope(path, start, end, title), "text": markdown.split("\n", 1)[1].rstrip("\r\n")}, markdown


def export_text(records: list[Record], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([to_json(r) for r in records], indent=2, ensure_ascii=False) + "\n"
    if fmt == "jsonl":
        return "".join(to_json_text(r) + "\n" for r in records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        source = r.source
        writer.writerow(
            [
                r.id,
                r.kind,
                r.title,
                r.date,
                ";".join(r.tags),
                ";".join(f.path for f in r.files),
                ";".join(link.target or link.text for link in r.links),
                source.path if source else "",
                source.start_line if source else "",
                source.end_line if source else "",
                json.dumps(to_json(r.fields), ensure_ascii=False),
            ]
        )
    return buffer.getvalue()
