"""Layer 0: the record kinds (`model.records`), the exception tree (`model.errors`) and the bounds of what
a record may hold (`model.bounds`).

`from whylog.model import Record` reads from `model.records`, imported on first use: the CLI imports the
errors and the bounds on every call, and building the record dataclasses would cost `whylog --help` about
30 ms it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whylog.model.records import *  # noqa: F403
else:  # mypy reads the names above; without a module __getattr__ it still refuses a name the model lacks

    def __getattr__(name: str) -> Any:
        records = importlib.import_module("whylog.model.records")
        try:
            value = getattr(records, name)
        except AttributeError:
            raise AttributeError(f"module 'whylog.model' has no attribute {name!r}") from None
        globals()[name] = value  # the next lookup is a plain attribute
        return value
