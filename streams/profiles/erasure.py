"""Erasure of a person's personal data from Redis (redis.asyncio).

What is erased, for the profile and every profile merged into it: the profile state, the identity
graph (identifier -> profile keys, member sets, meta hashes, alias keys), household membership.
What stays: a tombstone per erased profile id (``keys.erased``: its in-flight events are dropped)
and a one-way digest of every erased identifier in the suppression hash
(``keys.erased_identifiers``): the profile worker drops later events carrying such an identifier,
so they do not rebuild a profile, until an event with a new consent (consent_changed, granted)
arrives; that event lifts the suppression for the identifiers it carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from core.keys import Keys
from streams.profiles.reader import ProfileReader, _text
from streams.profiles.store import split
from streams.profiles.suppression import digest


@dataclass(frozen=True)
class Plan:
    """What an erasure will delete (found before anything is deleted)."""

    profile_ids: list[str]
    identifiers: set[tuple[str, str]]
    state: dict[str, Any]


@dataclass(frozen=True)
class Erased:
    profile_ids: list[str]
    identifiers: int
    keys_deleted: int


class Eraser:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.r, self.k = redis, keys
        self.reader = ProfileReader(redis, keys)

    async def erase(self, id_type: str, value: str, now_ms: int) -> Erased | None:
        found = await self.plan(id_type, value)
        return None if found is None else await self.apply(found, now_ms)

    async def plan(self, id_type: str, value: str) -> Plan | None:
        """The profiles and identifiers of the person; nothing is deleted yet."""
        pid = await self.reader.profile_id(id_type, value)
        if pid is None:
            return None
        pid = await self.reader.survivor(pid)
        _, state = split(await self.r.get(self.k.profile(pid)))
        pids = sorted({pid, *state.get("mg", [])})
        idents = await self._identifiers(pids)
        idents.add((id_type, value))
        return Plan(pids, idents, state)

    async def apply(self, plan: Plan, now_ms: int) -> Erased:
        return await self._delete(plan.profile_ids, plan.identifiers, plan.state, now_ms)

    async def _identifiers(self, pids: list[str]) -> set[tuple[str, str]]:
        pipe = self.r.pipeline(transaction=False)
        for p in pids:
            pipe.smembers(self.k.members(p))
        out: set[tuple[str, str]] = set()
        for members in await pipe.execute():
            for m in members:
                id_type, _, value = (_text(m) or "").partition(":")
                out.add((id_type, value))
        return out

    async def _delete(
        self, pids: list[str], idents: set[tuple[str, str]], state: dict[str, Any], now_ms: int
    ) -> Erased:
        keys = [self.k.ident(t, v) for t, v in idents]
        for p in pids:
            keys += [self.k.profile(p), self.k.members(p), self.k.meta(p), self.k.alias(p)]
        pipe = self.r.pipeline(transaction=True)
        pipe.delete(*keys)
        if state.get("hh"):
            pipe.srem(self.k.household(state["hh"][0]), *pids)
        for p in pids:
            pipe.set(self.k.erased(p), now_ms)
        pipe.hset(
            self.k.erased_identifiers(), mapping={digest(t, v): now_ms for t, v in sorted(idents)}
        )
        deleted = (await pipe.execute())[0]
        return Erased(pids, len(idents), int(deleted))
