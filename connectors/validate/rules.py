"""Step 2: value rules beyond types: controlled vocabularies and sane numbers."""

from __future__ import annotations

import re
from typing import Any

from schemas import vocab
from schemas.errors import InvalidEvent

# field -> (allowed values, reason when the value is not one of them)
VOCABULARIES: dict[str, tuple[frozenset[str], str]] = {
    "source_system": (vocab.SOURCE_SYSTEMS, "unknown_source_system"),
    "event_type": (vocab.EVENT_TYPES, "unknown_event_type"),
    "channel": (vocab.CHANNELS, "invalid_value"),
    "direction": (vocab.DIRECTIONS, "invalid_value"),
    "purpose": (vocab.PURPOSES, "invalid_value"),
    "complaint_status": (vocab.COMPLAINT_STATES, "invalid_value"),
    "consent_state": (vocab.CONSENT_STATES, "invalid_value"),
    "consent_channel": (vocab.CHANNELS | {"all"}, "invalid_value"),
}
NON_NEGATIVE = ("quantity",)
_CURRENCY = re.compile(r"[A-Z]{3}")


def check_rules(event: dict[str, Any]) -> dict[str, Any]:
    for field, (allowed, reason) in VOCABULARIES.items():
        value = event[field]
        if value is not None and value not in allowed:
            raise InvalidEvent(reason, f"{field} is not one of the known values")
    for field in NON_NEGATIVE:
        if event[field] is not None and event[field] < 0:
            raise InvalidEvent("invalid_value", f"{field} must not be negative")
    if not event["event_id"].strip():
        raise InvalidEvent("invalid_value", "event_id is blank")
    currency = event["currency"]
    if currency is not None and not _CURRENCY.fullmatch(currency):
        raise InvalidEvent("invalid_value", "currency must be an ISO 4217 code like EUR")
    return event
