"""Helpers to build resolved touchpoints for profile tests."""

from __future__ import annotations

import itertools
from typing import Any

T0 = 1_700_000_000_000  # 2023-11-14T22:13:20Z
DAY = 86_400_000
_ids = itertools.count()


def tp(event_type: str, t: int = T0, source: str = "orders", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": fields.pop("event_id", f"e{next(_ids)}"),
        "event_type": event_type,
        "source_system": source,
        "event_time": t,
        "received_time": t,
        "identifiers": fields.pop("identifiers", [{"type": "email", "value": "a@example.com"}]),
        "relations": [],
        "attributes": fields.pop("attributes", {}),
        "extras": {},
    }
    base.update(fields)
    return base


def resolved(
    touchpoint: dict[str, Any], profile_id: str = "p1", household_id: str | None = None
) -> dict[str, Any]:
    return {
        "touchpoint": touchpoint,
        "profile_id": profile_id,
        "household_id": household_id,
        "resolved_time": touchpoint["event_time"],
    }
