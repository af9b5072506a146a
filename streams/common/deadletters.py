"""A dead-letter record for a message a processor could not use: the original bytes and where
they came from (topic, partition, offset), with the reason."""

from __future__ import annotations

from typing import Any

from core.deadletter import dead_letter
from schemas.errors import InvalidEvent
from streams.common.messages import RawMessage


def for_message(
    stage: str, msg: RawMessage, exc: InvalidEvent, now: int, event: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``event`` is the decoded event when decoding got that far (for source and event id)."""
    return dead_letter(
        stage,
        exc.reason,
        msg.value or b"",
        now,
        detail=exc.detail,
        source_system=event.get("source_system") if event else None,
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
        event_id=event.get("event_id") if event else None,
    )
