"""Dates in the shapes real record files write them, and placeholders that are no dates."""

from __future__ import annotations

import pytest

from whylog.markdown.dates import find_date, find_placeholder, prefers_day_first

SHAPES = {
    "2026-06-07": "2026-06-07",
    "2026-06-07 20:28": "2026-06-07T20:28:00Z",
    "2026-04-30 16:45:00": "2026-04-30T16:45:00Z",
    "2025-12-31T20:47:08.764Z": "2025-12-31T20:47:08Z",
    "2026-05-09T12:55Z": "2026-05-09T12:55:00Z",
    "2026-01-01T10:00:00+02:00": "2026-01-01T08:00:00Z",
    "2025-5-25": "2025-05-25",
    "2026/06/07": "2026-06-07",
    "18/04/2026": "2026-04-18",
    "30/04/2026 21:57": "2026-04-30T21:57:00Z",
    "12/31/2025, 4:04:12 PM": "2025-12-31T16:04:12Z",
    "February 26, 2025, 11:44 AM (Europe/Berlin, UTC+1:00)": "2025-02-26T10:44:00Z",
    "Jan 26, 2026 ~08:23 UTC": "2026-01-26T08:23:00Z",
    "6th December, 2024": "2024-12-06",
    "Sunday 5th April 2026": "2026-04-05",
    "September 2025": "2025-09",
    "2026年3月4日": "2026-03-04",
    "20260216": "2026-02-16",
    "2026-03-23-deploy-fix.md": "2026-03-23",
    "8 июля 2025": "2025-07-08",
    "12 de março de 2026": "2026-03-12",
    "3. Mai 2026": "2026-05-03",
    "状态（2026-02-06 16:45 JST）": "2026-02-06T07:45:00Z",
    "## [2026-05-25] title": "2026-05-25",
    "v1.2.1 — 2026-06-18 · sesión 2": "2026-06-18",
}


@pytest.mark.parametrize(("text", "iso"), SHAPES.items(), ids=SHAPES.keys())
def test_each_shape_reads_with_its_precision(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None and found.iso == iso


@pytest.mark.parametrize(
    "text", ["2026-13-01", "2026-02-30", "31/31/2026", "version 1.2.3", "a set of 2024 things", "0999-01-01"]
)
def test_impossible_or_absent_dates_are_none(text: str) -> None:
    assert find_date(text) is None


def test_a_file_that_writes_day_first_reads_ambiguous_dates_day_first() -> None:
    assert prefers_day_first(["18/04/2026", "07/05/2026"]) is True
    assert prefers_day_first(["04/18/2026"]) is False
    assert prefers_day_first(["07/05/2026"]) is None
    assert find_date("07/05/2026", day_first=True).iso == "2026-05-07"  # type: ignore[union-attr]
    assert find_date("07/05/2026", day_first=False).iso == "2026-07-05"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["2025-05-XX", "YYYY-MM-DD", "[Date]", "Unknown Date", "2026-xx-xx", "DD/MM/YYYY"])
def test_placeholders_are_named_and_are_no_dates(text: str) -> None:
    assert find_placeholder(text) is not None
    assert find_date(text) is None
