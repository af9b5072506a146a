"""Read side (redis.asyncio), shared by the API and `cdp profile get`: identifier -> profile id
(following merge aliases) -> state, household members and their states."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from core.keys import Keys
from streams.profiles.state import State
from streams.profiles.store import MAX_ALIAS_HOPS, split


@dataclass
class Found:
    profile_id: str
    state: State
    household_members: list[str] = field(default_factory=list)
    erased: bool = False


def _text(raw: Any) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else raw


class ProfileReader:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.r, self.k = redis, keys

    async def profile_id(self, id_type: str, value: str) -> str | None:
        return _text(await self.r.get(self.k.ident(id_type, value)))

    async def survivor(self, profile_id: str) -> str:
        for _ in range(MAX_ALIAS_HOPS):
            alias = _text(await self.r.get(self.k.alias(profile_id)))
            if not alias or alias == profile_id:
                return profile_id
            profile_id = alias
        return profile_id

    async def by_id(self, profile_id: str) -> Found | None:
        """The profile (after aliases), or None when nothing is known about it."""
        pid = await self.survivor(profile_id)
        pipe = self.r.pipeline(transaction=False)
        pipe.get(self.k.profile(pid))
        pipe.exists(self.k.erased(pid))
        pipe.exists(self.k.members(pid))
        raw, erased, has_members = await pipe.execute()
        if erased:
            return Found(pid, {}, erased=True)
        if raw is None and not has_members:
            return None
        _, state = split(raw)
        return Found(pid, state, await self.household(pid, state))

    async def by_identifier(self, id_type: str, value: str) -> Found | None:
        pid = await self.profile_id(id_type, value)
        return None if pid is None else await self.by_id(pid)

    async def household(self, pid: str, state: State) -> list[str]:
        hh = state.get("hh")
        if not hh:
            return []
        members = await self.r.smembers(self.k.household(hh[0]))
        return sorted(m for m in (_text(x) for x in members) if m and m != pid)

    async def states(self, pids: list[str]) -> list[State]:
        if not pids:
            return []
        raws = await self.r.mget([self.k.profile(p) for p in pids])
        return [split(raw)[1] for raw in raws if raw]
