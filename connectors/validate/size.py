"""Step 4: the whole event must stay under MAX_EVENT_BYTES (compact UTF-8 JSON).

Every string is already capped, so most events are far below the limit: a cheap character
count decides, and only events that might be near the limit are serialised to measure."""

from __future__ import annotations

import json
from typing import Any

from connectors.validate.limits import MAX_EVENT_BYTES
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
    total = 0
    for value in event.values():
        if value is None:
            continue
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, dict):
            total += sum(len(k) + len(v) + 6 for k, v in value.items())
        elif isinstance(value, list):
            total += sum(_item_chars(item) for item in value)
    return total


def _item_chars(item: dict[str, Any]) -> int:
    ident = item.get("identifier", item)
    return len(ident["type"]) + len(ident["value"]) + len(item.get("kind", "")) + 40
