"""Helpers for the profile integration tests: drive the Processor against real Redis/Kafka."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import redis
from redis.asyncio import Redis

from core import kafka, topics
from core.keys import Keys
from core.settings import Settings
from schemas import catalogue
from schemas.serde import Codec
from streams.profiles.store import ProfileStore, split
from streams.profiles.worker import Message, Processor

RESOLVED = Codec(catalogue.RESOLVED)
CHANGE = Codec(catalogue.IDENTITY_CHANGE)


def run(settings: Settings, use: Callable[[Processor], Awaitable[Any]]) -> Any:
    async def go() -> Any:
        r = Redis.from_url(settings.redis_url)
        try:
            proc = Processor(
                settings, ProfileStore(r, Keys(settings.redis_prefix)), kafka.producer(settings)
            )
            return await use(proc)
        finally:
            await r.aclose()

    return asyncio.run(go())


def fold(settings: Settings, events: list[dict[str, Any]]) -> dict[str, int]:
    msgs = [Message(RESOLVED.encode(e), "resolved", 0, i) for i, e in enumerate(events)]
    return run(settings, lambda p: p.resolved_batch(msgs))  # type: ignore[no-any-return]


def change(survivor: str, merged: str, change_id: str = "c1") -> dict[str, Any]:
    return {
        "change_id": change_id,
        "kind": "merged",
        "profile_id": survivor,
        "from_profile_id": merged,
        "identifier": None,
        "household_id": None,
        "reason": "test",
        "event_id": None,
        "event_time": 1,
        "change_time": 1,
    }


def merges(settings: Settings, changes: list[dict[str, Any]]) -> dict[str, int]:
    """One changes batch holding ``changes`` in this order."""
    msgs = [Message(CHANGE.encode(c), "changes", 0, i) for i, c in enumerate(changes)]
    return run(settings, lambda p: p.changes_batch(msgs))  # type: ignore[no-any-return]


def merge(settings: Settings, survivor: str, merged: str, change_id: str = "c1") -> dict[str, int]:
    return merges(settings, [change(survivor, merged, change_id)])


def sync_redis(settings: Settings) -> redis.Redis:
    return redis.Redis.from_url(settings.redis_url)


def raw_profile(settings: Settings, pid: str) -> bytes | None:
    return sync_redis(settings).get(Keys(settings.redis_prefix).profile(pid))  # type: ignore[return-value]


def state(settings: Settings, pid: str) -> dict[str, Any]:
    return split(raw_profile(settings, pid))[1]


def link(
    settings: Settings, pid: str, *identifiers: tuple[str, str], household: str | None = None
) -> None:
    """Write the identity graph entries the identity worker would write."""
    k, r = Keys(settings.redis_prefix), sync_redis(settings)
    for t, v in identifiers:
        r.set(k.ident(t, v), pid)
        r.sadd(k.members(pid), f"{t}:{v}")
    if household:
        r.sadd(k.household(household), pid)


def ensure_topics(settings: Settings) -> None:
    kafka.create_topics(settings)


def topic(settings: Settings, base: str) -> str:
    return kafka.topic(settings, base)


__all__ = ["topics"]
