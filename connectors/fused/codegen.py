"""The row function of one mapping for one column order: Python source generated from the
plan, straight-line code from the cells to ``(partition key, wire bytes)`` or None.

Columns run in their order (map_row's order: a later column overwrites an earlier field,
identifiers and map entries keep column order), then derived identifiers; then the fields
are joined in schema order with every run of bytes known before the row merged into one.
Any exception means "not sure" (None): a value of the wrong type, an unknown vocabulary
value, a string too long for a prefix table, a parser's InvalidEvent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.fused import actions
from connectors.fused.avro import END, SMALL_INT, unique_block
from connectors.fused.plan import LISTS, Plan, item_counts, size_limit, within_limits
from connectors.fused.source import Source
from connectors.fused.values import NAMESPACE
from connectors.keys import KEY_PRIORITY
from connectors.mapping import IDENT

RowFn = Callable[[Any], tuple[bytes, bytes] | None]
_HELPERS = {**NAMESPACE, "UB": unique_block, "END": END, "SI": SMALL_INT}


def compile_row(plan: Plan, columns: tuple[str, ...], strings: bool) -> RowFn | None:
    """``row(cells)`` for cells in this column order (``strings``: every cell is a str, as
    csv gives them), or None when the fast path can accept no such row (an unknown or
    repeated column, a required field no column writes, too many list items)."""
    known = plan.mapping.columns
    if not columns or len(set(columns)) < len(columns) or not all(c in known for c in columns):
        return None
    counts = item_counts(plan.mapping, columns)
    if not within_limits(counts):
        return None
    row = actions.RowCode(plan, columns, strings, Source(_HELPERS))
    if not row.emit_columns():
        return None
    _emit_result(row, size_limit(counts, plan.header))
    return row.src.function("row", "cells", f"{plan.mapping.source_system} {len(columns)}")


def _emit_result(row: actions.RowCode, limit: int) -> None:
    src = row.src
    ranked = sorted(row.identifiers, key=lambda item: (_rank(item[0]), item[1]))
    src.emit(2, f"best = {' or '.join(local for _t, _o, local in ranked)}")
    src.emit(2, "if best is None: return None")
    if len(ranked) == 1:
        src.emit(2, "ids = SOME + best[1] + END")
    else:
        src.emit(2, "ids = SOME + idl[0][1] + END if len(idl) == 1 else UB(idl)")
    src.emit(2, f"body = b''.join(({', '.join(_pieces(row))},))")
    src.emit(2, f"if len(body) > {limit}: return None")
    src.emit(2, "return best[0], body")
    src.emit(1, "except Exception:")
    src.emit(2, "return None")


def _rank(id_type: str) -> int:
    return KEY_PRIORITY.index(id_type) if id_type in KEY_PRIORITY else len(KEY_PRIORITY)


def _pieces(row: actions.RowCode) -> list[str]:
    """The body's parts in schema order: locals, and constants merged where adjacent."""
    plan, src = row.plan, row.src
    pieces: list[str | bytes] = [plan.header]
    for slot in plan.slots:
        part: str | bytes | None
        if slot.name == LISTS[IDENT]:
            part = "ids"
        elif slot.name in row.blocks:
            part = row.block_code(slot.name)
        elif slot.name in row.written:
            part = row.written[slot.name]
        else:
            part = plan.initial.get(slot.name, END)  # a list no column fills: empty
        if part is None:
            raise AssertionError(f"required field {slot.name} has no writer")
        if isinstance(part, bytes) and isinstance(pieces[-1], bytes):
            pieces[-1] += part
        else:
            pieces.append(part)
    return [p if isinstance(p, str) else src.const(p) for p in pieces]
