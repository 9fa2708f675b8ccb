"""A feature as a JSON object (2-space indentation, like feature_list.json), and appending one to a list."""

from __future__ import annotations

import json
from collections.abc import Callable

from whylog.markdown.readers.features import ArrayText, Problem, read_feature, scan_array
from whylog.model import FeatureFields, Record
from whylog.model.errors import WriteError


def feature_number(record: Record) -> int:
    """The JSON `id` of a feature record: 12 for `FEAT-12` (and for `FEAT-12-2`, a repeated id)."""
    prefix, _, rest = record.id.partition("-")
    number = rest.split("-")[0]
    if prefix != "FEAT" or not number.isdigit():
        raise WriteError(f"feature id {record.id!r} is not FEAT-<number>", hint="e.g. FEAT-12")
    return int(number)


def render_feature(record: Record) -> list[str]:
    fields = record.fields
    assert isinstance(fields, FeatureFields)
    value = {
        "id": feature_number(record),
        "category": fields.category,
        "description": fields.description,
        "steps": list(fields.steps),
        "passes": fields.passes,
    }
    extra = {"status": fields.status, "priority": fields.priority, "verification": list(fields.verification)}
    value.update({key: item for key, item in extra.items() if item})  # a harness's keys, when it set them
    if fields.notes:
        value["notes"] = fields.notes
    return json.dumps(value, indent=2, ensure_ascii=False).split("\n")


def next_feature_id(text: str, path: str = "feature_list.json") -> int:
    """One more than the highest feature id in the list (1 for an empty list)."""
    return max(_taken(scan_array(text, path)), default=0) + 1


def _taken(array: ArrayText) -> set[int]:
    found = (read_feature(element) for element in array.elements)
    return {item[0] for item in found if not isinstance(item, Problem) and isinstance(item[0], int)}


def insert_feature(text: str, record: Record, path: str = "feature_list.json") -> str:
    """The feature list `text` with `record` appended as the last element, before the closing `]`.

    No existing line changes, except that the previous last element's closing line (`  }`) gets a
    trailing comma; an empty array `[]` on one line becomes `[`, the object and `]`. The new object
    takes the indentation of the element before it (two spaces by default). Raises ParseError when
    `text` is not a JSON array, and WriteError when the record's id is already taken.
    """
    array = scan_array(text, path)
    if array.open < 0 and len(array.elements) > 1:
        message = "the file keeps its features in an object keyed by position or name, not in a list"
        raise WriteError(message, path, 1, 'add the feature by hand under its own key ("12": {...})')
    if array.open < 0:
        raise WriteError("the file holds one feature, not an array of them", path, 1, "wrap it in [ ]")
    number, taken = feature_number(record), _taken(array)
    if number in taken:
        raise WriteError(f"feature id {number} is taken", path, hint=f"the next free id is {max(taken) + 1}")
    newline = "\r\n" if "\r\n" in text else "\n"
    if not array.elements:
        body = newline.join("  " + line for line in render_feature(record))
        return text[: array.open + 1] + newline + body + newline + text[array.close :]
    last = array.elements[-1]
    line_start = text.rfind("\n", 0, last.start) + 1
    indent = text[line_start : last.start] if not text[line_start : last.start].strip() else "  "
    body = newline.join(indent + line for line in render_feature(record))
    return text[: last.end] + "," + newline + body + text[last.end :]


WRITERS: dict[str, Callable[[Record], list[str]]] = {"feature": render_feature}
SUFFIX = {"feature": ""}
