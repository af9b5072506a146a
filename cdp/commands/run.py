"""`cdp run identity|profiles|history|api|all`: run processors and services in the foreground."""

from __future__ import annotations

import importlib
from enum import StrEnum

import typer

from core.settings import load_settings

ENTRY_POINTS = {
    "identity": "streams.identity",
    "profiles": "streams.profiles",
    "history": "sinks.history",
    "api": "api",
}


class Service(StrEnum):
    identity = "identity"
    profiles = "profiles"
    history = "history"
    api = "api"
    all = "all"


def run_service(name: str) -> None:
    module = importlib.import_module(ENTRY_POINTS[name])
    module.main(load_settings())


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_command(service: Service) -> None:
        """Run one processor or service in the foreground; `all` supervises all of them."""
        if service is Service.all:
            from cdp.supervisor import supervise

            supervise(tuple(ENTRY_POINTS))
        else:
            run_service(service.value)
