"""The Touchpoint as the fused path writes it: the fields in the writer schema's order, each
with its checker kind (connectors.validate.spec) and Avro shape, verified against the schema
the producer encodes with (schemas.wire_encoder.writer_schema).

Only the shapes the generated writer emits here are accepted: plain or [null, T] primitives,
arrays of cdp.Identifier / cdp.Relation and maps of strings. Anything else raises
``Unsupported`` and the import keeps the slow path for every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from connectors.validate.spec import touchpoint_fields
from schemas.catalogue import TOUCHPOINT
from schemas.wire_encoder import writer_schema
from schemas.writer_codegen import Unsupported

_AVRO_OF_KIND = {
    "string": "string",
    "int": "int",
    "date": "int",
    "long": "long",
    "timestamp": "long",
    "double": "double",
    "boolean": "boolean",
}
_IDENTIFIER = [("type", "string"), ("value", "string")]


@dataclass(frozen=True)
class Slot:
    name: str
    kind: str  # connectors.validate.spec kind
    nullable: bool  # written as the union [null, T]
    required: bool
    default: Any


@cache
def touchpoint_slots() -> tuple[Slot, ...]:
    fields = writer_schema(TOUCHPOINT)["fields"]
    specs = touchpoint_fields()
    if [f["name"] for f in fields] != [s.name for s in specs]:
        raise Unsupported("writer schema and validation spec list different fields")
    slots = tuple(Slot(s.name, s.kind, s.nullable, s.required, s.default) for s in specs)
    named: dict[str, Any] = {}
    for slot, field in zip(slots, fields, strict=True):
        _check_shape(slot, _resolve(field["type"], named))
    return slots


def _resolve(node: Any, named: dict[str, Any]) -> Any:
    """The type with references to records named earlier replaced by their definitions."""
    if isinstance(node, str):
        return named.get(node, node)
    if isinstance(node, list):
        return [_resolve(n, named) for n in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _resolve(v, named) if k in ("type", "items", "values") else v for k, v in node.items()
    }
    if out.get("type") == "record":
        out["fields"] = [{**f, "type": _resolve(f["type"], named)} for f in node["fields"]]
        named[str(node["name"])] = out
    return out


def _check_shape(slot: Slot, avro: Any) -> None:
    if slot.nullable:
        if not (isinstance(avro, list) and len(avro) == 2 and avro[0] == "null"):
            raise Unsupported(f"{slot.name}: only [null, T] unions")
        avro = avro[1]
    if not _shape_ok(slot.kind, _bare(avro)):
        raise Unsupported(f"{slot.name}: Avro type {avro!r} for kind {slot.kind}")
    if slot.nullable and (slot.kind not in _AVRO_OF_KIND or slot.default is not None):
        raise Unsupported(f"{slot.name}: nullable {slot.kind} with a default")


def _shape_ok(kind: str, avro: Any) -> bool:
    if kind in _AVRO_OF_KIND:
        return bool(avro == _AVRO_OF_KIND[kind])
    if kind == "string_map":
        return isinstance(avro, dict) and avro.get("type") == "map" and avro["values"] == "string"
    if not (isinstance(avro, dict) and avro.get("type") == "array"):
        return False
    items = avro["items"]
    if kind == "identifiers":
        return _record_fields(items) == _IDENTIFIER
    if kind == "relations":
        fields = _record_fields(items)
        return len(fields) == 2 and fields[0] == ("kind", "string") and _is_identifier(items)
    return False


def _is_identifier(relation: Any) -> bool:
    ident = relation["fields"][1]
    return bool(ident["name"] == "identifier" and _record_fields(ident["type"]) == _IDENTIFIER)


def _record_fields(node: Any) -> list[tuple[str, Any]]:
    if not (isinstance(node, dict) and node.get("type") == "record"):
        return []
    return [(f["name"], _bare(f["type"])) for f in node["fields"]]


def _bare(avro: Any) -> Any:
    """{"type": "long"} (a stripped logical type) -> "long"."""
    if isinstance(avro, dict) and set(avro) == {"type"} and isinstance(avro["type"], str):
        return avro["type"]
    return avro
