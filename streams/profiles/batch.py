"""Plan one batch (pure): dedup, drop erased, fold per survivor profile, in arrival order.

Input: decoded resolved touchpoints, what Redis said in the read round trip (seen event ids,
survivor of each profile id, erased profiles, erased identifier digests, current states).
Output: the new states, the event ids to mark seen, digests to lift, and counted outcomes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from streams.profiles.fold import fold
from streams.profiles.state import State
from streams.profiles.suppression import digests, lifts_suppression


@dataclass
class Snapshot:
    seen: set[str]
    survivor: dict[str, str]  # profile id -> survivor (itself when not merged)
    erased: set[str]  # erased survivor ids
    erased_ids: set[str]  # erased identifier digests
    states: dict[str, State]


@dataclass
class Plan:
    states: dict[str, State] = field(default_factory=dict)  # only changed profiles
    seen: list[str] = field(default_factory=list)
    lift: set[str] = field(default_factory=set)
    outcomes: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[dict[str, Any], str]] = field(default_factory=list)


def plan(events: list[dict[str, Any]], snap: Snapshot) -> Plan:
    out = Plan()
    done: set[str] = set(snap.seen)
    for event in events:
        out.outcomes[step(event, snap, out, done)] += 1
    return out


def step(event: dict[str, Any], snap: Snapshot, out: Plan, done: set[str]) -> str:
    tp = event["touchpoint"]
    eid = tp["event_id"]
    if eid in done:
        return "duplicate"
    pid = snap.survivor.get(event["profile_id"], event["profile_id"])
    if pid in snap.erased:
        return "erased_profile"
    if snap.erased_ids:
        suppressed = set(digests(tp)) & snap.erased_ids - out.lift
        if suppressed and not lifts_suppression(tp):
            return "erased_identifier"
        out.lift |= suppressed
    try:
        new = fold(out.states.get(pid, snap.states.get(pid, {})), event)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        out.failed.append((event, f"{type(exc).__name__}: {exc}"))
        return "failed"
    out.states[pid] = new
    done.add(eid)
    out.seen.append(eid)
    return "applied"
