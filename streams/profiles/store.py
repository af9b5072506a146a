"""Redis adapter of the profile worker (redis.asyncio). Per batch: one read round trip (plus one
per alias hop, rare), the pure plan, then one atomic write round trip (Lua: optimistic version
check of every touched profile, the states, the seen event ids; all or nothing).

A profile is one string key ``keys.profile(pid)`` = ``<version>:<state>`` (state encoding in
codec.py). Seen event ids are ``keys.seen_event("profiles", event_id)`` with a TTL (SEEN_TTL_S).
The read round trip is five commands whatever the batch size (MGET of the seen ids, aliases,
tombstones and profiles; HMGET of the erased identifiers).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from redis.asyncio import Redis

from core.keys import Keys
from streams.profiles import codec
from streams.profiles.batch import Plan, Snapshot, plan
from streams.profiles.combine import combine
from streams.profiles.state import State
from streams.profiles.suppression import digest

STAGE = "profiles"
MERGE_STAGE = "profiles-merge"
SEEN_TTL_S = 8 * 86_400  # longer than the resolved topic's retention (7 days)
MAX_RETRIES = 20
# the API reader's bound on alias hops (a guard against cycles; merges never create one, and a
# chain grows by one only when a survivor is itself merged away); the worker follows any length
MAX_ALIAS_HOPS = 64

# KEYS: n profiles, their n tombstones, m seen ids, the erased-identifier hash, extra SETNX keys.
# ARGV: a JSON header [n, m, ttl, digests to lift, SETNX values], then per profile the version
# the batch read and the whole new value ("<version + 1>:<state>", or "" to delete). Only the
# stored version's digits are read back (GETRANGE), never the state itself.
WRITE = """
local h = cjson.decode(ARGV[1])
local n, m, ttl = h[1], h[2], h[3]
for i = 1, n do
  if redis.call('EXISTS', KEYS[n + i]) == 1 then return i end
  local v = string.match(redis.call('GETRANGE', KEYS[i], 0, 23), '^(%d+):') or '0'
  if v ~= ARGV[2 * i] then return i end
end
for i = 1, n do
  local value = ARGV[2 * i + 1]
  if value == '' then redis.call('DEL', KEYS[i])
  else redis.call('SET', KEYS[i], value) end
end
for j = 1, m do redis.call('SET', KEYS[2 * n + j], '1', 'EX', ttl) end
if #h[4] > 0 then redis.call('HDEL', KEYS[2 * n + m + 1], unpack(h[4])) end
for j = 1, #h[5] do redis.call('SET', KEYS[2 * n + m + 1 + j], h[5][j], 'NX') end
return 0
"""


def split(raw: bytes | str | None) -> tuple[str, State]:
    """A stored profile value -> (version, state)."""
    if not raw:
        return "0", {}
    version, _, blob = (raw.encode() if isinstance(raw, str) else raw).partition(b":")
    return version.decode(), codec.loads(blob)


def value(read_version: str, state: State) -> bytes:
    """What the write stores for a profile read at ``read_version``: the next version and the
    encoded state (b"" deletes the key)."""
    return b"%d:%b" % (int(read_version) + 1, codec.dumps(state)) if state else b""


def identifiers(events: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """The distinct (type, value) identifiers of a batch (a customer's recur: digest each once)."""
    return {
        (i["type"], i["value"]) for e in events for i in e["touchpoint"].get("identifiers") or ()
    }


class Conflict(Exception):
    """A profile changed between the read and the write round trip; the batch is retried."""


class ProfileStore:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.r, self.k = redis, keys
        self._write = redis.register_script(WRITE)

    async def apply(self, events: list[dict[str, Any]]) -> Plan:
        """Fold a batch of decoded resolved touchpoints; atomic and idempotent."""
        for attempt in range(MAX_RETRIES):
            snap, versions = await self._read(events)
            result = plan(events, snap)
            try:
                await self._commit(result, versions)
                return result
            except Conflict:
                await asyncio.sleep(0.001 * attempt)
        raise Conflict("profile batch kept conflicting")

    async def _read(self, events: list[dict[str, Any]]) -> tuple[Snapshot, dict[str, str]]:
        pids = sorted({e["profile_id"] for e in events})
        ids = sorted({digest(t, v) for t, v in identifiers(events)})
        eids = [e["touchpoint"]["event_id"] for e in events]
        pipe = self.r.pipeline(transaction=False)
        seen = self.k.seen_event(STAGE, "")  # the keys' common prefix: one concatenation each
        pipe.mget([seen + e for e in eids])
        pipe.hmget(self.k.erased_identifiers(), ids) if ids else pipe.echo("")
        seen_raw, erased_raw, *head = await self._profiles(pipe, pids)
        survivor, erased, versions, states = await self._resolve(pids, head)
        snap = Snapshot(
            seen={e for e, s in zip(eids, seen_raw, strict=True) if s},
            survivor=survivor,
            erased=erased,
            erased_ids={d for d, s in zip(ids, erased_raw or [], strict=False) if s},
            states=states,
        )
        return snap, versions

    async def _profiles(self, pipe: Any, pids: list[str]) -> list[Any]:
        """Queue aliases, tombstones and values of ``pids`` (three MGETs) and run the pipeline."""
        pipe.mget([self.k.alias(p) for p in pids])
        pipe.mget([self.k.erased(p) for p in pids])
        pipe.mget([self.k.profile(p) for p in pids])
        return list(await pipe.execute())

    async def _resolve(
        self, pids: list[str], head: list[Any]
    ) -> tuple[dict[str, str], set[str], dict[str, str], dict[str, State]]:
        """Where each of ``pids`` resolves to, and the tombstones, versions and states loaded."""
        aliases, erased, versions, states = await self._load(pids, head)
        for pid in aliases:  # a fold writes only to the chains' ends
            erased.discard(pid)
            del versions[pid], states[pid]
        return {p: follow(aliases, p) for p in pids}, erased, versions, states

    async def _commit(
        self,
        result: Plan,
        versions: dict[str, str],
        extra_setnx: list[tuple[str, str]] = (),  # type: ignore[assignment]
        seen_stage: str = STAGE,
    ) -> None:
        pids = sorted(result.states)
        if not pids and not result.seen:
            return
        keys = [self.k.profile(p) for p in pids] + [self.k.erased(p) for p in pids]
        seen = self.k.seen_event(seen_stage, "")
        keys += [seen + e for e in result.seen]
        keys += [self.k.erased_identifiers()] + [k for k, _ in extra_setnx]
        header = [
            len(pids),
            len(result.seen),
            SEEN_TTL_S,
            sorted(result.lift),
            [v for _, v in extra_setnx],
        ]
        argv: list[Any] = [json.dumps(header)]
        for p in pids:
            version = versions.get(p, "0")
            argv += [version, value(version, result.states[p])]
        failed = await self._write(keys=keys, args=argv)
        if failed:
            raise Conflict(pids[int(failed) - 1])

    async def merge(self, change: dict[str, Any]) -> str:
        """Combine the merged-away profile into the survivor; idempotent per change_id."""
        (outcome,) = await self.merge_batch([change])
        return outcome

    async def merge_batch(self, changes: list[dict[str, Any]]) -> list[str]:
        """Apply merges in order, as one read and one atomic write round trip (plus one read per
        alias hop): a chain a -> b, b -> c in one batch ends with a and b resolving to c. Each
        change's outcome: merged, duplicate (its change_id was applied before), cycle, or
        erased_profile. A conflicting write (another worker touched a profile) retries it all."""
        if not changes:
            return []
        for attempt in range(MAX_RETRIES):
            outcomes = await self._merge_batch_once(changes)
            if outcomes is not None:
                return outcomes
            await asyncio.sleep(0.001 * attempt)
        raise Conflict("merge kept conflicting")

    async def _merge_batch_once(self, changes: list[dict[str, Any]]) -> list[str] | None:
        ids = [c["change_id"] for c in changes]
        pids = sorted({c["from_profile_id"] for c in changes} | {c["profile_id"] for c in changes})
        pipe = self.r.pipeline(transaction=False)
        pipe.mget([self.k.seen_event(MERGE_STAGE, i) for i in ids])
        seen_raw, *head = await self._profiles(pipe, pids)
        alias, erased, versions, states = await self._load(pids, head)
        seen = {i for i, raw in zip(ids, seen_raw, strict=True) if raw}
        outcomes: list[str] = []
        new = Plan()
        new_aliases: list[tuple[str, str]] = []  # (alias key, survivor), SET NX by the write
        for change in changes:
            src, cid = change["from_profile_id"], change["change_id"]
            survivor = follow(alias, change["profile_id"])
            if cid in seen:
                outcomes.append("duplicate")
            elif survivor == src or survivor in alias:  # follow ends on an alias only on a cycle
                outcomes.append("cycle")
            elif survivor in erased or src in erased:
                outcomes.append("erased_profile")
            else:
                moved = combine(states.get(src, {}), {"mg": [src]})
                states[survivor] = combine(states[survivor], moved)
                states[src] = {}
                new.states[survivor], new.states[src] = states[survivor], {}
                if src not in alias:  # as the write's SET NX: an earlier alias stays
                    alias[src] = survivor
                    new_aliases.append((self.k.alias(src), survivor))
                seen.add(cid)
                new.seen.append(cid)
                outcomes.append("merged")
        try:
            await self._commit(new, versions, new_aliases, MERGE_STAGE)
        except Conflict:
            return None
        return outcomes

    async def _load(
        self, pids: list[str], head: list[Any]
    ) -> tuple[dict[str, str], set[str], dict[str, str], dict[str, State]]:
        """Aliases, tombstones, versions and states of ``pids`` and of every profile their
        aliases lead to, to the chains' ends: one round trip per hop (``head`` is the first,
        from ``_profiles``). An aliased profile keeps its own stored version and state too: the
        identity worker writes the alias when it merges, before this worker has moved the state
        folded there earlier into the survivor."""
        aliases: dict[str, str] = {}
        erased: set[str] = set()
        versions: dict[str, str] = {}
        states: dict[str, State] = {}
        pending = dict(zip(pids, zip(*head, strict=True), strict=True))
        visited: set[str] = set()
        while pending:  # cycle-safe: a profile is read once
            visited |= pending.keys()
            for pid, (alias, gone, raw) in pending.items():
                if alias and alias.decode() != pid:
                    aliases[pid] = alias.decode()
                if gone is not None:
                    erased.add(pid)
                versions[pid], states[pid] = split(raw)
            targets = sorted(set(aliases.values()) - visited)
            if not targets:
                break
            res = await self._profiles(self.r.pipeline(transaction=False), targets)
            pending = dict(zip(targets, zip(*res, strict=True), strict=True))
        return aliases, erased, versions, states


def follow(alias: dict[str, str], pid: str) -> str:
    """Where ``pid`` resolves to through ``alias``: the first profile without an alias (or, on
    a cycle, the first one met twice)."""
    seen: set[str] = set()
    while (to := alias.get(pid)) is not None and to != pid and pid not in seen:
        seen.add(pid)
        pid = to
    return pid
