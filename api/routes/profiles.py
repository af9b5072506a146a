"""GET /v1/profiles/{id_type}/{value} and GET /v1/profiles/{profile_id} (read scope)."""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from api.auth import require
from core import metrics
from core.clock import wall_clock_ms
from core.keys import Keys
from schemas.errors import InvalidEvent
from schemas.identifiers import normalise
from streams.profiles.reader import Found, ProfileReader
from streams.profiles.view import render

router = APIRouter(tags=["profiles"])


def reader(request: Request) -> ProfileReader:
    return ProfileReader(
        request.app.state.clients["redis"], Keys(request.app.state.settings.redis_prefix)
    )


def normalised(request: Request, id_type: str, value: str) -> str:
    try:
        return normalise(id_type, value, request.app.state.settings.default_region)
    except InvalidEvent as exc:
        raise HTTPException(
            422, f"invalid {id_type} identifier: {exc.reason} ({exc.detail})"
        ) from None


def respond(request: Request, found: Found | None, what: str, route: str, start: float) -> Response:
    if found is None:
        raise HTTPException(404, f"no profile for {what}")
    if found.erased:
        raise HTTPException(404, f"the profile for {what} was erased")
    clock = getattr(request.app.state, "clock", wall_clock_ms)
    body = render(found.profile_id, found.state, clock(), found.household_members)
    metrics.PROFILE_READ_SECONDS.labels(route).observe(time.perf_counter() - start)
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")


@router.get("/v1/profiles/{id_type}/{value}", dependencies=[Depends(require("read"))])
async def by_identifier(id_type: str, value: str, request: Request) -> Response:
    """The real-time profile of the person holding this identifier (value normalised first)."""
    start = time.perf_counter()
    found = await reader(request).by_identifier(id_type, normalised(request, id_type, value))
    return respond(request, found, f"this {id_type}", "by_identifier", start)


@router.get("/v1/profiles/{profile_id}", dependencies=[Depends(require("read"))])
async def by_profile_id(profile_id: str, request: Request) -> Response:
    """The real-time profile by profile id; a merged-away id answers with its survivor."""
    start = time.perf_counter()
    found = await reader(request).by_id(profile_id)
    return respond(request, found, f"profile id {profile_id}", "by_id", start)
