"""Step 1 on the happy path: check fast, explain slow.

``fast_shape`` returns exactly what ``shape.check_shape`` returns for events whose every value
is already of its plain type (what the file mappings produce), and ``None`` for anything it is
not sure about: then the full ``check_shape`` runs and gives the exact reason (or the result).
It accepts a subset of what check_shape accepts, never more: every test below is at least as
strict as the checker it stands for. Identifier normalisation (a pure function) is memoised.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.validate.limits import MAX_IDENTIFIERS, MAX_MAP_ENTRIES, MAX_STRING
from connectors.validate.maps import KNOWN_KEYS
from connectors.validate.shape import _plan
from connectors.validate.spec import touchpoint_fields
from schemas.errors import InvalidEvent
from schemas.identifiers import normalise
from schemas.vocab import IDENTIFIER_TYPES, RELATION_KINDS

STR, INT, LONG, DOUBLE, BOOL, TIME, DATE, MAP, IDS, RELS = range(10)
_KINDS = {
    "string": STR,
    "int": INT,
    "long": LONG,
    "double": DOUBLE,
    "boolean": BOOL,
    "timestamp": TIME,
    "date": DATE,
    "string_map": MAP,
    "identifiers": IDS,
    "relations": RELS,
}
_INT32 = 2**31
_INT64 = 2**63
_FINITE = 1e308  # check_double treats larger magnitudes as infinite
_CACHE_MAX = 1_000_000  # memoised identifier values before the memo starts afresh
_normalised: dict[tuple[str, str, str], str] = {}


def _kinds() -> dict[str, int]:
    return {s.name: _KINDS.get(s.kind, -1) for s in touchpoint_fields()}


_KIND = _kinds()


def _text(value: Any) -> bool:
    """What check_string accepts (a str, not too long, encodable), for exact str only."""
    if type(value) is not str or len(value) > MAX_STRING:
        return False
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _identifier(item: Any, region: str) -> dict[str, str] | None:
    if type(item) is not dict or len(item) != 2:
        return None
    id_type = item.get("type")
    raw = item.get("value")
    if not _text(id_type) or not _text(raw) or id_type not in IDENTIFIER_TYPES:
        return None
    key = (id_type, raw, region)
    value = _normalised.get(key)
    if value is None:
        if not raw.strip():
            return None
        try:
            value = normalise(id_type, raw, region)
        except InvalidEvent:
            return None
        if len(_normalised) >= _CACHE_MAX:
            _normalised.clear()
        _normalised[key] = value
    return {"type": id_type, "value": value}


def _identifiers(value: Any, region: str) -> list[dict[str, str]] | None:
    if type(value) is not list or not 0 < len(value) <= MAX_IDENTIFIERS:
        return None
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for item in value:
        ident = _identifier(item, region)
        if ident is None:
            return None
        key = (ident["type"], ident["value"])
        if key not in seen:
            seen.add(key)
            out.append(ident)
    return out


def _relations(value: Any, region: str) -> list[dict[str, Any]] | None:
    if type(value) is not list or len(value) > MAX_IDENTIFIERS:
        return None
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for item in value:
        if type(item) is not dict or len(item) != 2:
            return None
        kind = item.get("kind")
        if not _text(kind) or kind not in RELATION_KINDS:
            return None
        ident = _identifier(item.get("identifier"), region)
        if ident is None:
            return None
        key = (kind, ident["type"], ident["value"])
        if key not in seen:
            seen.add(key)
            out.append({"kind": kind, "identifier": ident})
    return out


def _string_map(name: str, value: Any) -> dict[str, str] | None:
    if type(value) is not dict or len(value) > MAX_MAP_ENTRIES:
        return None
    known = KNOWN_KEYS.get(name)
    for key, item in value.items():
        if not _text(key) or not _text(item) or (known is not None and key not in known):
            return None
    return dict(value)


def _number(value: Any, low: float, high: float) -> bool:
    return type(value) is int and low <= value < high


def _scalar(kind: int, value: Any) -> Any:
    """The checked value, or the sentinel ``_UNSURE``."""
    if kind == STR:
        return value if _text(value) else _UNSURE
    if kind in (INT, DATE):
        return value if _number(value, -_INT32, _INT32) else _UNSURE
    if kind == LONG:
        return value if _number(value, -_INT64, _INT64) else _UNSURE
    if kind == TIME:
        return value if _number(value, 0, _INT64) else _UNSURE
    if kind == DOUBLE:
        ok = type(value) in (float, int) and -_FINITE < value < _FINITE
        return float(value) if ok else _UNSURE
    if kind == BOOL:
        return value if type(value) is bool else _UNSURE
    return _UNSURE


_UNSURE: Any = object()


def fast_shape(obj: Any, region: str) -> dict[str, Any] | None:
    """check_shape's result, or None when the full check_shape must decide."""
    if type(obj) is not dict:
        return None
    plan = _plan()
    if not obj.keys() <= plan.known:
        return None
    for name in plan.required:
        if obj.get(name) is None:
            return None
    out = plan.template.copy()
    for name, value in obj.items():
        if value is None:
            continue
        kind = _KIND[name]
        if kind == STR and type(value) is str and len(value) <= MAX_STRING and value.isascii():
            out[name] = value  # the common case inline; _scalar handles the rest
        elif kind == IDS:
            checked: Any = _identifiers(value, region)
            if checked is None:
                return None
            out[name] = checked
        elif kind in (RELS, MAP):
            if not value and type(value) is (list if kind == RELS else dict):
                checked = [] if kind == RELS else {}
            elif kind == RELS:
                checked = _relations(value, region)
            else:
                checked = _string_map(name, value)
            if checked is None:
                return None
            out[name] = checked
        else:
            checked = _scalar(kind, value)
            if checked is _UNSURE:
                return None
            out[name] = checked
    for name, default in plan.mutable:
        if out[name] is None:
            out[name] = copy.copy(default)
    return out
