"""What each Touchpoint field is, derived from the Avro schema (no hand-kept field list).

A field's *kind* says which checker reads it: string, int, long, double, boolean, timestamp
(long + timestamp-millis), date (int + date), identifiers/relations (arrays of those records),
string_map and string_array. A schema change that only adds fields of these kinds needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from schemas import catalogue
from schemas.errors import SchemaError

_RECORD_ARRAYS = {"cdp.Identifier": "identifiers", "cdp.Relation": "relations"}
_PRIMITIVES = {"string", "int", "long", "double", "float", "boolean"}
_LOGICAL = {("long", "timestamp-millis"): "timestamp", ("int", "date"): "date"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    required: bool  # no default in the schema: must be present and not null
    nullable: bool
    default: Any


def kind_of(avro_type: Any) -> str:
    """The checker kind of one (non-union) Avro type."""
    if isinstance(avro_type, str):
        if avro_type in _PRIMITIVES:
            return "double" if avro_type == "float" else avro_type
        raise SchemaError(f"no validator for Avro type {avro_type!r}")
    kind = avro_type.get("type")
    if (kind, avro_type.get("logicalType")) in _LOGICAL:
        return _LOGICAL[(kind, avro_type["logicalType"])]
    if kind == "array":
        return _array_kind(avro_type["items"])
    if kind == "map" and avro_type["values"] == "string":
        return "string_map"
    if kind in _PRIMITIVES:
        return kind_of(kind)
    raise SchemaError(f"no validator for Avro type {avro_type!r}")


def _array_kind(items: Any) -> str:
    name = items if isinstance(items, str) else items.get("name")
    if name in _RECORD_ARRAYS:
        return _RECORD_ARRAYS[name]
    if items == "string":
        return "string_array"
    raise SchemaError(f"no validator for arrays of {name!r}")


def field_spec(field: dict[str, Any]) -> FieldSpec:
    avro_type = field["type"]
    nullable = isinstance(avro_type, list) and "null" in avro_type
    if isinstance(avro_type, list):
        branches = [t for t in avro_type if t != "null"]
        if len(branches) != 1:
            raise SchemaError(f"field {field['name']}: only [null, T] unions are supported")
        avro_type = branches[0]
    return FieldSpec(
        field["name"], kind_of(avro_type), "default" not in field, nullable, field.get("default")
    )


@cache
def touchpoint_fields() -> tuple[FieldSpec, ...]:
    parsed = catalogue.current(catalogue.TOUCHPOINT).parsed
    return tuple(field_spec(f) for f in parsed["fields"])
