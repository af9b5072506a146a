"""Step 4: the whole event must stay under MAX_EVENT_BYTES (compact UTF-8 JSON).

Every string is already capped, so most events are far below the limit: a cheap character
count decides, and only events that might be near the limit are serialised to measure."""

from __future__ import annotations

import json
import operator
from typing import Any

from connectors.validate.limits import MAX_EVENT_BYTES
from connectors.validate.spec import touchpoint_fields
from schemas.errors import InvalidEvent

_FIXED_OVERHEAD = 2048  # field names, numbers and punctuation of a full event
_WORST_UTF8 = 4  # bytes per character at most (and JSON escapes of control chars: 6 per 1)


def check_size(event: dict[str, Any]) -> dict[str, Any]:
    if _rough_chars(event) * 6 + _FIXED_OVERHEAD <= MAX_EVENT_BYTES:
        return event
    encoded = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    if len(encoded) > MAX_EVENT_BYTES:
        raise InvalidEvent("oversized", f"event is larger than {MAX_EVENT_BYTES} bytes")
    return event


def _rough_chars(event: dict[str, Any]) -> int:
    try:  # a shape-checked event: its string fields hold str or None, counted in one join
        total = len("".join(filter(None, _STRING_FIELDS(event))))
    except (TypeError, KeyError):
        return _every_value(event)
    for name in _OTHER_FIELDS:
        value = event[name]
        if isinstance(value, dict):
            for key, item in value.items():
                total += len(key) + len(item) + 6
        elif isinstance(value, list):
            for item in value:
                total += _item_chars(item)
        elif value is not None and not isinstance(value, int | float):
            return _every_value(event)
    return total if len(event) == _FIELDS else _every_value(event)


def _every_value(event: dict[str, Any]) -> int:
    total = 0
    for value in event.values():
        if value is None or value.__class__ in _NUMBERS:
            continue
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                total += len(key) + len(item) + 6
        elif isinstance(value, list):
            for item in value:
                total += _item_chars(item)
    return total


_STRING_FIELDS = operator.itemgetter(*(s.name for s in touchpoint_fields() if s.kind == "string"))
_OTHER_FIELDS = tuple(s.name for s in touchpoint_fields() if s.kind != "string")
_FIELDS = len(touchpoint_fields())
_NUMBERS = (int, float, bool)  # exact classes: never counted, skipped without isinstance


def _item_chars(item: dict[str, Any]) -> int:
    ident = item.get("identifier", item)
    return len(ident["type"]) + len(ident["value"]) + len(item.get("kind", "")) + 40
