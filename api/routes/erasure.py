"""DELETE /v1/profiles/{id_type}/{value} (admin scope): erase the person's personal data from
Redis (see streams/profiles/erasure.py for what is erased and what tombstone stays) and publish a
cdp.Erasure record (the profile and every profile merged into it, and one-way digests of the
erased identifiers) for the history sink and for `cdp erasure restore` after a Redis loss."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from api.auth import require
from api.routes.profiles import normalised
from core import kafka, topics
from core.clock import wall_clock_ms
from core.keys import Keys
from schemas import catalogue
from schemas.registry import source_for
from schemas.serde import Codec
from streams.profiles.erasure import Eraser
from streams.profiles.suppression import digest

router = APIRouter(tags=["erasure"])
_codecs: dict[str | None, Codec] = {}


def codec(registry_url: str | None) -> Codec:
    if registry_url not in _codecs:
        _codecs[registry_url] = Codec(catalogue.ERASURE, source_for(registry_url))
    return _codecs[registry_url]


async def publish(request: Request, record: dict[str, Any]) -> None:
    settings = request.app.state.settings
    producer = request.app.state.clients["kafka"]
    producer.produce(
        kafka.topic(settings, topics.ERASURES),
        codec(settings.schema_registry_url).encode(record),
        key=record["profile_ids"][0].encode(),
    )
    if await asyncio.to_thread(producer.flush, 10.0):
        raise HTTPException(
            503,
            "Kafka did not confirm the erasure record; nothing was erased yet, retry the request",
            headers={"Retry-After": "5"},
        )


@router.delete("/v1/profiles/{id_type}/{value}", dependencies=[Depends(require("admin"))])
async def erase(
    id_type: str, value: str, request: Request, reason: str | None = None
) -> dict[str, Any]:
    """Erase the person; the answer says how much was erased, never what.

    The erasure record is published (and confirmed by Kafka) before Redis is touched: if Kafka
    fails, nothing is erased yet and a retry does everything; if Redis fails afterwards, a
    retry finds the person again and erases (the history sink's deletes are idempotent)."""
    settings = request.app.state.settings
    now = int(getattr(request.app.state, "clock", wall_clock_ms)())
    eraser = Eraser(request.app.state.clients["redis"], Keys(settings.redis_prefix))
    plan = await eraser.plan(id_type, normalised(request, id_type, value))
    if plan is None:
        raise HTTPException(404, f"no profile for this {id_type}")
    erasure_id = hashlib.blake2b(
        f"{','.join(plan.profile_ids)}|{now}".encode(), digest_size=12
    ).hexdigest()
    await publish(
        request,
        {
            "erasure_id": erasure_id,
            "profile_ids": plan.profile_ids,
            "requested_time": now,
            "reason": reason,
            "identifier_digests": sorted({digest(t, v) for t, v in plan.identifiers}),
        },
    )
    done = await eraser.apply(plan, now)
    return {
        "erasure_id": erasure_id,
        "profiles": len(done.profile_ids),
        "profile_ids": done.profile_ids,
        "identifiers": done.identifiers,
        "keys_deleted": done.keys_deleted,
    }
