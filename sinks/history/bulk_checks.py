"""Which decoded rows the bulk path may write (pure): the conditions under which ClickHouse's
Avro reader and fastavro + clickhouse-driver give the same row.

fastavro checks, and ClickHouse does not, that every string is UTF-8 (a row with one that is not
becomes a dead letter) and it builds a dict from every map (a repeated key keeps one entry).
Both are checked by walking the writer schema, so a field added in a later version is covered
too. Times and dates outside what DateTime/Date hold are left to the per-message path as well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sinks.history.bulk_columns import in_range
from sinks.history.bulk_frame import HEADER_FIELD, INDEX_FIELD, SENTINEL_FIELD

SEP = "'\\n'"  # joins an array's strings for one UTF-8 check: a broken sequence stays broken

PRIMITIVES = frozenset(("null", "boolean", "int", "long", "float", "double", "bytes", "string"))


@dataclass
class _Checks:
    """What fastavro verifies while decoding and ClickHouse does not: the UTF-8 of every string
    and (by building a dict) that no map repeats a key. Collected by walking the writer schema,
    so a field added in a later schema version is covered too."""

    strings: list[str] = field(default_factory=list)  # String-valued SQL expressions
    conditions: list[str] = field(default_factory=list)  # boolean SQL expressions
    named: dict[str, Any] = field(default_factory=dict)

    def walk(self, expr: str, schema: Any, depth: int = 0) -> None:
        schema = self._resolve(schema)
        if isinstance(schema, list):
            self._union(expr, schema, depth)
            return
        kind = schema if isinstance(schema, str) else schema.get("type")
        if kind == "string":
            self.strings.append(expr)
        elif kind == "record":
            for f in schema["fields"]:
                self.walk(f"tupleElement({expr}, '{f['name']}')", f["type"], depth)
        elif kind == "array":
            self._nested(expr, schema["items"], depth)
        elif kind == "map":
            self.strings.append(f"arrayStringConcat(mapKeys({expr}), {SEP})")
            self.conditions.append(f"length(arrayDistinct(mapKeys({expr}))) = length({expr})")
            self._nested(f"mapValues({expr})", schema["values"], depth)
        elif kind not in PRIMITIVES and kind not in ("enum", "fixed"):
            raise ValueError(f"bulk decode does not support Avro type {kind!r}")

    def _resolve(self, schema: Any) -> Any:
        if isinstance(schema, str) and schema not in PRIMITIVES:
            return self.named[schema]
        if isinstance(schema, dict) and "name" in schema:
            self.named[schema["name"]] = schema
        return schema

    def _union(self, expr: str, branches: list[Any], depth: int) -> None:
        others = [b for b in branches if b != "null"]
        if len(others) != 1 or len(branches) > 2:
            raise ValueError(f"bulk decode supports only [null, T] unions, not {branches}")
        self.walk(f"assumeNotNull({expr})", others[0], depth)

    def _nested(self, array: str, items: Any, depth: int) -> None:
        var = f"x{depth}"
        inner = _Checks(named=self.named)
        inner.walk(var, items, depth + 1)
        self.strings += [
            f"arrayStringConcat({array if s == var else f'arrayMap({var} -> {s}, {array})'}, {SEP})"
            for s in inner.strings
        ]
        self.conditions += [f"arrayAll({var} -> {c}, {array})" for c in inner.conditions]


@cache
def plain_condition(schema_json: str) -> str:
    """True for a row the bulk path may write (see the module doc)."""
    checks = _Checks()
    for f in json.loads(schema_json)["fields"]:
        if f["name"] not in (HEADER_FIELD, SENTINEL_FIELD, INDEX_FIELD):
            checks.walk(f["name"], f["type"])
    utf8 = [f"isValidUTF8({s})" for s in checks.strings]
    return " AND ".join([*utf8, *checks.conditions, in_range()])
