"""API keys with scopes (ingest, read, admin): 401 without a valid key, 403 with the wrong scope."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

SCOPES = ("ingest", "read", "admin")
HEADER = "X-API-Key"
_header = APIKeyHeader(name=HEADER, auto_error=False)


def scopes_for(key: str | None, keys: dict[str, list[str]]) -> set[str] | None:
    """The scopes of a key (constant-time compare), or None when the key is unknown."""
    if not key:
        return None
    for known, scopes in keys.items():
        if hmac.compare_digest(known.encode(), key.encode()):
            return set(scopes)
    return None


def check(key: str | None, scope: str, keys: dict[str, list[str]]) -> None:
    """Raise the 401 or 403 unless ``key`` carries ``scope`` (admin implies all)."""
    scopes = scopes_for(key, keys)
    if scopes is None:
        raise HTTPException(401, "missing or unknown API key", headers={"WWW-Authenticate": HEADER})
    if scope not in scopes and "admin" not in scopes:
        raise HTTPException(403, f"this API key lacks the '{scope}' scope")


def require(scope: str) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency: the request's key must carry ``scope``."""

    async def dependency(request: Request, key: str | None = Depends(_header)) -> None:
        check(key, scope, request.app.state.settings.api_keys)

    return dependency
