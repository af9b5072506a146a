"""The HTTP API (FastAPI): collector, profiles, contact decisions, erasure, health, metrics."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings


def main(settings: Settings) -> None:
    """`cdp run api`: serve the API with uvicorn on settings.api_host:api_port."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.api_host,
        port=settings.api_port,
        log_level="warning",
        access_log=False,
    )
