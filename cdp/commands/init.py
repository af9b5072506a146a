"""`cdp init`: topics, ClickHouse migrations and views, schema registration. Idempotent."""

from __future__ import annotations

import typer
from rich.console import Console

from core.settings import Settings, load_settings

console = Console()


def init_topics(settings: Settings) -> None:
    from core.kafka import create_topics

    created = create_topics(settings)
    detail = f" ({', '.join(created)})" if created else ", all present"
    console.print(f"topics: {len(created)} created{detail}")


def init_clickhouse(settings: Settings) -> None:
    from clickhouse_driver import Client

    from sinks.analytics.apply import apply_views
    from sinks.history.migrate import migrate

    client = Client(**settings.clickhouse_kwargs)  # type: ignore[arg-type]
    try:
        applied = migrate(client, settings.clickhouse_database)
        views = apply_views(client, settings.clickhouse_database)
    finally:
        client.disconnect()
    console.print(
        f"clickhouse {settings.clickhouse_database}: {len(applied)} migrations applied, "
        f"{len(views)} analyst views (re)created"
    )


def init_schemas(settings: Settings) -> None:
    from schemas import catalogue
    from schemas.registry import source_for

    source = source_for(settings.schema_registry_url)
    ids = {subject: source.writer_id(subject) for subject in catalogue.TOP_LEVEL}
    where = settings.schema_registry_url or "pinned catalogue (schemas/schemas.lock)"
    console.print(
        f"schemas: {len(ids)} subjects in {where}: " + ", ".join(f"{s}={i}" for s, i in ids.items())
    )


def run_init(settings: Settings) -> None:
    init_schemas(settings)
    init_topics(settings)
    init_clickhouse(settings)


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_command() -> None:
        """Create topics, ClickHouse tables/views (migrations) and register schemas. Idempotent."""
        settings = load_settings()
        try:
            run_init(settings)
        except Exception as exc:  # an unreachable service: one clear line, no traceback
            console.print(f"[red]cdp init failed:[/red] {type(exc).__name__}: {exc}")
            raise typer.Exit(2) from None
