"""What agent progress notes say in words the general reader gives a session's fields: the session's
number (`## Session 12 - 2026-03-01`), its feature count (`276/276 features passing (100.0%)`) and the
bullets it opens with (what it did)."""

from __future__ import annotations

import re

from whylog.model import FeatureCount, StorySection

_SESSION_NUMBER = re.compile(r"\bsession\s*#?\s*(\d{1,6})\b", re.IGNORECASE)
_PASSING = re.compile(
    r"(\d{1,6})\s*/\s*(\d{1,6})\s+(?:features?\s+|tests?\s+)?(?:now\s+)?pass(?:ing|ed)\b"
    r"|features?\s+passing(?:\s+tests?)?\s*:\s*(?:\*\*)?\s*(\d{1,6})\s*/\s*(\d{1,6})",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s*)?(.*)$")


def session_number(title: str) -> int:
    """12 for `Session 12 - 2026-03-01` or `SESSION #12`; 0 when the title names none."""
    found = _SESSION_NUMBER.search(title)
    return int(found.group(1)) if found else 0


def opening_bullets(story: tuple[StorySection, ...]) -> tuple[str, ...]:
    """The bullets a session's entry opens with, before any label: what it did."""
    if not story or story[0].label:
        return ()
    found = (_BULLET.match(line) for line in story[0].text.split("\n"))
    return tuple(m.group(1).strip() for m in found if m is not None and m.group(1).strip())


def count_in(text: str) -> tuple[FeatureCount, bool] | None:
    """The first feature count in `text` (`276/276 features passing (100.0%)`, `Features passing: 14 /
    679`), and whether it was labelled (the second shape, which a session note states on purpose)."""
    found = _PASSING.search(text)
    if found is None:
        return None
    if found.group(1):
        return FeatureCount(int(found.group(1)), int(found.group(2))), False
    return FeatureCount(int(found.group(3)), int(found.group(4))), True


def feature_count(story: tuple[StorySection, ...]) -> FeatureCount | None:
    """The first count in the entry's sections."""
    for section in story:
        found = count_in(f"{section.label}: {section.text}")
        if found is not None:
            return found[0]
    return None
