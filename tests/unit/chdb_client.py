"""The slice of clickhouse-driver's Client the analytics code uses, over an in-process chdb
session (current ClickHouse): execute(sql), execute(insert, rows), with_column_types=True.
Date/DateTime values come back as date/datetime, as clickhouse-driver returns them."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any


class ChdbClient:
    def __init__(self, session: Any) -> None:
        self.session = session

    def execute(
        self, query: str, params: Any = None, with_column_types: bool = False, **_: Any
    ) -> Any:
        if params is not None:
            query = f"{query} " + ", ".join(_row(r) for r in params)
        result = self.session.query(
            query + "\nSETTINGS output_format_json_quote_64bit_integers = 0"
            if _is_select(query)
            else query,
            "JSONCompact",
        )
        text = result.bytes().decode() if hasattr(result, "bytes") else str(result)
        if not text.strip():
            return ([], []) if with_column_types else []
        doc = json.loads(text)
        types = [(m["name"], m["type"]) for m in doc["meta"]]
        rows = [
            tuple(_value(v, t) for v, (_, t) in zip(r, types, strict=True)) for r in doc["data"]
        ]
        return (rows, types) if with_column_types else rows


def _is_select(query: str) -> bool:
    head = query.lstrip().split(None, 1)[0].upper() if query.strip() else ""
    return head in {"SELECT", "WITH"}


def _value(value: Any, ch_type: str) -> Any:
    if value is None:
        return None
    if ch_type == "Date":
        return date.fromisoformat(value)
    if ch_type.startswith("DateTime"):
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    if ch_type.startswith("Array(") and isinstance(value, list):
        inner = ch_type[6:-1]
        return [_value(v, inner) for v in value]
    return value


def _row(row: Any) -> str:
    return "(" + ", ".join(_literal(v) for v in row) + ")"


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"'{value:%Y-%m-%d %H:%M:%S}'"
    if isinstance(value, date):
        return f"'{value.isoformat()}'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
