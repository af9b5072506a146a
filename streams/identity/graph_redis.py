"""The identity graph in Redis (adapter: redis only). Key layout: core/keys.py.

One Lua call reads a batch's snapshot; one Lua call checks that everything read still holds and
applies the batch's mutations, atomically (see lua/write.lua). Why Lua and not WATCH/MULTI:
WATCH would need the reads on the same connection before MULTI (WATCH, reads, then the
profiles' metas: three round trips) and a conflict is only detected per watched key after all the
work; the scripts need two round trips per batch and check exactly the values the resolver used.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from redis import Redis

from core.keys import Keys
from streams.identity.model import Mutations, Prof, Snapshot, prof_from_fields

LUA_DIR = Path(__file__).with_name("lua")


class RedisGraph:
    def __init__(self, client: Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self.keys = Keys(prefix)
        self._read = client.register_script((LUA_DIR / "read.lua").read_text())
        self._write = client.register_script((LUA_DIR / "write.lua").read_text())

    def snapshot(self, identity: list[str], household: list[str]) -> Snapshot:
        members = identity + household
        if not members:
            return Snapshot({}, {}, {})
        reply = self._read(args=[self.prefix, len(identity), orjson.dumps(members)])
        owners_raw, hids_raw, pids, metas = orjson.loads(reply)
        owners = {m: o or None for m, o in zip(members, owners_raw, strict=True)}
        hids = {m: h or None for m, h in zip(members, hids_raw, strict=True) if h != "?"}
        profiles: dict[str, Prof] = {}
        for pid, flat in zip(pids, metas, strict=True):
            profiles[pid] = prof_from_fields(pid, dict(zip(flat[::2], flat[1::2], strict=True)))
        return Snapshot(owners, hids, profiles)

    def outbox_entries(self) -> dict[str, bytes]:
        """Identity changes written with a graph update and not yet confirmed published."""
        raw = self.client.hgetall(f"{self.prefix}:outbox:identity")
        return {_text(k): v if isinstance(v, bytes) else v.encode() for k, v in raw.items()}

    def outbox_done(self, entry: str) -> None:
        self.client.hdel(f"{self.prefix}:outbox:identity", entry)

    def apply(self, mutations: Mutations) -> bool:
        """The outbox op (binary, always last) travels as its own arguments, not in the JSON."""
        ops = mutations.ops
        outbox: list[str | bytes] = []
        if ops and ops[-1][0] == "O":
            _, entry, blob = ops[-1]
            assert isinstance(blob, bytes)
            ops, outbox = ops[:-1], [str(entry), blob]
        payload = orjson.dumps([mutations.checks, ops])
        return bool(self._write(args=[self.prefix, payload, *outbox]))

    # -- reading the graph (quality, API, tests) ---------------------------------------------
    def resolve_profiles(self, pids: Iterable[str]) -> dict[str, str]:
        """Each profile id -> the live profile it was merged into (itself when live)."""
        result = {pid: pid for pid in pids}
        unresolved = set(result)
        while unresolved:
            batch = sorted({result[pid] for pid in unresolved})
            found = self.client.mget([self.keys.alias(pid) for pid in batch])
            targets = dict(zip(batch, found, strict=True))
            moved = set()
            for pid in unresolved:
                target = targets[result[pid]]
                if target is not None:
                    result[pid] = _text(target)
                    moved.add(pid)
            unresolved = moved
        return result

    def households_of(self, pids: Iterable[str]) -> dict[str, str | None]:
        pids = list(pids)
        pipe = self.client.pipeline(transaction=False)
        for pid in pids:
            pipe.hget(self.keys.meta(pid), "hh")
        return {
            pid: (_text(hh) if hh is not None else None)
            for pid, hh in zip(pids, pipe.execute(), strict=True)
        }

    def profile_members(self, pid: str) -> set[str]:
        return {_text(m) for m in self.client.smembers(self.keys.members(pid))}

    def owner_of(self, id_type: str, value: str) -> str | None:
        pid = self.client.get(self.keys.ident(id_type, value))
        return _text(pid) if pid is not None else None


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
