"""The fused fast path of the file import: check fast, explain slow, for whole rows.

For each mapping, compiled once per file: a function from a raw row (a CSV row's cells, or a
JSONL row's dict) straight to ``(partition key, Avro wire bytes)`` for the common, clean row,
or None when it is not sure. The row is not built as a candidate touchpoint dict and then
re-checked: mapping, connectors.validate (shape, rules, timing, size) and the Avro writer are
fused per mapping and column order into generated straight-line code (codegen). On None the
slow path (connectors.mapping.map_row -> connectors.validate -> encode) runs and gives the
exact result or the exact rejection reason; accepted rows get byte-identical values and keys
(tests/unit/test_fused_*.py check this over a generated company and arbitrary rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from connectors.fused.codegen import RowFn, compile_row
from connectors.fused.plan import Plan, build_plan
from connectors.mapping import Mapping
from schemas.writer_codegen import Unsupported

MAX_SHAPES = 512  # JSONL key orders compiled per file before the rest take the slow path

__all__ = ["RowFn", "fused_rows", "never"]


def never(_row: Any) -> None:
    """The row function of a file the fast path does not handle: every row goes slow."""
    return None


def fused_rows(
    mapping: Mapping, header: Sequence[str] | None, region: str, now_ms: int, wire_header: bytes
) -> RowFn:
    """The row function of one file: CSV rows (lists of cells under ``header``) or, for a
    JSONL mapping, dicts (anything else answers None)."""
    try:
        plan = build_plan(mapping, region, now_ms, wire_header)
    except Unsupported:
        return never
    if mapping.format == "csv":
        return compile_row(plan, tuple(header or ()), strings=True) or never
    return _by_keys(plan)


def _by_keys(plan: Plan) -> RowFn:
    """JSONL: one compiled function per order of keys (a file holds a few)."""
    compiled: dict[tuple[str, ...], RowFn] = {}

    def learn(keys: tuple[str, ...]) -> RowFn:
        if len(compiled) >= MAX_SHAPES:
            return never
        row = compiled[keys] = compile_row(plan, keys, strings=False) or never
        return row

    def encode(raw: Any) -> tuple[bytes, bytes] | None:
        if type(raw) is not dict:
            return None
        keys = tuple(raw)
        row = compiled.get(keys) or learn(keys)
        return row(raw.values())

    return encode
