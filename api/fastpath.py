"""The profile GETs as a plain ASGI middleware in front of FastAPI's routing.

FastAPI's routing, dependency resolution (the API key header) and Request objects cost about
70 us of CPU per request here, more than the profile read itself. This middleware answers
``GET /v1/profiles/{profile_id}`` and ``GET /v1/profiles/{id_type}/{value}`` directly, with the
same auth check and ``api.routes.profiles.profile_json`` the FastAPI routes use, and the same
error bodies FastAPI's HTTPException handler writes. Everything else (other methods, other
paths, paths FastAPI would not match, such as an empty segment) goes on to FastAPI, which also
keeps documenting the two routes in OpenAPI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import HEADER, check
from api.routes.profiles import PREFIX, SCOPE, profile_json

_KEY_HEADER = HEADER.lower().encode()
_JSON = (b"content-type", b"application/json")


def profile_path(scope: Scope) -> list[str] | None:
    """The path's ``[profile_id]`` or ``[id_type, value]`` when this is a profile GET."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    path, root = scope["path"], scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    if not path.startswith(PREFIX):
        return None
    parts = path[len(PREFIX) :].split("/")
    return parts if len(parts) <= 2 and all(parts) else None


def api_key(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == _KEY_HEADER:
            return bytes(value).decode("latin-1")
    return None


async def reply(send: Send, status: int, body: bytes, headers: Mapping[str, str] | None) -> None:
    raw = [_JSON, (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class ProfileFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        parts = profile_path(scope)
        if parts is None:
            await self.app(scope, receive, send)
            return
        state: Any = scope["app"].state
        try:
            check(api_key(scope), SCOPE, state.settings.api_keys)
            body = await profile_json(state, parts)
        except HTTPException as exc:
            await reply(send, exc.status_code, orjson.dumps({"detail": exc.detail}), exc.headers)
            return
        await reply(send, 200, body, None)
