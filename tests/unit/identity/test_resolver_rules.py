"""Identity rules, one by one, on the pure resolver with the in-memory graph."""

from __future__ import annotations

import pytest

from schemas.errors import InvalidEvent
from streams.identity.model import profile_id_for
from streams.identity.rules import rules_from_dict
from tests.unit.identity.helpers import World, ev

EMAIL_A, EMAIL_B = ("email", "anna@web.de"), ("email", "ben@web.de")
CRM_1, CRM_2 = ("crm_id", "CRM-1"), ("crm_id", "CRM-2")
PHONE = ("phone", "+4915112345671")
COOKIE, DEVICE = ("cookie_id", "ck_1"), ("device_id", "dev_1")


def test_new_identifiers_create_one_profile_named_after_the_strongest() -> None:
    w = World()
    out = w.one(ev("e1", 100, EMAIL_A, CRM_1, COOKIE))
    assert out.profile_id == profile_id_for("crm_id:CRM-1")
    assert {w.owner(*i) for i in (EMAIL_A, CRM_1, COOKIE)} == {out.profile_id}
    assert [(c.kind, c.member) for c in w.changes] == [
        ("created", "crm_id:CRM-1"),
        ("linked", "email:anna@web.de"),
        ("linked", "cookie_id:ck_1"),
    ]
    assert all(c.event_id == "e1" for c in w.changes)


def test_known_identifiers_resolve_without_changes() -> None:
    w = World()
    first = w.one(ev("e1", 100, EMAIL_A, PHONE))
    w.changes.clear()
    assert w.one(ev("e2", 200, PHONE)).profile_id == first.profile_id
    assert w.changes == []


def test_merging_identifier_merges_two_profiles_earlier_first_seen_survives() -> None:
    w = World()
    late = w.one(ev("e1", 500, EMAIL_A)).profile_id
    early = w.one(ev("e2", 100, PHONE)).profile_id
    out = w.one(ev("e3", 900, EMAIL_A, PHONE))
    assert out.profile_id == early
    assert w.graph.resolve_profile(late) == early
    assert w.graph.partition() == {frozenset({"email:anna@web.de", "phone:+4915112345671"})}
    (merge,) = w.kinds("merged")
    assert (merge.profile_id, merge.from_profile_id, merge.event_id) == (early, late, "e3")
    assert merge.reason == "merging_identifier"


def test_survivor_tie_on_first_seen_is_the_smaller_id() -> None:
    w = World()
    a = w.one(ev("e1", 100, EMAIL_A)).profile_id
    b = w.one(ev("e2", 100, EMAIL_B)).profile_id
    out = w.one(ev("e3", 300, EMAIL_A, EMAIL_B))
    assert out.profile_id == min(a, b)


def test_out_of_order_event_moves_first_seen_back() -> None:
    w = World()
    pid = w.one(ev("e1", 500, EMAIL_A)).profile_id
    w.one(ev("e0", 50, EMAIL_A))
    assert w.graph.meta[pid]["fs"] == "50"


def test_shared_cookie_never_merges_two_known_customers() -> None:
    w = World()
    anna = w.one(ev("e1", 100, EMAIL_A, COOKIE)).profile_id
    out = w.one(ev("e2", 200, EMAIL_B, COOKIE))
    assert out.profile_id != anna
    assert w.owner(*COOKIE) == anna and w.owner(*EMAIL_B) == out.profile_id
    (refusal,) = w.kinds("refused")
    assert (refusal.reason, refusal.member, refusal.from_profile_id) == (
        "shared_identifier",
        "cookie_id:ck_1",
        anna,
    )
    assert w.kinds("merged") == []


def test_anonymous_profile_merges_into_the_known_customer_at_login() -> None:
    w = World()
    anon = w.one(ev("e1", 100, COOKIE)).profile_id
    w.one(ev("e2", 150, COOKIE, DEVICE))
    known = w.one(ev("e3", 200, EMAIL_A)).profile_id
    out = w.one(ev("e4", 300, EMAIL_A, COOKIE))
    assert out.profile_id == anon  # the anonymous profile was first seen earlier
    assert w.graph.resolve_profile(known) == anon
    assert w.graph.partition() == {
        frozenset({"cookie_id:ck_1", "device_id:dev_1", "email:anna@web.de"})
    }
    assert w.graph.meta[anon]["k"] == "1"
    assert [c.reason for c in w.kinds("merged")] == ["anonymous_profile"]


def test_cookie_of_a_known_customer_links_new_devices_but_not_new_emails() -> None:
    w = World()
    anna = w.one(ev("e1", 100, EMAIL_A, COOKIE)).profile_id
    assert w.one(ev("e2", 200, COOKIE, DEVICE)).profile_id == anna
    assert w.owner(*DEVICE) == anna


def test_limit_refuses_a_merge_and_the_stronger_identifier_wins() -> None:
    w = World()
    p1 = w.one(ev("e1", 100, CRM_1, EMAIL_A)).profile_id
    p2 = w.one(ev("e2", 200, CRM_2)).profile_id
    out = w.one(ev("e3", 300, CRM_2, EMAIL_A))  # a shared family address, two customers
    assert out.profile_id == p2
    assert w.owner(*EMAIL_A) == p1
    (refusal,) = w.kinds("refused")
    assert (refusal.reason, refusal.profile_id, refusal.from_profile_id) == (
        "limit_reached",
        p2,
        p1,
    )


def test_new_strong_identifier_beats_a_weaker_one_on_a_full_profile() -> None:
    w = World()
    p1 = w.one(ev("e1", 100, CRM_1, EMAIL_A)).profile_id
    out = w.one(ev("e2", 200, EMAIL_A, CRM_2))
    assert out.profile_id == profile_id_for("crm_id:CRM-2") != p1
    assert w.owner(*EMAIL_A) == p1


def test_limit_refuses_a_link_past_max_per_profile() -> None:
    rules = rules_from_dict(
        {
            "identifiers": {
                "crm_id": {"merge": True, "max_per_profile": 1, "priority": 100},
                "email": {"merge": True, "max_per_profile": 2, "priority": 40},
            }
        }
    )
    w = World(rules)
    pid = w.one(ev("e1", 100, CRM_1, ("email", "a@x.de"), ("email", "b@x.de"))).profile_id
    out = w.one(ev("e2", 200, CRM_1, ("email", "c@x.de")))
    assert out.profile_id == pid
    assert w.owner("email", "c@x.de") is None
    assert [c.reason for c in w.kinds("refused")] == ["limit_reached"]


@pytest.mark.parametrize(
    "blocked",
    [
        ("email", "test@test.com"),
        ("phone", "+490000000000"),
        ("crm_id", "unknown"),
        ("customer_number", "N/A"),
        ("email", "noreply7@shop.de"),
        ("phone", "+491111111111"),
        ("loyalty_card", "000000"),
        ("email", "max@example.com"),
    ],
)
def test_blocked_values_never_link(blocked: tuple[str, str]) -> None:
    w = World()
    a = w.one(ev("e1", 100, EMAIL_A, blocked))
    b = w.one(ev("e2", 200, EMAIL_B, blocked))
    assert a.profile_id != b.profile_id
    assert w.owner(*blocked) is None
    assert [c.reason for c in w.kinds("refused")] == ["blocked_value", "blocked_value"]


def test_events_without_usable_identifiers_are_invalid() -> None:
    w = World()
    with pytest.raises(InvalidEvent) as blocked:
        w.one(ev("e1", 1, ("email", "test@test.com"), ("crm_id", "null")))
    assert blocked.value.reason == "blocked_identifiers_only"
    with pytest.raises(InvalidEvent) as none:
        w.one(ev("e2", 1))
    assert none.value.reason == "no_usable_identifier"
    with pytest.raises(InvalidEvent) as address_only:
        w.one(ev("e3", 1, ("address_key", "hauptstr 1 10115 berlin")))
    assert address_only.value.reason == "no_usable_identifier"


def test_replaying_an_event_changes_nothing() -> None:
    w = World()
    events = [
        ev("e1", 100, COOKIE),
        ev("e2", 200, EMAIL_A, COOKIE, ("address_key", "x 1")),
        ev("e3", 300, CRM_2, EMAIL_A),
        ev("e4", 50, EMAIL_B, COOKIE),
    ]
    first = w.batch(*events)
    state = w.graph.state()
    w.changes.clear()
    parsed = [w.extractor.parse(e) for e in events]
    from streams.identity.extract import members_of
    from streams.identity.resolver import resolve_batch

    again, mutations, _ = resolve_batch(w.rules, w.graph.snapshot(*members_of(parsed)), parsed)
    assert mutations.ops == []
    assert [o.profile_id for o in again] == [w.graph.resolve_profile(o.profile_id) for o in first]
    w.batch(*events)
    assert w.graph.state() == state


def test_alias_chains_resolve_to_the_final_survivor_and_identifiers_move() -> None:
    w = World()
    c = w.one(ev("e1", 100, ("email", "c@x.de"))).profile_id
    b = w.one(ev("e2", 200, ("email", "b@x.de"))).profile_id
    a = w.one(ev("e3", 300, ("email", "a@x.de"))).profile_id
    w.one(ev("e4", 400, ("email", "a@x.de"), ("email", "b@x.de")))  # a -> b
    w.one(ev("e5", 500, ("email", "b@x.de"), ("email", "c@x.de")))  # b -> c
    assert w.graph.resolve_profile(a) == w.graph.resolve_profile(b) == c
    assert {w.owner("email", x) for x in ("a@x.de", "b@x.de", "c@x.de")} == {c}
    assert w.graph.members[c] == {"email:a@x.de", "email:b@x.de", "email:c@x.de"}
    assert a not in w.graph.meta and b not in w.graph.meta


def test_one_batch_equals_one_event_per_batch() -> None:
    events = [
        ev("e1", 100, COOKIE),
        ev("e2", 200, EMAIL_A, COOKIE),
        ev("e3", 50, PHONE),
        ev("e4", 300, PHONE, EMAIL_A),
        ev("e5", 400, CRM_1, PHONE),
        ev("e6", 10, CRM_2, PHONE),
    ]
    together, apart = World(), World()
    out1 = together.batch(*events)
    out2 = [apart.one(e) for e in events]
    assert out1 == out2
    assert together.graph.state() == apart.graph.state()
    assert together.changes == apart.changes
