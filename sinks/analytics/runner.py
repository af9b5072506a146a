"""Run one analysis: the view itself with default parameters, else its SELECT with the given
parameters (views it reads inlined). Returns column names and rows as plain Python values."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sinks.analytics.catalogue import get, inline_sql, uses_defaults


class Queries(Protocol):
    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class Result:
    name: str
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def jsonable(self) -> list[dict[str, Any]]:
        return [{k: plain(v) for k, v in record.items()} for record in self.records()]


def plain(value: Any) -> Any:
    """JSON-friendly: dates as ISO strings, NaN/inf as None, tuples as lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def query_sql(
    name: str, database: str, params: dict[str, object] | None = None, limit: int | None = None
) -> str:
    view = get(name)
    if uses_defaults(params):
        sql = f"SELECT * FROM {database}.{view.name}"
    else:
        sql = f"SELECT * FROM (\n{inline_sql(view, database, params)}\n)"
    return sql if limit is None else f"{sql}\nLIMIT {int(limit)}"


def run(
    client: Queries,
    database: str,
    name: str,
    params: dict[str, object] | None = None,
    limit: int | None = None,
) -> Result:
    rows, columns = client.execute(query_sql(name, database, params, limit), with_column_types=True)
    return Result(name, [c[0] for c in columns], [c[1] for c in columns], [tuple(r) for r in rows])
