"""A claim that does not hold, as status reports it: the claim audit (`lifecycle.audit`) and the
verification re-runs (`checks.verify`) both find them, so the value sits below both."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """A claim that does not hold. `code` names the problem (kebab-case, as rule names do)."""

    code: str
    record_id: str
    message: str
    path: str = ""
    line: int = 0
