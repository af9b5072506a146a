"""Household links: same household, never the same profile."""

from __future__ import annotations

from tests.unit.identity.helpers import World, ev

ADDRESS = ("address_key", "hauptstr 1 10115 berlin")
OTHER_ADDRESS = ("address_key", "ringweg 9 80331 muenchen")


def test_shared_address_puts_two_people_in_one_household_without_merging() -> None:
    w = World()
    anna = w.one(ev("e1", 100, ("crm_id", "C1"), ADDRESS))
    ben = w.one(ev("e2", 200, ("crm_id", "C2"), ADDRESS))
    assert anna.profile_id != ben.profile_id
    assert anna.household_id == ben.household_id is not None
    assert w.graph.households[anna.household_id] == {anna.profile_id, ben.profile_id}
    assert [c.reason for c in w.kinds("household_linked")] == ["address_key", "address_key"]
    assert w.kinds("merged") == []


def test_relation_links_the_related_person_into_the_household() -> None:
    w = World()
    wife = w.one(ev("e1", 100, ("policy_number", "POL-1"), ADDRESS))
    husband = w.one(ev("e2", 200, ("email", "ben@web.de")))
    assert husband.household_id is None
    w.one(
        ev("e3", 300, ("policy_number", "POL-1"), rel=(("insured_driver", "email", "ben@web.de"),))
    )
    assert w.graph.meta[husband.profile_id]["hh"] == wife.household_id
    linked = w.kinds("household_linked")[-1]
    assert (linked.profile_id, linked.from_profile_id, linked.reason) == (
        husband.profile_id,
        wife.profile_id,
        "insured_driver",
    )


def test_relation_to_a_person_not_seen_yet_is_honoured_when_they_appear() -> None:
    w = World()
    payer_side = w.one(ev("e1", 100, ("crm_id", "C2"), rel=(("payer", "billing_account", "BA1"),)))
    payer = w.one(ev("e2", 200, ("crm_id", "C1"), ("billing_account", "BA1")))
    assert payer.household_id == payer_side.household_id is not None
    assert payer.profile_id != payer_side.profile_id


def test_households_never_merge() -> None:
    w = World()
    first = w.one(ev("e1", 100, ("crm_id", "C1"), ADDRESS))
    moved = w.one(ev("e2", 200, ("crm_id", "C1"), OTHER_ADDRESS))
    assert moved.household_id == first.household_id
    neighbour = w.one(ev("e3", 300, ("crm_id", "C9"), OTHER_ADDRESS))
    assert neighbour.household_id != first.household_id  # the mover does not bring them in
    other = w.one(ev("e4", 400, ("crm_id", "C7"), ("address_key", "dorfstr 3")))
    w.one(ev("e5", 500, ("crm_id", "C7"), rel=(("spouse", "crm_id", "C1"),)))
    assert w.graph.meta[first.profile_id]["hh"] == first.household_id
    assert w.graph.meta[other.profile_id]["hh"] == other.household_id != first.household_id


def test_a_merge_keeps_the_household() -> None:
    w = World()
    anon_hh = w.one(ev("e1", 100, ("email", "a@x.de"), ADDRESS))
    other = w.one(ev("e2", 50, ("phone", "+4915112345671")))
    out = w.one(ev("e3", 300, ("email", "a@x.de"), ("phone", "+4915112345671")))
    assert out.profile_id == other.profile_id
    assert out.household_id == anon_hh.household_id
    assert w.graph.households[anon_hh.household_id] == {other.profile_id}
