"""Create (or re-create) every analyst view in a database. Call after the history migrations:
``migrate(client, database); apply_views(client, database)``.

Views hold no data, so they are dropped and created again on every run: a changed view file
takes effect at the next ``cdp init`` without a migration of its own."""

from __future__ import annotations

from typing import Any, Protocol

from sinks.analytics.catalogue import create_sql, views


class Executes(Protocol):
    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any: ...


def drop_views(client: Executes, database: str) -> None:
    for name in reversed(list(views())):
        client.execute(f"DROP TABLE IF EXISTS {database}.{name}")


def apply_views(client: Executes, database: str) -> list[str]:
    """Drop and create every view, dependencies first; returns the view names."""
    drop_views(client, database)
    for view in views().values():
        client.execute(create_sql(view, database))
    return list(views())
