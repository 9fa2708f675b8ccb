"""The lossless document: a file as its original text, the records read from it, and the rest.

A `Document` never rebuilds text from records: `render()` returns the bytes that were read, and edits
(`insert`) splice new lines in between existing ones, so every line that was there stays as it was.
Every line belongs to a record's source span, to the front matter, or to an `unstructured` span (blank
lines and lone separators are layout and belong to nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whylog.markdown.scan import Lines
from whylog.model import Diagnostic, Record, Source, diagnostic_json


@dataclass(frozen=True, slots=True)
class TextSpan:
    start_line: int
    end_line: int
    text: str


@dataclass(slots=True)
class Reading:
    """What a reader found in a file: records (each with its source span) and problems."""

    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    front_matter: dict[str, str] = field(default_factory=dict)
    claimed: list[tuple[int, int]] = field(default_factory=list)  # structured lines that are no record


@dataclass(slots=True)
class Document:
    path: str
    text: str
    family: str
    records: list[Record]
    unstructured: list[TextSpan]
    diagnostics: list[Diagnostic]
    front_matter: dict[str, str]
    lines: Lines

    def render(self) -> str:
        return self.text

    @property
    def damaged(self) -> bool:
        """Whether the file could not be read cleanly (bytes that are not UTF-8, a NUL byte, a line too
        long): its text holds replacements, so nothing may be written into it."""
        from whylog.markdown.encoding import is_damaged

        return is_damaged(self.diagnostics)

    @property
    def newline(self) -> str:
        for line in self.lines.lines:
            if line.endswith("\r\n"):
                return "\r\n"
            if line.endswith("\r"):
                return "\r"
            if line.endswith("\n"):
                return "\n"
        return "\n"


def build_document(path: str, lines: Lines, family: str, reading: Reading) -> Document:
    covered = [False] * (len(lines) + 2)
    spans = [(r.source.start_line, r.source.end_line) for r in reading.records if r.source]
    for start, end in spans + reading.claimed:
        for number in range(start, end + 1):
            covered[number] = True
    _claim_title(lines, covered)
    unstructured: list[TextSpan] = []
    run: list[int] = []
    for number in range(1, len(lines) + 2):
        if number <= len(lines) and not covered[number]:
            run.append(number)
            continue
        while run and lines.tags[run[0] - 1] in ("blank", "rule"):
            run.pop(0)
        while run and lines.tags[run[-1] - 1] in ("blank", "rule"):
            run.pop()
        if run:
            text = "".join((lines.shown or lines.lines)[n - 1] for n in run).rstrip("\r\n")
            unstructured.append(TextSpan(run[0], run[-1], text))
        run = []
    found = list(reading.diagnostics)
    if lines.repaired:
        from whylog.markdown.encoding import mojibake_diagnostic

        found.append(mojibake_diagnostic(path, lines.repaired))
    diagnostics = sorted(found, key=lambda d: d.source.start_line)
    return Document(path, lines.text, family, reading.records, unstructured, diagnostics, reading.front_matter, lines)


def _claim_title(lines: Lines, covered: list[bool]) -> None:
    """The file's own title (a level-1 heading before anything else) is structure, not stray text."""
    for number in range(1, len(lines) + 1):
        if covered[number] or lines.tags[number - 1] in ("blank", "rule"):
            continue
        if lines.tags[number - 1] == "heading" and lines.headings.get(number, (0, ""))[0] == 1:
            covered[number] = True
        return


def diagnostic(
    code: str,
    message: str,
    path: str,
    line: int,
    hint: str = "",
    severity: str = "warning",
) -> Diagnostic:
    return Diagnostic(code, message, Source(path, line, line), hint, severity)  # type: ignore[arg-type]


def assign_ids(records: list[Record], newest_first: bool) -> list[Record]:
    """Give records that share a natural id the suffixes -2, -3, ... in the order they happened, so
    an id never changes when a newer record is added above an older one in a newest-first log."""
    import dataclasses

    order = list(range(len(records)))
    if newest_first:
        order.reverse()
    seen: dict[str, int] = {}
    out = list(records)
    for index in order:
        base = records[index].id
        count = seen.get(base, 0) + 1
        seen[base] = count
        if count > 1:
            out[index] = dataclasses.replace(records[index], id=f"{base}-{count}")
    return out


def is_newest_first(records: list[Record]) -> bool:
    dated = [r.date for r in records if r.date]
    return len(dated) >= 2 and dated[0] > dated[-1]


def document_json(document: Document) -> dict[str, object]:
    """The `whylog parse --format json` shape: records, unstructured spans and diagnostics."""
    from whylog.model import to_json

    return {
        "path": document.path,
        "family": document.family,
        "front_matter": document.front_matter,
        "records": [to_json(r) for r in document.records],
        "unstructured": [
            {"start_line": u.start_line, "end_line": u.end_line, "text": u.text} for u in document.unstructured
        ],
        "diagnostics": [diagnostic_json(d) for d in document.diagnostics],
    }
