"""Step 3: receive time defaults to now; events from more than a day in the future are refused."""

from __future__ import annotations

from typing import Any

from connectors.validate.limits import MAX_FUTURE_MS
from schemas.errors import InvalidEvent


def check_timing(event: dict[str, Any], now_ms: int) -> dict[str, Any]:
    if event["received_time"] is None:
        event["received_time"] = now_ms
    if event["event_time"] > now_ms + MAX_FUTURE_MS:
        raise InvalidEvent("future_timestamp", "event_time is more than 24 hours in the future")
    return event
