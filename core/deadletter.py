"""Dead-letter records (pure): the original bytes, where they came from, and why."""

from __future__ import annotations

import hashlib
from typing import Any


def dead_letter(
    stage: str,
    reason: str,
    payload: bytes,
    now_ms: int,
    *,
    detail: str = "",
    source_system: str | None = None,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """A cdp.DeadLetter record. Its id is stable for the same input, so replays dedupe."""
    origin = f"{stage}|{topic}|{partition}|{offset}|{event_id}|{reason}".encode()
    digest = hashlib.blake2b(origin + payload, digest_size=12).hexdigest()
    return {
        "dead_letter_id": digest,
        "stage": stage,
        "reason": reason,
        "detail": detail or None,
        "source_system": source_system,
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "event_id": event_id,
        "payload": payload,
        "received_time": now_ms,
    }
