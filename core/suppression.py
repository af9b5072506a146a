"""Erased identifiers (pure): one-way digests for the suppression list that erasure leaves
behind, and the consent that lifts it. Shared by the API (erasure), identity and profiles."""

from __future__ import annotations

import hashlib
from typing import Any


def digest(id_type: str, value: str) -> str:
    """A one-way digest of an identifier: the suppression list never stores the value."""
    return hashlib.sha256(f"{id_type}:{value}".encode()).hexdigest()[:32]


def digests(tp: dict[str, Any]) -> list[str]:
    return [digest(i["type"], i["value"]) for i in tp.get("identifiers") or []]


def lifts_suppression(tp: dict[str, Any]) -> bool:
    """A new consent (granted) from the person lets their data be processed again."""
    return tp.get("event_type") == "consent_changed" and tp.get("consent_state") == "granted"


def suppressed(tp: dict[str, Any], erased: set[str]) -> bool:
    """True when the event names an erased person and does not bring a new consent."""
    return bool(erased) and not lifts_suppression(tp) and not erased.isdisjoint(digests(tp))
