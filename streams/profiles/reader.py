"""Read side (redis.asyncio), shared by the API and `cdp profile get`: identifier -> profile id
(following merge aliases) -> state, household members and their states.

A lookup is one round trip: the LOOKUP script follows identifier -> profile -> aliases in Redis
and returns the survivor's state with its household's members. The household id inside the
(LZ4'd) state can not be read by Lua, so the script reads the members of the household the
identity graph records (``pmeta`` field ``hh``); only when the state names another household (a
change the profile worker has not folded yet, or no graph metadata) does the read take a second
round trip for that household's members."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from core.keys import Keys
from streams.profiles.state import State
from streams.profiles.store import MAX_ALIAS_HOPS, split

# ARGV: prefix, "id" (ARGV[3] = "type:value") or "pid" (ARGV[3] = profile id), max alias hops.
# Returns nil for an unknown identifier, else {survivor, state value, erased (0/1), has graph
# members (0/1), graph household id, its members}. Keys as core.keys builds them.
LOOKUP = """
local p, pid = ARGV[1], ARGV[3]
if ARGV[2] == 'id' then
  pid = redis.call('GET', p .. ':id:' .. pid)
  if not pid then return false end
end
for _ = 1, tonumber(ARGV[4]) do
  local alias = redis.call('GET', p .. ':alias:' .. pid)
  if not alias or alias == pid then break end
  pid = alias
end
local tag = '{' .. pid .. '}'
local hh = redis.call('HGET', p .. ':pmeta:' .. tag, 'hh')
return {
  pid,
  redis.call('GET', p .. ':prof:' .. tag),
  redis.call('EXISTS', p .. ':erased:' .. pid),
  redis.call('EXISTS', p .. ':pm:' .. tag),
  hh,
  hh and redis.call('SMEMBERS', p .. ':hh:' .. hh) or {},
}
"""


@dataclass
class Found:
    profile_id: str
    state: State
    household_members: list[str] = field(default_factory=list)
    erased: bool = False


def _text(raw: Any) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else raw


def _others(members: Any, pid: str) -> list[str]:
    return sorted(m for m in (_text(x) for x in members) if m and m != pid)


class ProfileReader:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.r, self.k = redis, keys
        self._lookup = redis.register_script(LOOKUP)

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
        return await self._read("pid", profile_id)

    async def by_identifier(self, id_type: str, value: str) -> Found | None:
        return await self._read("id", f"{id_type}:{value}")

    async def _read(self, kind: str, what: str) -> Found | None:
        reply = await self._lookup(args=[self.k.p, kind, what, MAX_ALIAS_HOPS])
        if reply is None:
            return None
        survivor, raw, erased, has_members, graph_hh, graph_members = reply
        pid = survivor.decode() if isinstance(survivor, bytes) else str(survivor)
        if erased:
            return Found(pid, {}, erased=True)
        if raw is None and not has_members:
            return None
        _, state = split(raw)
        hh = state.get("hh")
        if not hh:
            return Found(pid, state)
        if _text(graph_hh) == hh[0]:
            return Found(pid, state, _others(graph_members, pid))
        return Found(pid, state, await self.household(pid, state))

    async def household(self, pid: str, state: State) -> list[str]:
        hh = state.get("hh")
        if not hh:
            return []
        return _others(await self.r.smembers(self.k.household(hh[0])), pid)

    async def states(self, pids: list[str]) -> list[State]:
        if not pids:
            return []
        raws = await self.r.mget([self.k.profile(p) for p in pids])
        return [split(raw)[1] for raw in raws if raw]
