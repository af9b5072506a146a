"""Identifiers and relation hints: shape-checked, normalised, duplicates collapsed.

An identifier that is invalid or normalises to nothing rejects the whole event (nothing is
dropped silently). Details name the position and type, never the value.
"""

from __future__ import annotations

from typing import Any

from connectors.validate.limits import MAX_IDENTIFIERS
from connectors.validate.record import check_record
from connectors.validate.scalars import check_string, wrong_type
from schemas.errors import InvalidEvent
from schemas.identifiers import normalise
from schemas.vocab import IDENTIFIER_TYPES, RELATION_KINDS


def check_identifiers(field: str, value: Any, region: str) -> list[dict[str, str]]:
    items = _bounded_list(field, value)
    if not items:
        raise InvalidEvent("no_usable_identifier", f"{field} is empty")
    unique: dict[tuple[str, str], dict[str, str]] = {}
    for i, item in enumerate(items):
        ident = check_identifier(f"{field}[{i}]", item, region)
        unique.setdefault((ident["type"], ident["value"]), ident)
    return list(unique.values())


def check_identifier(path: str, item: Any, region: str) -> dict[str, str]:
    check_record(path, item, ("type", "value"))
    id_type = check_string(f"{path}.type", item["type"])
    raw = check_string(f"{path}.value", item["value"])
    if id_type not in IDENTIFIER_TYPES:
        raise InvalidEvent("unknown_identifier_type", f"{path}.type is not a known identifier type")
    if not raw.strip():
        raise InvalidEvent("empty_identifier", f"{path} ({id_type}) is empty")
    try:
        return {"type": id_type, "value": normalise(id_type, raw, region)}
    except InvalidEvent as exc:
        raise InvalidEvent(exc.reason, f"{path}: {exc.detail}") from None


def check_relations(field: str, value: Any, region: str) -> list[dict[str, Any]]:
    unique: dict[tuple[str, str, str], dict[str, Any]] = {}
    for i, item in enumerate(_bounded_list(field, value)):
        path = f"{field}[{i}]"
        check_record(path, item, ("kind", "identifier"))
        kind = check_string(f"{path}.kind", item["kind"])
        if kind not in RELATION_KINDS:
            raise InvalidEvent("invalid_value", f"{path}.kind is not a known relation kind")
        ident = check_identifier(f"{path}.identifier", item["identifier"], region)
        relation = {"kind": kind, "identifier": ident}
        unique.setdefault((kind, ident["type"], ident["value"]), relation)
    return list(unique.values())


def _bounded_list(field: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise wrong_type(field, "a list")
    if len(value) > MAX_IDENTIFIERS:
        raise InvalidEvent("oversized", f"{field} has more than {MAX_IDENTIFIERS} entries")
    return value
