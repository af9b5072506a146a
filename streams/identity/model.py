"""Plain data shared by the resolver and the graph stores (pure).

A *member* is one identifier written as ``"type:value"``; it is both the identifier's key in the
graph and the element of a profile's member set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import NamedTuple

from streams.identity.rules import IdRule


def member(id_type: str, value: str) -> str:
    return f"{id_type}:{value}"


def split_member(m: str) -> tuple[str, str]:
    id_type, _, value = m.partition(":")
    return id_type, value


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def profile_id_for(creating_member: str) -> str:
    """Deterministic: replays and racing workers name a new profile the same way."""
    return "p" + _digest(creating_member)


def household_id_for(first_link: str) -> str:
    return "h" + _digest(first_link)


class Prof:
    """One profile's graph meta: first-seen event time, known flag, household, version, and the
    number of identifiers it holds per type (for the limits)."""

    __slots__ = ("pid", "fs", "known", "hh", "v", "counts", "virtual", "members")

    def __init__(
        self, pid: str, fs: int, known: bool, hh: str | None, v: int, counts: dict[str, int]
    ) -> None:
        self.pid, self.fs, self.known, self.hh, self.v, self.counts = pid, fs, known, hh, v, counts
        self.virtual = False
        self.members: list[str] = []  # only for a virtual (not yet created) profile

    def copy(self) -> Prof:
        return Prof(self.pid, self.fs, self.known, self.hh, self.v, dict(self.counts))

    def as_tuple(self) -> tuple[str, int, bool, str | None, tuple[tuple[str, int], ...]]:
        """Everything but the version (for comparing graph states in tests)."""
        return (self.pid, self.fs, self.known, self.hh, tuple(sorted(self.counts.items())))

    def meta_fields(self) -> dict[str, str]:
        fields = {"fs": str(self.fs), "k": "1" if self.known else "0", "v": str(self.v)}
        if self.hh is not None:
            fields["hh"] = self.hh
        for id_type, n in self.counts.items():
            fields["n:" + id_type] = str(n)
        return fields


def prof_from_fields(pid: str, fields: dict[str, str]) -> Prof:
    counts = {k[2:]: int(v) for k, v in fields.items() if k.startswith("n:")}
    return Prof(
        pid,
        int(fields.get("fs", 0)),
        fields.get("k") == "1",
        fields.get("hh") or None,
        int(fields.get("v", 0)),
        counts,
    )


@dataclass
class Snapshot:
    """The graph state a batch needs: owner and household link of every member it mentions
    (None = absent) and the meta of every profile those members belong to."""

    owners: dict[str, str | None]
    hids: dict[str, str | None]
    profiles: dict[str, Prof]


@dataclass
class Mutations:
    """Checks (what the batch read must still hold) and ops, applied atomically or not at all.

    checks: ("I", member, owner or "") | ("H", member, household or "") | ("V", pid, version or "")
    ops:    ("L", member, pid)            link an identifier
            ("M", loser, survivor)        merge: re-point the loser's identifiers, alias it
            ("P", pid, {field: value})    write profile meta (absolute values)
            ("HL", member, household)     household link of an address / related identifier
            ("HA", household, pid) / ("HR", household, pid)  household membership
            ("O", entry id, blob)        the batch's encoded identity changes, kept until published
    """

    checks: list[tuple[str, str, str]] = field(default_factory=list)
    ops: list[tuple[object, ...]] = field(default_factory=list)


class Parsed(NamedTuple):
    """What identity needs from one touchpoint, extracted once per event."""

    event_id: str
    event_time: int
    ids: tuple[tuple[int, str, IdRule], ...]  # (-priority, member, rule), strongest first
    blocked: tuple[str, ...]
    hh_keys: tuple[str, ...]  # household-only identifiers (address_key)
    relations: tuple[tuple[str, str], ...]  # (member of the related person, relation kind)


class Change(NamedTuple):
    kind: str  # created | linked | merged | refused | household_linked
    profile_id: str
    from_profile_id: str | None
    member: str | None
    household_id: str | None
    reason: str
    event_id: str
    event_time: int


class Outcome(NamedTuple):
    profile_id: str
    household_id: str | None
