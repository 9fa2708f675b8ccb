"""Feature lists (feature_list.json): a JSON array of `{id, category, description, steps, passes}`.

The array is decoded element by element with `json.JSONDecoder.raw_decode`, so each feature knows the
characters, and so the lines, its object spans; nothing looks at the file with a regular expression.
A file that is not valid JSON is a ParseError with the line, the column and what was expected. An element
that is not an object, or has a field of the wrong type, is reported (PRS060, PRS061) and skipped: its
lines stay in the document as unstructured text. A lone top-level object reads as one feature (that is
what the writer renders for one record); an object keyed by position or name (`{"0": {...}, "1": {...}}`)
reads a feature per member, and an object holding the list (`{"project": ..., "features": [...]}`) reads
the list. A feature without an `id` takes its 1-based position; one without a `description` is titled
by its `title` or `name`. Harnesses' own keys fill fields too: `status` (kept as written, `ready_for_qa`;
`passes` is read from it when there is no `passes`), `priority`, `verification` (a list), `notes`, `area`
(the category when there is none). Keys no field holds are noted once per key (PRS062), never dropped.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass

from whylog.markdown.document import Reading, assign_ids, diagnostic
from whylog.markdown.scan import Lines, split_lines
from whylog.model import FeatureFields, Record, Source
from whylog.model.errors import ParseError

_SPACE = " \t\n\r"
_HINT = "feature_list.json is a JSON array of objects with id, category, description, steps and passes"
FIELD_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "id": ((int, str), "an integer or a string"),
    "category": (str, "a string"),
    "description": (str, "a string"),
    "steps": (list, "an array of strings"),
    "passes": (bool, "true or false"),
}
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", list: "an array"}
_TYPE_NAMES.update({dict: "an object", type(None): "null"})


@dataclass(frozen=True, slots=True)
class Element:
    index: int  # 1-based position in the array
    value: object
    start: int  # offset of its first character
    end: int  # offset after its last character
    key: str = ""  # its key, for a member of an object


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an element is not a feature: a diagnostic code and message."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ArrayText:
    """The elements of the top-level array and the offsets of its brackets (-1 for a lone object)."""

    elements: list[Element]
    open: int
    close: int


def feature_id(number: int) -> str:
    return f"FEAT-{number}"


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    array = scan_array(lines.text, path)
    starts = line_starts(lines.text)
    records: list[Record] = []
    unread: dict[str, tuple[int | str, int, list[int | str]]] = {}  # key -> first feature, its line, all
    for element in array.elements:
        first = bisect.bisect_right(starts, element.start)
        last = bisect.bisect_right(starts, element.end - 1)
        found = read_feature(element)
        if isinstance(found, Problem):
            reading.diagnostics.append(diagnostic(found.code, found.message, path, first, _HINT))
            continue
        number, fields = found
        source = Source(path, first, last)
        title = fields.description or _title_of(element.value)
        ident = feature_id(number) if isinstance(number, int) else number
        records.append(Record(ident, "feature", title, "", fields, source=source))
        value = element.value if isinstance(element.value, dict) else {}
        for key, item in value.items():
            if not is_read(key, item):
                unread.setdefault(key, (number, first, []))[2].append(number)
    for key, (number, first, numbers) in unread.items():
        others = len(numbers) - 1
        more = f" (and {others} more feature{'s' if others > 1 else ''})" if others else ""
        message = f"feature {number}{more}: key {key!r} is kept in the file but not read"
        reading.diagnostics.append(diagnostic("PRS062", message, path, first, _HINT, "info"))
    reading.diagnostics.sort(key=lambda d: d.source.start_line)
    for offset in (array.open, array.close):
        number = bisect.bisect_right(starts, offset)
        if offset >= 0 and lines.line(number).strip() in ("[", "]", "[]"):
            reading.claimed.append((number, number))
    filled = [n for n in range(1, len(lines) + 1) if lines.line(n).strip()]
    if array.open < 0 and len(array.elements) > 1 and lines.line(filled[0]).strip() == "{":
        reading.claimed += [(filled[0], filled[0]), (filled[-1], filled[-1])]  # an object keyed by feature
    reading.records = assign_ids(records, newest_first=False)
    return reading


def _title_of(value: object) -> str:
    """A title for a feature without a description: its `title` or `name`, when it has one."""
    if isinstance(value, dict):
        for key in ("title", "name", "feature", "summary"):
            if isinstance(value.get(key), str) and value[key].strip():
                return " ".join(str(value[key]).split())
    return ""


_PASSING = ("passing", "passed", "pass", "done", "complete", "completed")


def read_feature(element: Element) -> tuple[int | str, FeatureFields] | Problem:
    """`(id, fields)`, or the Problem with an element whose shape is wrong."""
    value = element.value
    if not isinstance(value, dict):
        return Problem("PRS060", f"element {element.index} is {_type_name(value)}; expected a feature object")
    for key, (kind, expected) in FIELD_TYPES.items():
        if key not in value:
            continue
        item = value[key]
        fits = isinstance(item, kind) and not isinstance(item, bool) or kind is bool and isinstance(item, bool)
        if fits and kind is list:
            fits = all(isinstance(step, str) for step in item)
        if not fits:
            return Problem("PRS061", f"feature {element.index}: {key!r} is {_type_name(item)}; expected {expected}")
    status = _text(value.get("status"))
    fields = FeatureFields(
        category=value.get("category", "") or _text(value.get("area")),
        description=value.get("description", ""),
        steps=tuple(value.get("steps", ())),
        passes=value.get("passes", status.lower() in _PASSING),
        status=status,
        priority=_text(value.get("priority")),
        verification=_texts(value.get("verification")),
        notes=_text(value.get("notes")),
    )
    ident = value.get("id", element.index)
    return (ident.strip() or element.index) if isinstance(ident, str) else ident, fields


# Keys harnesses write beside the seed's, read when their value has the expected shape (else kept, noted).
EXTRA_KEYS = ("status", "priority", "verification", "notes", "title", "name", "area")


def is_read(key: str, value: object) -> bool:
    """Whether a feature's key fills a field (or its title): the seed's keys always, the others when
    their value is text, a number or (verification) a list of texts."""
    if key in FIELD_TYPES:
        return True
    if key not in EXTRA_KEYS:
        return False
    if key == "verification":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str | int) and not isinstance(value, bool)


def _text(value: object) -> str:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _texts(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else ()


def _type_name(value: object) -> str:
    if isinstance(value, list):
        others = [v for v in value if not isinstance(v, str)]
        return f"an array holding {_type_name(others[0])}" if others else "an array of strings"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


# --- the array, element by element ---------------------------------------------------------------


def line_starts(text: str) -> list[int]:
    """The character offset at which each line starts (line endings as in scan.split_lines), counting
    the empty line after a final line ending, where an unexpected end of the file is reported."""
    starts = [0]
    for line in split_lines(text):
        starts.append(starts[-1] + len(line))
    if text and not text.endswith(("\n", "\r")):
        starts.pop()
    return starts


def scan_array(text: str, path: str) -> ArrayText:
    """The top-level array's elements with their offsets; ParseError where the text is not JSON."""
    pos = _skip(text, 0)
    if pos == len(text):
        raise ParseError("the file is empty; expected a JSON array of features", path, 1, _HINT)
    if text[pos] == "{":
        value, end = _decode(text, pos, path)
        _expect_end(text, end, path)
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            return ArrayText(_members(text, pos, path), -1, -1)
        wrapped = _wrapped_key(value)
        if wrapped is not None:  # `{"features": [...]}`: the list under its key
            inner = next(e for e in _members(text, pos, path, keys=True) if e.key == wrapped)
            return _array(text, inner.start, path, inner=True)
        return ArrayText([Element(1, value, pos, end)], -1, -1)
    if text[pos] != "[":
        raise _error(text, pos, "expected '[' to start the array of features", path)
    return _array(text, pos, path)


def _wrapped_key(value: object) -> str | None:
    """The key of an object's list of feature objects (`features`, else the only such list), or None."""
    if not isinstance(value, dict):
        return None
    lists = [k for k, v in value.items() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
    if "features" in lists:
        return "features"
    return lists[0] if len(lists) == 1 else None


def _array(text: str, pos: int, path: str, inner: bool = False) -> ArrayText:
    """The elements of the array that opens at `pos`; the file must end after it unless it is `inner` (a
    list inside an object, which the caller has decoded whole)."""
    opening, pos = pos, _skip(text, pos + 1)
    elements: list[Element] = []
    while pos >= len(text) or text[pos] != "]" or elements:
        value, end = _decode(text, pos, path)
        elements.append(Element(len(elements) + 1, value, pos, end))
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == "]":
            break
        if pos >= len(text) or text[pos] != ",":
            raise _error(text, pos, "expected ',' or ']' after an element of the array", path)
        pos = _skip(text, pos + 1)
    if not inner:
        _expect_end(text, pos + 1, path)
    return ArrayText(elements, opening, pos)


def _members(text: str, pos: int, path: str, keys: bool = False) -> list[Element]:
    """The values of a top-level object keyed by feature (`{"0": {...}, "1": {...}}`), with their offsets;
    the caller has decoded the whole object, so the text is valid JSON here."""
    elements: list[Element] = []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = _decode(text, pos, path)
        pos = _skip(text, _skip(text, pos) + 1)  # past the colon
        value, end = _decode(text, pos, path)
        elements.append(Element(len(elements) + 1, value, pos, end, str(key) if keys else ""))
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    return elements


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _decode(text: str, pos: int, path: str) -> tuple[object, int]:
    try:
        value, end = json.JSONDecoder().raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        message = exc.msg.replace("Expecting", "expected", 1)
        raise _error(text, exc.pos, message[0].lower() + message[1:], path) from None
    except RecursionError:
        raise _error(text, pos, "the JSON is nested too deeply", path) from None
    except ValueError:  # an integer longer than Python's digit limit
        raise _error(text, pos, "a number is too long to read", path) from None
    return value, end


def _expect_end(text: str, pos: int, path: str) -> None:
    end = _skip(text, pos)
    if end < len(text):
        raise _error(text, end, "expected the end of the file after the array", path)


def _error(text: str, pos: int, message: str, path: str) -> ParseError:
    starts = line_starts(text)
    line = bisect.bisect_right(starts, pos)
    column = pos - starts[line - 1] + 1
    return ParseError(f"invalid JSON at column {column}: {message}", path, line, _HINT)
