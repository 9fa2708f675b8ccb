"""`whylog serve`: the records in a browser (server-rendered pages) and a REST API under /api/v1.

One FastAPI app over the same library as the CLI and MCP: the pages and the API read the working tree live
(the index is synced on each request, as every CLI command does). `create_app` puts the pieces together:
`guard` (who may ask: the token, security headers), `api` (the REST API and its one error shape) and
`pages` (the HTML). FastAPI and its kin are imported only when an app is built, never by `whylog --help`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whylog.server.settings import ServeSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServeSettings", "create_app"]


def create_app(settings: ServeSettings) -> FastAPI:
    from importlib.metadata import version

    from fastapi import FastAPI

    from whylog.server import api, guard, pages

    app = FastAPI(
        title="whylog",
        version=version("whylog"),
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    guard.install(app, settings)
    api.install(app, settings)
    pages.install(app, settings)
    return app
