"""POST /v1/events: the HTTP collector.

A JSON batch ``{"events": [...]}`` (at most MAX_EVENTS events and MAX_BODY_BYTES bytes, else
413). Each event is validated and answered with its own result, in order. Accepted events go
to the touchpoint topic as Avro, rejected ones to the dead-letter topic (stage "collector", the
event's original bytes, the reason). The answer waits for Kafka's delivery reports, so
"accepted" means it is in Kafka; when Kafka does not confirm in time the answer is 503 with
Retry-After (a retried batch is safe: event_id is the idempotency key downstream).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.collector import MAX_BODY_BYTES, MAX_EVENTS, BatchResponse, process_batch
from connectors.jsonbatch import NotABatch, parse_batch
from core import metrics

ROUTE = "/v1/events"
router = APIRouter(tags=["collector"])

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["events"],
                    "properties": {
                        "events": {
                            "type": "array",
                            "maxItems": MAX_EVENTS,
                            "items": {"type": "object", "description": "a cdp.Touchpoint as JSON"},
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    ROUTE,
    dependencies=[Depends(require("ingest"))],
    response_model=BatchResponse,
    openapi_extra=_BODY_DOC,
    responses={
        413: {"description": "batch too large"},
        422: {"description": "not a batch"},
        503: {"description": "Kafka unavailable; retry after Retry-After seconds"},
    },
)
async def post_events(request: Request) -> JSONResponse:
    """Validate and publish a batch of touchpoints; one result per event, in order."""
    body = await _read_capped(request)
    if body is None:
        return _answer(413, {"detail": f"the body is larger than {MAX_BODY_BYTES} bytes"})
    try:
        events = parse_batch(body)
    except NotABatch as exc:
        return _answer(422, {"detail": str(exc)})
    if len(events) > MAX_EVENTS:
        return _answer(413, {"detail": f"the batch has more than {MAX_EVENTS} events"})
    state = request.app.state
    result = await run_in_threadpool(
        process_batch,
        events,
        state.clients["producer"],
        state.settings,
        getattr(state, "clock", None),
    )
    if result is None:
        return _answer(
            503, {"detail": "Kafka did not confirm the batch; retry later"}, {"Retry-After": "5"}
        )
    return _answer(200, result)


async def _read_capped(request: Request) -> bytes | None:
    """The body, or None as soon as it exceeds MAX_BODY_BYTES."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(status: int, content: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    metrics.HTTP_REQUESTS.labels(ROUTE, str(status)).inc()
    return JSONResponse(content, status_code=status, headers=headers)
