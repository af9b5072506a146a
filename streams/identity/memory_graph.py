"""The identity graph in process memory (pure): the reference the Redis store must match, and
the store of the unit and property tests. Same checks and ops as streams/identity/lua/write.lua."""

from __future__ import annotations

from streams.identity.model import Mutations, Prof, Snapshot, prof_from_fields


class MemoryGraph:
    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.meta: dict[str, dict[str, str]] = {}
        self.aliases: dict[str, str] = {}
        self.hids: dict[str, str] = {}
        self.households: dict[str, set[str]] = {}
        self.outbox: dict[str, bytes] = {}

    def outbox_entries(self) -> dict[str, bytes]:
        return dict(self.outbox)

    def outbox_done(self, entry: str) -> None:
        self.outbox.pop(entry, None)

    def snapshot(self, identity: list[str], household: list[str]) -> Snapshot:
        """As lua/read.lua: an identity member's household link is read only while its owner
        has no household."""
        owners = {m: self.ids.get(m) for m in identity + household}
        profiles: dict[str, Prof] = {}
        for pid in owners.values():
            if pid is not None and pid not in profiles:
                profiles[pid] = prof_from_fields(pid, self.meta.get(pid, {}))
        hids = {
            m: self.hids.get(m)
            for m in identity
            if (o := owners[m]) is None or profiles[o].hh is None
        }
        hids.update((m, self.hids.get(m)) for m in household)
        return Snapshot(owners, hids, profiles)

    def apply(self, mutations: Mutations) -> bool:
        if not all(self._holds(check) for check in mutations.checks):
            return False
        for op in mutations.ops:
            self._apply(op)
        return True

    def _holds(self, check: tuple[str, str, str]) -> bool:
        kind, key, expected = check
        if kind == "I":
            return self.ids.get(key, "") == expected
        if kind == "H":
            return self.hids.get(key, "") == expected
        return self.meta.get(key, {}).get("v", "") == expected

    def _apply(self, op: tuple[object, ...]) -> None:
        code = op[0]
        if code == "L":
            m, pid = str(op[1]), str(op[2])
            self.ids[m] = pid
            self.members.setdefault(pid, set()).add(m)
        elif code == "M":
            loser, survivor = str(op[1]), str(op[2])
            moved = self.members.pop(loser, set())
            for m in moved:
                self.ids[m] = survivor
            self.members.setdefault(survivor, set()).update(moved)
            self.meta.pop(loser, None)
            self.aliases[loser] = survivor
        elif code == "P":
            fields = op[2]
            assert isinstance(fields, dict)
            self.meta.setdefault(str(op[1]), {}).update(fields)
        elif code == "HL":
            self.hids[str(op[1])] = str(op[2])
        elif code == "HA":
            self.households.setdefault(str(op[1]), set()).add(str(op[2]))
        elif code == "HR":
            self.households.get(str(op[1]), set()).discard(str(op[2]))
        elif code == "O":
            assert isinstance(op[2], bytes)
            self.outbox[str(op[1])] = op[2]

    # -- reading the result ------------------------------------------------------------------
    def resolve_profile(self, pid: str) -> str:
        while pid in self.aliases:
            pid = self.aliases[pid]
        return pid

    def partition(self) -> set[frozenset[str]]:
        """Identifiers grouped by profile (ids do not matter, only who is with whom)."""
        return {frozenset(ms) for ms in self.members.values() if ms}

    def state(self) -> tuple[object, ...]:
        """Everything except versions: for 'replaying changes nothing' checks."""
        meta = {pid: {k: v for k, v in f.items() if k != "v"} for pid, f in self.meta.items()}
        return (
            dict(self.ids),
            {k: set(v) for k, v in self.members.items()},
            meta,
            dict(self.aliases),
            dict(self.hids),
            {k: set(v) for k, v in self.households.items() if v},
        )
