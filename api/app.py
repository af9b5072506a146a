"""The HTTP API: one FastAPI app; each route group is a module under api/routes/ with a
``router``. Clients (Redis, Kafka producer) are built once here and injected via app.state."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.fastpath import ProfileFastPath
from core.settings import Settings

ROUTE_MODULES = ("health", "events", "profiles", "decisions", "erasure")


def create_app(settings: Settings, clients: dict[str, Any] | None = None) -> FastAPI:
    """``clients`` lets tests inject ready clients; otherwise api.clients builds them."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from api import clients as client_factory

        owned = client_factory.build(settings) if clients is None else {}
        app.state.clients = clients if clients is not None else owned
        yield
        client_factory.close(owned)

    app = FastAPI(title="Customer data platform API", version="1", lifespan=lifespan)
    app.state.settings = settings
    for name in ROUTE_MODULES:
        try:
            module = importlib.import_module(f"api.routes.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"api.routes.{name}":
                raise
            continue
        app.include_router(module.router)
    app.add_middleware(ProfileFastPath)
    return app
