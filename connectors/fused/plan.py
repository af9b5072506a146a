"""What the fused path knows of one mapping before any row: the bytes of every field no column
writes (constants, defaults, the receive time), where each kind of action goes and the
limits the row code can skip because the mapping cannot exceed them.

``build_plan`` raises ``Unsupported`` for a mapping whose constants fail validation or that
the fused writer does not handle; the import then takes the slow path for every row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from connectors.fused.avro import END, NULL
from connectors.fused.layout import Slot, touchpoint_slots
from connectors.fused.values import constant_bytes
from connectors.mapping import ATTRIBUTE, EXTRA, FIELD, IDENT, RELATION, Mapping
from connectors.validate.limits import MAX_EVENT_BYTES, MAX_IDENTIFIERS, MAX_MAP_ENTRIES
from connectors.validate.size import _FIXED_OVERHEAD
from schemas.writer_codegen import Unsupported

LISTS = {IDENT: "identifiers", RELATION: "relations", ATTRIBUTE: "attributes", EXTRA: "extras"}
_LIST_KINDS = {
    "identifiers": "identifiers",
    "relations": "relations",
    "attributes": "string_map",
    "extras": "string_map",
}
SIZE_CHARS = (MAX_EVENT_BYTES - _FIXED_OVERHEAD) // 6  # connectors.validate.size, in characters
ITEM_CHARS = {IDENT: 40, RELATION: 40, ATTRIBUTE: 6, EXTRA: 6}  # its estimate's extra per item


@dataclass(frozen=True)
class Plan:
    mapping: Mapping
    region: str
    now_ms: int
    header: bytes  # the wire-format header every value starts with
    slots: tuple[Slot, ...]
    initial: dict[str, bytes | None]  # scalar field -> bytes before columns (None: required)


def build_plan(mapping: Mapping, region: str, now_ms: int, header: bytes) -> Plan:
    slots = touchpoint_slots()
    by_name = {s.name: s for s in slots}
    for name, kind in _LIST_KINDS.items():
        if name not in by_name or by_name[name].kind != kind:
            raise Unsupported(f"the touchpoint has no {kind} field {name}")
    _check_lists(mapping)
    initial = {s.name: _default(s, now_ms) for s in slots if s.name not in _LIST_KINDS}
    constants = {"source_system": mapping.source_system, **mapping.constants}
    for name, value in constants.items():
        if name not in initial or value is None:
            raise Unsupported(f"constant {name}")
        initial[name] = _constant(by_name[name], value, now_ms)
    return Plan(mapping, region, now_ms, header, slots, initial)


def _default(slot: Slot, now_ms: int) -> bytes | None:
    if slot.name == "received_time":  # connectors.validate.timing
        return _constant(slot, now_ms, now_ms)
    if slot.nullable:
        return NULL
    if slot.kind in ("identifiers", "relations", "string_map", "string_array"):
        if slot.required or slot.default not in ([], {}):
            raise Unsupported(f"{slot.name}: a required list other than identifiers")
        return END
    return None if slot.required else _constant(slot, slot.default, now_ms)


def _constant(slot: Slot, value: Any, now_ms: int) -> bytes:
    data = constant_bytes(slot, value, now_ms)
    if data is None:
        raise Unsupported(f"{slot.name}: constant {value!r} does not validate")
    return data


def _check_lists(mapping: Mapping) -> None:
    """Map keys are unique per mapping (the row code appends entries in column order)."""
    names = Counter(
        (kind, name)
        for actions in mapping.columns.values()
        for kind, name, _arg, _values in actions
        if kind in (ATTRIBUTE, EXTRA)
    )
    repeated = [name for (_kind, name), n in names.items() if n > 1]
    if repeated:
        raise Unsupported(f"map keys written by several columns: {repeated}")


def item_counts(mapping: Mapping, columns: tuple[str, ...]) -> Counter[int]:
    """How many identifiers, relations and map entries rows with these columns can carry."""
    counts: Counter[int] = Counter(
        kind for c in columns for kind, *_rest in mapping.columns[c] if kind != FIELD
    )
    counts[IDENT] += sum(all(p in columns for p in parts) for _t, parts in mapping.derived)
    return counts


def within_limits(counts: Counter[int]) -> bool:
    maps = counts[ATTRIBUTE] <= MAX_MAP_ENTRIES and counts[EXTRA] <= MAX_MAP_ENTRIES
    return maps and counts[IDENT] <= MAX_IDENTIFIERS and counts[RELATION] <= MAX_IDENTIFIERS


def size_limit(counts: Counter[int], header: bytes) -> int:
    """Encoded length (header included) up to which connectors.validate.size's estimate is
    certainly within its limit: the estimate counts each string's characters (at most its
    UTF-8 bytes, all in the encoding) plus a fixed amount per list item and map entry."""
    slack = sum(ITEM_CHARS[kind] * n for kind, n in counts.items())
    return SIZE_CHARS - slack + len(header)
