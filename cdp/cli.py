"""The one `cdp` entry point. Each command group lives in its own module under cdp/commands/
and exposes ``register(app)``; this module only chains them."""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    help="Customer data platform: stack, init, run, publish, profiles, analytics.",
    no_args_is_help=True,
    add_completion=False,
)

COMMAND_MODULES = (
    "stack",
    "init",
    "run",
    "generate",
    "publish",
    "profile",
    "analytics",
    "demo",
    "identity",
    "erasure",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"cdp.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"cdp.commands.{name}":
                continue  # command group not built yet
            raise
        module.register(app)


def main() -> None:
    _register_all()
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
