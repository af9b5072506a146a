"""The HTTP API (FastAPI): collector, profiles, contact decisions, erasure, health, metrics."""

from __future__ import annotations

import os
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from core.settings import Settings


def main(settings: Settings) -> None:
    """`cdp run api`: serve the API with uvicorn on settings.api_host:api_port, in
    settings.api_workers processes (uvicorn's supervisor starts them and stops them on SIGTERM
    or Ctrl-C; each worker loads these same settings from the environment, and /metrics adds up
    all workers' values through prometheus_client's multiprocess directory)."""
    import uvicorn

    options: dict[str, object] = {
        "host": settings.api_host,
        "port": settings.api_port,
        "log_level": "warning",
        "access_log": False,
    }
    if settings.api_workers == 1:
        from api.app import create_app

        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    from core.envnames import PROMETHEUS_MULTIPROC_DIR
    from core.settings import to_env

    with tempfile.TemporaryDirectory(prefix="cdp-api-metrics-") as metrics_dir:
        # the workers' settings and shared metrics directory (spawned processes inherit both)
        os.environ.update({**to_env(settings), PROMETHEUS_MULTIPROC_DIR: metrics_dir})
        workers = settings.api_workers
        uvicorn.run("api:worker_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]


def worker_app() -> FastAPI:
    """One uvicorn worker's app, settings from the environment ``main`` prepared."""
    from api.app import create_app
    from core.settings import load_settings

    return create_app(load_settings())
