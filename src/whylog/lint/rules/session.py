"""SES rules: a session note's claims against the repo's feature list."""

from __future__ import annotations

from collections.abc import Iterator

from whylog.lint.rules.context import Context, finding, iter_span
from whylog.model import Diagnostic, Record, SessionFields


def feature_count_mismatch(record: Record, context: Context) -> Iterator[Diagnostic]:
    """What it does: compares the newest session note's "N/M features passing" with feature_list.json
    (its count of `"passes": true` and its length), when the repo has a feature_list.json. Older notes
    are history: they counted the list as it was then.

    Why it matters: the next session starts from the note; a count that disagrees with the list sends
    it to work on features already done, or skips ones that are not.

    Example:
        14/679 features now passing     (feature_list.json: 12 of 679 pass)

    Use instead:
        12/679 features now passing

    Fix: correct the note, or mark the features in feature_list.json.
    """
    assert isinstance(record.fields, SessionFields) and record.source is not None
    claim, facts = record.fields.features, context.features
    if facts is None or record.source != _source_of(_newest(context)):
        return
    if claim is None or facts is None or (claim.passing, claim.total) == facts:
        return
    wanted = (f"{claim.passing}/{claim.total}", f"{claim.passing} / {claim.total}")
    line = next((n for n, text in iter_span(context, record) if any(w in text for w in wanted)), None)
    message = f"claims {claim.passing}/{claim.total} features passing; feature_list.json has {facts[0]}/{facts[1]}"
    yield finding("SES001", message, record.source.path, line or record.source.start_line)


def _sort_key(record: Record) -> tuple[str, int]:
    number = record.fields.number if isinstance(record.fields, SessionFields) else 0
    return record.date, number


def _newest(context: Context) -> Record | None:
    if "SES001" not in context.cache:
        sessions = [r for r in context.records if r.kind == "session"]
        context.cache["SES001"] = max(sessions, key=_sort_key) if sessions else None
    newest: Record | None = context.cache["SES001"]
    return newest


def _source_of(record: Record | None) -> object:
    return record.source if record is not None else None
