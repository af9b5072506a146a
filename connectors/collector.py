"""The collector's judgement of one batch (pure): each event accepted or rejected, in order.

Input: the events with their original bytes (connectors.jsonbatch). Output: the per-event
results for the HTTP answer, the validated touchpoints to produce, and the dead-letter records
(stage "collector", original bytes, reason) for the rejected ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.validate import validate_touchpoint
from core.deadletter import dead_letter
from schemas.errors import InvalidEvent
from schemas.vocab import SOURCE_SYSTEMS

STAGE = "collector"
MAX_DEAD_LETTER_PAYLOAD = 256 * 1024  # keeps a dead letter under Kafka's message size limit


@dataclass
class Judgement:
    results: list[dict[str, Any]] = field(default_factory=list)
    touchpoints: list[dict[str, Any]] = field(default_factory=list)
    dead_letters: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        accepted, rejected = len(self.touchpoints), len(self.dead_letters)
        return {
            "results": self.results,
            "accepted": accepted,
            "rejected": rejected,
            "received": accepted + rejected,
        }


def judge_batch(events: list[tuple[Any, bytes]], now_ms: int, region: str) -> Judgement:
    judgement = Judgement()
    for index, (event, raw) in enumerate(events):
        event_id = _event_id(event)
        try:
            judgement.touchpoints.append(validate_touchpoint(event, now_ms, region))
        except InvalidEvent as exc:
            judgement.dead_letters.append(_dead_letter(event, raw, exc, now_ms))
            judgement.results.append(_result(index, event_id, "rejected", exc.reason, exc.detail))
        else:
            judgement.results.append(_result(index, event_id, "accepted"))
    return judgement


def _result(
    index: int,
    event_id: str | None,
    status: str,
    reason: str | None = None,
    detail: str | None = None,
) -> dict[str, Any]:
    return {
        "index": index,
        "event_id": event_id,
        "status": status,
        "reason": reason,
        "detail": detail,
    }


def _event_id(event: Any) -> str | None:
    value = event.get("event_id") if isinstance(event, dict) else None
    return value if isinstance(value, str) else None


def _dead_letter(event: Any, raw: bytes, exc: InvalidEvent, now_ms: int) -> dict[str, Any]:
    detail = exc.detail
    if len(raw) > MAX_DEAD_LETTER_PAYLOAD:
        raw = raw[:MAX_DEAD_LETTER_PAYLOAD]
        detail = f"{detail} (payload truncated to {MAX_DEAD_LETTER_PAYLOAD} bytes)"
    source = event.get("source_system") if isinstance(event, dict) else None
    event_id = _event_id(event)
    return dead_letter(
        STAGE,
        exc.reason,
        raw,
        now_ms,
        detail=detail,
        source_system=source if source in SOURCE_SYSTEMS else None,
        event_id=event_id[:256] if event_id else None,
    )
