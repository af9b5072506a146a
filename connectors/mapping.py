"""Column mappings of source-system exports (data under connectors/mappings/) and the pure
row -> candidate touchpoint step. The candidate is then checked by connectors.validate.

A mapping file names, per column of the export, where its value goes:
  ``col: field_name`` or ``{field: f, parse: p, values: {raw: value}}`` - a typed field;
  ``{identifier: type}`` - an identifier of the event's person;
  ``{relation: kind, type: id_type}`` - a household/relationship hint (never merged);
  ``{attribute: key}`` / ``{extra: key}`` - profile attributes / free-form extras;
  a list of these to send one column to several places.
``constants`` are fields every row gets; ``derived`` builds identifiers from several columns
(address_key from street, postcode, city). Empty cells are absent. A column the mapping does
not name rejects the row (unknown_field): nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from connectors.formats import PARSERS
from connectors.validate import validate_touchpoint
from schemas.errors import InvalidEvent

MAPPINGS_DIR = Path(__file__).parent / "mappings"
FIELD, IDENT, RELATION, ATTRIBUTE, EXTRA = range(5)
Action = tuple[int, str, Any, Any]  # (kind, name, parser or id type, values map)


@dataclass(frozen=True)
class Mapping:
    source_system: str
    format: str  # csv | jsonl
    delimiter: str
    constants: dict[str, Any]
    columns: dict[str, tuple[Action, ...]]
    derived: tuple[tuple[str, tuple[str, ...]], ...]  # (identifier type, source columns)

    @property
    def column_names(self) -> list[str]:
        return list(self.columns)


def available_sources() -> list[str]:
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.yaml"))


@cache
def load_mapping(source_system: str) -> Mapping:
    path = MAPPINGS_DIR / f"{source_system}.yaml"
    if not path.exists():
        raise KeyError(
            f"no column mapping for source system {source_system!r} "
            f"(known: {', '.join(available_sources())})"
        )
    return compile_mapping(yaml.safe_load(path.read_text()))


def compile_mapping(spec: dict[str, Any]) -> Mapping:
    columns = {col: _actions(target) for col, target in spec["columns"].items()}
    derived = tuple((d["identifier"], tuple(d["from"])) for d in spec.get("derived", ()))
    return Mapping(
        spec["source_system"],
        spec.get("format", "csv"),
        spec.get("delimiter", ","),
        dict(spec.get("constants", {})),
        columns,
        derived,
    )


def _actions(target: Any) -> tuple[Action, ...]:
    targets = target if isinstance(target, list) else [target]
    return tuple(_action({"field": t} if isinstance(t, str) else t) for t in targets)


def _action(t: dict[str, Any]) -> Action:
    if "field" in t:
        return (FIELD, t["field"], PARSERS[t.get("parse", "string")], t.get("values"))
    if "identifier" in t:
        return (IDENT, t["identifier"], None, None)
    if "relation" in t:
        return (RELATION, t["relation"], t["type"], None)
    if "attribute" in t:
        return (ATTRIBUTE, t["attribute"], None, None)
    if "extra" in t:
        return (EXTRA, t["extra"], None, None)
    raise ValueError(
        f"mapping target {t!r} names no field, identifier, relation, attribute or extra"
    )


def map_row(row: dict[Any, Any], mapping: Mapping) -> dict[str, Any]:
    """A raw export row (column -> raw value) -> a candidate cdp.Touchpoint dict."""
    event: dict[str, Any] = {"source_system": mapping.source_system, **mapping.constants}
    identifiers: list[dict[str, str]] = []
    relations: list[dict[str, Any]] = []
    attributes: dict[str, Any] = {}
    extras: dict[str, str] = {}
    columns = mapping.columns
    for col, value in row.items():
        actions = columns.get(col)  # type: ignore[arg-type]
        if actions is None:
            raise _unknown_column(col, value)
        if value is None or value == "":
            continue
        for kind, name, arg, values in actions:
            if kind == FIELD:
                event[name] = arg(values.get(value, value) if values else value)
            elif kind == IDENT:
                identifiers.append({"type": name, "value": value})
            elif kind == RELATION:
                relations.append({"kind": name, "identifier": {"type": arg, "value": value}})
            elif kind == ATTRIBUTE:
                attributes[name] = value
            else:
                extras[name] = value if isinstance(value, str) else str(value)
    for id_type, parts in mapping.derived:
        _derive(row, id_type, parts, identifiers)
    event["identifiers"] = identifiers
    event["relations"] = relations
    event["attributes"] = attributes
    event["extras"] = extras
    return event


def _derive(
    row: dict[Any, Any], id_type: str, parts: tuple[str, ...], identifiers: list[dict[str, str]]
) -> None:
    values = [row.get(p) for p in parts]
    if all(isinstance(v, str) and v.strip() for v in values):
        identifiers.append({"type": id_type, "value": " ".join(values)})  # type: ignore[arg-type]


def _unknown_column(col: Any, value: Any) -> InvalidEvent:
    if col is None:  # csv.DictReader puts cells beyond the header under None
        return InvalidEvent("unknown_field", f"row has {len(value)} cells more than the header")
    return InvalidEvent("unknown_field", f"unknown column {str(col)[:64]}")


def row_to_touchpoint(
    row: dict[Any, Any], mapping: Mapping, now_ms: int, region: str
) -> dict[str, Any]:
    """Map and validate one row: a normalised cdp.Touchpoint, or InvalidEvent."""
    return validate_touchpoint(map_row(row, mapping), now_ms, region)
