"""`cdp profile get TYPE VALUE [--json]`: the real-time profile, read from Redis with the same
reader the API uses."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import typer
from redis.asyncio import Redis
from rich.console import Console
from rich.table import Table

from core.clock import wall_clock_ms
from core.keys import Keys
from core.settings import Settings, load_settings
from schemas.errors import InvalidEvent
from schemas.identifiers import normalise
from streams.profiles.reader import Found, ProfileReader
from streams.profiles.view import render

profile_app = typer.Typer(help="Real-time profiles.", no_args_is_help=True)


async def fetch(settings: Settings, id_type: str, value: str) -> Found | None:
    redis = Redis.from_url(settings.redis_url)
    try:
        return await ProfileReader(redis, Keys(settings.redis_prefix)).by_identifier(id_type, value)
    finally:
        await redis.aclose()


def show(view: dict[str, Any], console: Console) -> None:
    console.rule(f"[bold]profile {view['profile_id']}")
    table = Table(show_header=False, box=None)
    table.add_column(style="cyan")
    table.add_column()
    for key, value in view.items():
        if key == "profile_id":
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        table.add_row(key, text if text not in ("{}", "[]", "null") else "[dim]-[/dim]")
    console.print(table)


@profile_app.command("get")
def get(
    id_type: str = typer.Argument(..., metavar="TYPE"),
    value: str = typer.Argument(..., metavar="VALUE"),
    as_json: bool = typer.Option(False, "--json", help="Print the profile as JSON"),
) -> None:
    """Show the profile of the person holding identifier TYPE VALUE (e.g. email a@b.de)."""
    settings = load_settings()
    try:
        value = normalise(id_type, value, settings.default_region)
    except InvalidEvent as exc:
        typer.echo(f"invalid {id_type}: {exc}", err=True)
        raise typer.Exit(2) from None
    found = asyncio.run(fetch(settings, id_type, value))
    if found is None or found.erased:
        typer.echo(f"no profile for this {id_type}" + (" (erased)" if found else ""), err=True)
        raise typer.Exit(1)
    view = render(found.profile_id, found.state, wall_clock_ms(), found.household_members)
    if as_json:
        typer.echo(json.dumps(view, indent=2, ensure_ascii=False))
    else:
        show(view, Console())


def register(app: typer.Typer) -> None:
    app.add_typer(profile_app, name="profile")
