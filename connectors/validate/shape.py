"""Step 1: the event's shape and types, driven by the Avro schema. Returns a complete record:
every optional field present (null or its schema default), every value of its Avro type."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from connectors.validate import identifiers, maps, scalars
from connectors.validate.record import check_record
from connectors.validate.spec import touchpoint_fields

Checker = Callable[[str, Any, str], Any]


def _plain(check: Callable[[str, Any], Any]) -> Checker:
    return lambda field, value, _region: check(field, value)


CHECKERS: dict[str, Checker] = {
    "string": _plain(scalars.check_string),
    "int": _plain(scalars.check_int),
    "long": _plain(scalars.check_long),
    "double": _plain(scalars.check_double),
    "boolean": _plain(scalars.check_boolean),
    "timestamp": _plain(scalars.check_timestamp),
    "date": _plain(scalars.check_date),
    "string_map": _plain(maps.check_string_map),
    "string_array": _plain(maps.check_string_array),
    "identifiers": identifiers.check_identifiers,
    "relations": identifiers.check_relations,
}

# Filled in by later steps when absent (received_time defaults to the receive clock).
FILLED_LATER = frozenset({"received_time"})


@dataclass(frozen=True)
class Plan:
    checkers: dict[str, Checker]
    required: tuple[str, ...]
    known: frozenset[str]
    template: dict[str, Any]  # every field at its immutable default (null)
    mutable: tuple[tuple[str, Any], ...]  # fields whose default is [] or {}: copied per event


@cache
def _plan() -> Plan:
    specs = touchpoint_fields()
    mutable = tuple((s.name, s.default) for s in specs if isinstance(s.default, list | dict))
    return Plan(
        checkers={s.name: CHECKERS[s.kind] for s in specs},
        required=tuple(s.name for s in specs if s.required and s.name not in FILLED_LATER),
        known=frozenset(s.name for s in specs),
        template={s.name: None if isinstance(s.default, list | dict) else s.default for s in specs},
        mutable=mutable,
    )


def check_shape(obj: Any, region: str) -> dict[str, Any]:
    plan = _plan()
    check_record("", obj, plan.required, plan.known)
    out = plan.template.copy()
    checkers = plan.checkers
    for name, value in obj.items():
        if value is not None:
            out[name] = checkers[name](name, value, region)
    for name, default in plan.mutable:
        if out[name] is None:
            out[name] = copy.copy(default)
    return out
