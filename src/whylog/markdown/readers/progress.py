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


def feature_count(story: tuple[StorySection, ...]) -> FeatureCount | None:
    """`276/276 features passing (100.0%)`, `Features passing: 14 / 679`: the first count in the entry."""
    for section in story:
        found = _PASSING.search(f"{section.label}: {section.text}")
        if found is not None:
            passing, total = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(4))
            return FeatureCount(int(passing), int(total))
    return None
