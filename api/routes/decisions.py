"""POST /v1/decisions/contact: may we contact this person on this channel for this purpose at
this time? allow/deny with every reason, plus hints (read scope)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, field_validator

from api.auth import require
from api.routes.profiles import normalised, reader
from core.clock import wall_clock_ms
from schemas.vocab import CHANNELS, PURPOSES
from streams.profiles.decisions import RulesConfig, decide

router = APIRouter(tags=["decisions"])


class IdentifierIn(BaseModel):
    type: str = Field(examples=["email"])
    value: str = Field(examples=["anna@example.com"])


class ContactRequest(BaseModel):
    identifier: IdentifierIn
    channel: str = Field(examples=["phone"], description=f"one of {sorted(CHANNELS)}")
    purpose: str = Field(examples=["cross_sell"], description=f"one of {sorted(PURPOSES)}")
    at: datetime | None = Field(default=None, description="ISO time of the contact; default now")

    @field_validator("channel")
    @classmethod
    def known_channel(cls, v: str) -> str:
        if v not in CHANNELS:
            raise ValueError(f"unknown channel {v!r}; use one of {sorted(CHANNELS)}")
        return v

    @field_validator("purpose")
    @classmethod
    def known_purpose(cls, v: str) -> str:
        if v not in PURPOSES:
            raise ValueError(f"unknown purpose {v!r}; use one of {sorted(PURPOSES)}")
        return v


def rules(request: Request) -> RulesConfig:
    configured = getattr(request.app.state, "rules", None)
    return configured or RulesConfig(default_timezone=request.app.state.settings.default_timezone)


def at_ms(body: ContactRequest, request: Request) -> int:
    if body.at is None:
        return int(getattr(request.app.state, "clock", wall_clock_ms)())
    at = body.at if body.at.tzinfo else body.at.replace(tzinfo=UTC)
    return int(at.timestamp() * 1000)


@router.post("/v1/decisions/contact", dependencies=[Depends(require("read"))])
async def contact(body: ContactRequest, request: Request) -> dict[str, Any]:
    value = normalised(request, body.identifier.type, body.identifier.value)
    read = reader(request.app.state)
    found = await read.by_identifier(body.identifier.type, value)
    state = found.state if found and not found.erased else {}
    household = tuple(await read.states(found.household_members)) if found else ()
    when = at_ms(body, request)
    d = decide(state, body.channel, body.purpose, when, rules(request), household)
    return {
        "decision": "allow" if d.allow else "deny",
        "profile_id": found.profile_id if found and not found.erased else None,
        "at": datetime.fromtimestamp(when / 1000, UTC).isoformat(),
        "reasons": [{"code": r.code, "message": r.message, "rule": r.rule} for r in d.reasons],
        "hints": [{"code": h.code, "message": h.message, **h.detail} for h in d.hints],
        "checked": d.checked,
    }
