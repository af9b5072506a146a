"""The collector's side effects for one batch: judge it (pure), produce, wait, count."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from connectors.collector import STAGE, judge_batch
from core import metrics
from core.clock import Clock, wall_clock_ms
from core.settings import Settings

MAX_EVENTS = 1000
MAX_BODY_BYTES = 1024 * 1024
DELIVERY_TIMEOUT_S = 10.0  # how long a request waits for Kafka before answering 503


class EventResult(BaseModel):
    index: int
    event_id: str | None
    status: str  # accepted | rejected
    reason: str | None
    detail: str | None


class BatchResponse(BaseModel):
    results: list[EventResult]
    accepted: int
    rejected: int
    received: int


def process_batch(
    events: list[tuple[Any, bytes]], producer: Any, settings: Settings, clock: Clock | None = None
) -> dict[str, Any] | None:
    """The answer for a batch, or None when Kafka did not confirm delivery in time."""
    judgement = judge_batch(events, (clock or wall_clock_ms)(), settings.default_region)
    if not producer.send_and_wait(
        judgement.touchpoints, judgement.dead_letters, DELIVERY_TIMEOUT_S
    ):
        return None
    _count(judgement.dead_letters, len(events))
    return judgement.summary()


def _count(dead_letters: list[dict[str, Any]], received: int) -> None:
    metrics.EVENTS_RECEIVED.labels(STAGE).inc(received)
    metrics.EVENTS_ACCEPTED.labels(STAGE).inc(received - len(dead_letters))
    for record in dead_letters:
        metrics.EVENTS_REJECTED.labels(STAGE, record["reason"]).inc()
