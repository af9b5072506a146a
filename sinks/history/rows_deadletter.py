"""cdp.DeadLetter -> a `dead_letters` row; input this sink cannot read -> a dead letter (pure)."""

from __future__ import annotations

from typing import Any

from core.deadletter import dead_letter
from schemas.errors import InvalidEvent
from sinks.history.timecols import day_of_ms, millis, seconds

STAGE = "history"

DEAD_LETTER_COLUMNS: tuple[str, ...] = (
    "dead_letter_id", "stage", "reason", "detail", "source_system", "source_topic",
    "source_partition", "source_offset", "event_id", "payload", "received_time",
    "received_time_ms", "received_date",
)  # fmt: skip


def _int(value: int | None) -> int:
    return -1 if value is None else value


def dead_letter_row(record: dict[str, Any]) -> tuple[Any, ...]:
    received = millis(record["received_time"])
    return (
        record["dead_letter_id"], record["stage"], record["reason"], record.get("detail") or "",
        record.get("source_system") or "", record.get("topic") or "",
        _int(record.get("partition")), _int(record.get("offset")),
        record.get("event_id") or "", record["payload"] or b"",
        seconds(received), received, day_of_ms(received),
    )  # fmt: skip


def rejected(
    error: InvalidEvent,
    payload: bytes | None,
    topic: str,
    partition: int,
    offset: int,
    timestamp_ms: int,
) -> dict[str, Any]:
    """A message this sink cannot read, as a cdp.DeadLetter record of stage "history".

    ``timestamp_ms`` is the Kafka message timestamp (not the wall clock), so a replay yields the
    same row and the dedup collapses it."""
    return dead_letter(
        STAGE, error.reason, payload or b"", timestamp_ms, detail=error.detail,
        topic=topic, partition=partition, offset=offset,
    )  # fmt: skip
