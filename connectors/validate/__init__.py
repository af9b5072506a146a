"""Validation of one touchpoint (pure: no Kafka, Redis or HTTP imports).

``validate_touchpoint`` chains the steps, one per module:
shape (schema-derived types, identifiers normalised) -> rules (vocabularies, numbers)
-> timing (received_time default, future events) -> size.
The shape step checks fast first (fast_shape: plain values, the common case) and runs the full
check_shape only when the fast check is unsure; both give the same result.
Every failure is an ``InvalidEvent(reason, detail)``; details name fields, never values.

Reasons: unknown_field, wrong_type, missing_field, future_timestamp, oversized,
invalid_identifier, empty_identifier, unknown_identifier_type, no_usable_identifier,
unknown_source_system, unknown_event_type, invalid_value.
"""

from __future__ import annotations

from typing import Any

from connectors.validate.fast_shape import fast_shape
from connectors.validate.rules import check_rules
from connectors.validate.shape import check_shape
from connectors.validate.size import check_size
from connectors.validate.timing import check_timing
from schemas.errors import InvalidEvent

REASONS = (
    "unknown_field",
    "wrong_type",
    "missing_field",
    "future_timestamp",
    "oversized",
    "invalid_identifier",
    "empty_identifier",
    "unknown_identifier_type",
    "no_usable_identifier",
    "unknown_source_system",
    "unknown_event_type",
    "invalid_value",
)

__all__ = ["REASONS", "InvalidEvent", "validate_touchpoint"]


def validate_touchpoint(obj: dict[str, Any], now_ms: int, region: str) -> dict[str, Any]:
    """A complete, normalised cdp.Touchpoint dict, or InvalidEvent with a specific reason."""
    event = fast_shape(obj, region)
    if event is None:
        event = check_shape(obj, region)
    event = check_rules(event)
    event = check_timing(event, now_ms)
    return check_size(event)
