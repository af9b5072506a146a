"""Invariants of identity resolution (hypothesis).

(a) For events whose identifiers hit no limit, the final partition of identifiers into profiles
    does not depend on arrival order (nor on how events are cut into batches).
(b) Replaying events (same event_id) changes nothing.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.identity.model import member
from tests.unit.identity.helpers import World, ev

MERGE_TYPES = ("email", "phone", "crm_id", "loyalty_card")
ATTACH_TYPES = ("cookie_id", "device_id")


@st.composite
def people(draw: Any) -> list[dict[str, list[tuple[str, str]]]]:
    """Up to 5 people with disjoint identifiers inside every limit of rules.yaml."""
    out = []
    for p in range(draw(st.integers(1, 5))):
        merge = [("crm_id", f"crm{p}")] if draw(st.booleans()) else []
        merge += [("email", f"e{p}x{k}@mail.de") for k in range(draw(st.integers(0, 2)))]
        merge += [("phone", f"+49151{p:04d}{k:04d}") for k in range(draw(st.integers(0, 2)))]
        if not merge:
            merge = [("email", f"only{p}@mail.de")]
        attach = [("cookie_id", f"ck{p}x{k}") for k in range(draw(st.integers(0, 3)))]
        attach += [("device_id", f"dv{p}")] if draw(st.booleans()) else []
        out.append({"merge": merge, "attach": attach})
    return out


@st.composite
def scenario(draw: Any, full_events: bool = True) -> list[dict[str, Any]]:
    persons = draw(people())
    events: list[dict[str, Any]] = []
    for p, person in enumerate(persons):
        ids = person["merge"] + person["attach"]
        if full_events:  # every person logs in once with all their deterministic identifiers
            events.append(ev(f"full{p}", draw(st.integers(0, 10**6)), *person["merge"]))
        for k in range(draw(st.integers(1, 6))):
            chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))
            events.append(ev(f"ev{p}-{k}", draw(st.integers(0, 10**6)), *chosen))
    return draw(st.permutations(events))


def partition(events: list[dict[str, Any]], batch: int = 1) -> set[frozenset[str]]:
    w = World()
    for i in range(0, len(events), batch):
        w.batch(*events[i : i + batch])
    return w.graph.partition()


def expected_partition(events: list[dict[str, Any]]) -> set[frozenset[str]]:
    """Union-find over co-occurrence: each person's identifiers that appear together."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for e in events:
        ms = [member(i["type"], i["value"]) for i in e["identifiers"]]
        for m in ms[1:]:
            parent[find(m)] = find(ms[0])
        find(ms[0])
    groups: dict[str, set[str]] = {}
    for m in parent:
        groups.setdefault(find(m), set()).add(m)
    return {frozenset(g) for g in groups.values()}


@settings(max_examples=150, deadline=None)
@given(scenario(), st.randoms(use_true_random=False), st.integers(1, 7))
def test_partition_does_not_depend_on_arrival_order(
    events: list[dict[str, Any]], rnd: Any, batch: int
) -> None:
    shuffled = list(events)
    rnd.shuffle(shuffled)
    expected = expected_partition(events)
    assert partition(events) == expected
    assert partition(shuffled, batch) == expected


@settings(max_examples=100, deadline=None)
@given(scenario(full_events=False), st.randoms(use_true_random=False))
def test_partition_of_deterministic_identifiers_never_depends_on_order(
    events: list[dict[str, Any]], rnd: Any
) -> None:
    """Without a login that ties all of a person's identifiers together, cookies may stay where
    they first landed, but the deterministic identifiers always group the same way."""
    shuffled = list(events)
    rnd.shuffle(shuffled)

    def deterministic(parts: set[frozenset[str]]) -> set[frozenset[str]]:
        kept = {frozenset(m for m in p if m.split(":")[0] in MERGE_TYPES) for p in parts}
        return {p for p in kept if p}

    assert deterministic(partition(events)) == deterministic(partition(shuffled, 3))


@settings(max_examples=100, deadline=None)
@given(scenario(full_events=False), st.integers(1, 5), st.data())
def test_replaying_events_changes_nothing(
    events: list[dict[str, Any]], batch: int, data: Any
) -> None:
    w = World()
    for i in range(0, len(events), batch):
        w.batch(*events[i : i + batch])
    state = w.graph.state()
    replay = data.draw(st.lists(st.sampled_from(events), min_size=1, max_size=len(events)))
    before = len(w.changes)
    w.batch(*replay)
    assert w.graph.state() == state
    assert {c.kind for c in w.changes[before:]} <= {"refused"}  # refusals are re-reported
