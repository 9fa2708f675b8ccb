"""Placeholder until its owner's branch lands: installs nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from whylog.server.settings import ServeSettings

if TYPE_CHECKING:
    from fastapi import FastAPI


def install(app: FastAPI, settings: ServeSettings) -> None:
    del app, settings
