"""GET /v1/profiles/{id_type}/{value} and GET /v1/profiles/{profile_id} (read scope).

The routes below are what OpenAPI documents and what FastAPI would run; api.fastpath answers
the same requests before FastAPI's routing and dependency resolution, through the same
``profile_json`` (so both give the same answers; a test compares them)."""

from __future__ import annotations

import time
from typing import Any

import orjson
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
PREFIX = "/v1/profiles/"
SCOPE = "read"


def reader(state: Any) -> ProfileReader:
    """The app's reader (built once per Redis client: it holds the lookup script)."""
    redis = state.clients["redis"]
    cached: ProfileReader | None = getattr(state, "profile_reader", None)
    if cached is None or cached.r is not redis:
        cached = state.profile_reader = ProfileReader(redis, Keys(state.settings.redis_prefix))
    return cached


def normalised(request: Request, id_type: str, value: str) -> str:
    return normalised_in(request.app.state, id_type, value)


def normalised_in(state: Any, id_type: str, value: str) -> str:
    try:
        return normalise(id_type, value, state.settings.default_region)
    except InvalidEvent as exc:
        raise HTTPException(
            422, f"invalid {id_type} identifier: {exc.reason} ({exc.detail})"
        ) from None


def respond(state: Any, found: Found | None, what: str, route: str, start: float) -> bytes:
    if found is None:
        raise HTTPException(404, f"no profile for {what}")
    if found.erased:
        raise HTTPException(404, f"the profile for {what} was erased")
    clock = getattr(state, "clock", wall_clock_ms)
    body = orjson.dumps(render(found.profile_id, found.state, clock(), found.household_members))
    metrics.PROFILE_READ_SECONDS.labels(route).observe(time.perf_counter() - start)
    return body


async def profile_json(state: Any, parts: list[str]) -> bytes:
    """The profile for the path's ``[profile_id]`` or ``[id_type, value]`` (app state given);
    raises HTTPException 404/422."""
    start = time.perf_counter()
    if len(parts) == 1:
        found = await reader(state).by_id(parts[0])
        return respond(state, found, f"profile id {parts[0]}", "by_id", start)
    id_type, value = parts
    value = normalised_in(state, id_type, value)
    found = await reader(state).by_identifier(id_type, value)
    return respond(state, found, f"this {id_type}", "by_identifier", start)


@router.get(PREFIX + "{id_type}/{value}", dependencies=[Depends(require(SCOPE))])
async def by_identifier(id_type: str, value: str, request: Request) -> Response:
    """The real-time profile of the person holding this identifier (value normalised first)."""
    body = await profile_json(request.app.state, [id_type, value])
    return Response(body, media_type="application/json")


@router.get(PREFIX + "{profile_id}", dependencies=[Depends(require(SCOPE))])
async def by_profile_id(profile_id: str, request: Request) -> Response:
    """The real-time profile by profile id; a merged-away id answers with its survivor."""
    body = await profile_json(request.app.state, [profile_id])
    return Response(body, media_type="application/json")
