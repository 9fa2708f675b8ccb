"""whylog: the engineering memory of a codebase, as typed records in the repo's own Markdown.

>>> import whylog
>>> document = whylog.read_path("SYSTEM_LOG.md")      # doctest: +SKIP
>>> [r.id for r in document.records]                  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "Config": "whylog.repo",
    "ConfigError": "whylog.model.errors",
    "Diagnostic": "whylog.model",
    "Document": "whylog.markdown.document",
    "FileRef": "whylog.model",
    "Link": "whylog.model",
    "NotFound": "whylog.model.errors",
    "ParseError": "whylog.model.errors",
    "Record": "whylog.model",
    "Source": "whylog.model",
    "ValidationError": "whylog.model",
    "WhylogError": "whylog.model.errors",
    "WriteError": "whylog.model.errors",
    "add_record": "whylog.writing.placement",
    "document_json": "whylog.markdown.document",
    "find_root": "whylog.repo",
    "from_json": "whylog.model",
    "load": "whylog.repo",
    "read_config": "whylog.repo",
    "read_path": "whylog.markdown.readers",
    "read_text": "whylog.markdown.readers",
    "render": "whylog.markdown.writers",
    "render_block": "whylog.markdown.writers",
    "to_json": "whylog.model",
}


def __getattr__(name: str) -> Any:
    """Import on first use: the CLI imports this package on every call, and start-up time counts."""
    if name not in _HOME:
        raise AttributeError(f"module 'whylog' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)


__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "Document",
    "FileRef",
    "Link",
    "NotFound",
    "ParseError",
    "Record",
    "Source",
    "ValidationError",
    "WhylogError",
    "WriteError",
    "add_record",
    "document_json",
    "find_root",
    "from_json",
    "load",
    "read_config",
    "read_path",
    "read_text",
    "render",
    "render_block",
    "to_json",
]
