"""A check shared by the reader tests: every line of a file is accounted for."""

from __future__ import annotations

from whylog.markdown.document import Document
from whylog.markdown.readers import reader_for


def unaccounted_lines(doc: Document) -> list[int]:
    """Non-blank lines that are in no record's source span, no claimed structure (front matter, the file
    title, section headings the reader understood) and no unstructured span. Separators are layout."""
    reading = reader_for(doc.family)(doc.lines, doc.path)
    spans = [(r.source.start_line, r.source.end_line) for r in doc.records if r.source]
    spans += [(u.start_line, u.end_line) for u in doc.unstructured] + reading.claimed
    covered = {n for start, end in spans for n in range(start, end + 1)}
    title = next((n for n in range(1, len(doc.lines) + 1) if doc.lines.tag(n) != "blank"), 0)
    if doc.lines.headings.get(title, (0, ""))[0] == 1:
        covered.add(title)
    return [n for n in range(1, len(doc.lines) + 1) if doc.lines.tag(n) not in ("blank", "rule") and n not in covered]
