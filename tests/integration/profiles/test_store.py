"""The profile processor on real Redis (and Kafka for dead letters): traits vs recomputation,
late events, replays, merges, bad input."""

from __future__ import annotations

from collections import Counter
from typing import Any

from confluent_kafka import Consumer

from core import topics
from core.keys import Keys
from core.settings import Settings
from schemas import catalogue
from schemas.serde import Codec
from streams.profiles import traits
from streams.profiles.fold import fold_all
from tests.integration.profiles import helpers as h
from tests.unit.profiles.events import DAY, T0, resolved, tp


def sample_events(pid: str = "p1") -> list[dict[str, Any]]:
    evs = [
        tp("order_placed", T0, amount=10.5, attributes={"first_name": "Ann"}),
        tp("order_placed", T0 + DAY, amount=20.25, source="pos"),
        tp(
            "invoice_issued",
            T0,
            source="billing",
            invoice_id="i1",
            amount=30.0,
            due_date=T0 // DAY + 10,
        ),
        tp(
            "payment_received",
            T0 + 4 * DAY,
            source="billing",
            invoice_id="i1",
            amount=30.0,
            paid_date=T0 // DAY + 4,
        ),
        tp(
            "complaint_opened",
            T0 + 2 * DAY,
            source="contact_centre",
            complaint_id="c1",
            department="service",
        ),
        tp(
            "call",
            T0 + 3 * DAY,
            source="contact_centre",
            direction="outbound",
            channel="phone",
            outcome="rejected",
            purpose="cross_sell",
            department="sales",
        ),
        tp(
            "call",
            T0 + 3 * DAY + 600_000,
            source="contact_centre",
            direction="inbound",
            channel="phone",
        ),
        tp("page_view", T0 + 5 * DAY, source="web", page="/home"),
        tp("document_view", T0 + 6 * DAY, source="web", document="terms.pdf"),
    ]
    return [resolved(e, pid, "h1") for e in evs]


def test_traits_match_a_recomputation(settings: Settings) -> None:
    h.ensure_topics(settings)
    events = sample_events()
    out = h.fold(settings, events[:4])
    out2 = h.fold(settings, events[4:])
    assert out["applied"] + out2["applied"] == len(events)
    s = h.state(settings, "p1")
    assert s == fold_all({}, events)
    tps = [e["touchpoint"] for e in events]
    orders = [t for t in tps if t["event_type"] in ("order_placed", "pos_purchase")]
    assert traits.orders(s)["count"] == len(orders)
    assert traits.orders(s)["revenue"] == sum(t["amount"] for t in orders)
    assert s["fs"] == min(t["event_time"] for t in tps)
    assert s["ls"] == max(t["event_time"] for t in tps)
    assert traits.payments(s, T0)["average_days_to_pay"] == 4
    assert traits.complaints(s)["open"] == 1
    assert traits.communication(s)["calls"] == {"inbound": 1, "outbound": 1, "rejected": 1}
    assert traits.response_time_ms(s) == 600_000
    assert traits.web(s)["visits"] == 2
    assert set(s["sr"]) == {t["source_system"] for t in tps}
    size = h.sync_redis(settings).memory_usage(Keys(settings.redis_prefix).profile("p1"))
    assert size < 2048


def test_late_event_leaves_the_newer_value(settings: Settings) -> None:
    h.fold(settings, [resolved(tp("profile_updated", T0 + DAY, attributes={"city": "Berlin"}))])
    h.fold(
        settings,
        [
            resolved(
                tp("profile_updated", T0, attributes={"city": "Bonn", "birth_date": "1990-01-01"})
            )
        ],
    )
    h.fold(
        settings,
        [resolved(tp("profile_updated", T0 + 2 * DAY, attributes={"birth_date": "1991-01-01"}))],
    )
    attrs = traits.attributes(h.state(settings, "p1"))
    assert attrs == {"city": "Berlin", "birth_date": "1990-01-01"}


def test_a_replay_changes_nothing(settings: Settings) -> None:
    events = sample_events()
    h.fold(settings, events)
    before = h.raw_profile(settings, "p1")
    out = h.fold(settings, events + events[:3])
    assert out.get("applied", 0) == 0 and out["duplicate"] == len(events) + 3
    assert h.raw_profile(settings, "p1") == before


def test_duplicates_within_one_batch_count_once(settings: Settings) -> None:
    e = resolved(tp("order_placed", T0, amount=5.0))
    out = h.fold(settings, [e, e, e])
    assert out == Counter(applied=1, duplicate=2) | {"dead_lettered": 0}
    assert h.state(settings, "p1")["o"]["n"] == 1


def test_a_merge_combines_states_once_and_aliases(settings: Settings) -> None:
    a, b = sample_events("pA")[:4], sample_events("pB")[4:]
    h.fold(settings, a + b)
    expected = fold_all({}, [dict(e, profile_id="pA") for e in a + b])
    assert h.merge(settings, "pA", "pB") == {"merged": 1, "dead_lettered": 0}
    merged = h.state(settings, "pA")
    assert merged == {**expected, "mg": ["pB"]}
    assert h.raw_profile(settings, "pB") is None
    assert h.merge(settings, "pA", "pB")["duplicate"] == 1
    assert h.merge(settings, "pA", "pB", change_id="c2")["merged"] == 1  # new id: nothing left
    assert h.state(settings, "pA") == merged
    late = resolved(tp("order_placed", T0 + 9 * DAY, amount=1.0), "pB")
    h.fold(settings, [late])  # an event for the merged-away id folds into the survivor
    assert traits.orders(h.state(settings, "pA"))["count"] == 3
    assert h.raw_profile(settings, "pB") is None


def test_merges_in_one_batch_equal_the_same_merges_one_by_one(settings: Settings) -> None:
    """A chain (b -> a, then a -> c), a duplicate change_id and a cycle in one changes batch:
    the same states, aliases and outcomes as sending each change in its own batch."""
    events = sample_events("pA")[:3] + sample_events("pB")[3:6] + sample_events("pC")[6:9]
    batch = [
        h.change("pA", "pB", "m1"),
        h.change("pC", "pA", "m2"),
        h.change("pC", "pA", "m2"),  # the same change again
        h.change("pB", "pC", "m3"),  # pB resolves to pC: a cycle
    ]
    one = settings.model_copy(update={"redis_prefix": settings.redis_prefix + "-one"})
    h.fold(settings, events)
    h.fold(one, events)
    assert h.merges(settings, batch) == {
        "merged": 2,
        "duplicate": 1,
        "cycle": 1,
        "dead_lettered": 0,
    }
    outcomes: Counter[str] = Counter()
    for c in batch:
        outcomes.update({k: v for k, v in h.merges(one, [c]).items() if v})
    assert outcomes == Counter(merged=2, duplicate=1, cycle=1)
    expected = fold_all({}, [dict(e, profile_id="pC") for e in events])
    for s in (settings, one):
        assert sorted(h.state(s, "pC")["mg"]) == ["pA", "pB"]
        assert traits.orders(h.state(s, "pC")) == traits.orders(expected)
        assert h.raw_profile(s, "pA") is None and h.raw_profile(s, "pB") is None
        late = resolved(tp("order_placed", T0 + 9 * DAY, amount=1.0), "pB")
        h.fold(s, [late])  # pB -> pA -> pC
        assert traits.orders(h.state(s, "pC"))["count"] == traits.orders(expected)["count"] + 1
    assert h.state(settings, "pC") == h.state(one, "pC")


def test_a_merge_the_identity_worker_already_aliased_moves_the_state(settings: Settings) -> None:
    """The identity worker writes the alias pB -> pA when it merges, before this worker reads
    the change: pB's state folded earlier still moves into pA, and nothing keeps conflicting."""
    a, b = sample_events("pA")[:4], sample_events("pB")[4:]
    h.fold(settings, a + b)
    keys, r = Keys(settings.redis_prefix), h.sync_redis(settings)
    r.set(keys.alias("pB"), "pA")
    expected = fold_all({}, [dict(e, profile_id="pA") for e in a + b])
    assert h.merge(settings, "pA", "pB") == {"merged": 1, "dead_lettered": 0}
    assert h.state(settings, "pA") == {**expected, "mg": ["pB"]}
    assert h.raw_profile(settings, "pB") is None
    assert r.get(keys.alias("pB")) == b"pA"


def test_a_merge_into_a_long_alias_chain_reaches_its_end(settings: Settings) -> None:
    """q0 -> q1 -> ... -> q40 (longer than the hops one read follows): merging pX into q0
    folds pX into q40, and pX then resolves to q40."""
    h.fold(settings, sample_events("q40")[:2] + sample_events("pX")[2:4])
    keys, r = Keys(settings.redis_prefix), h.sync_redis(settings)
    r.mset({keys.alias(f"q{i}"): f"q{i + 1}" for i in range(40)})
    assert h.merge(settings, "q0", "pX", change_id="long") == {"merged": 1, "dead_lettered": 0}
    assert h.state(settings, "q40")["mg"] == ["pX"]
    assert r.get(keys.alias("pX")) == b"q40"
    assert h.raw_profile(settings, "pX") is None
    before = traits.orders(h.state(settings, "q40"))["count"]
    h.fold(settings, [resolved(tp("order_placed", T0 + 9 * DAY, amount=1.0), "q0")])
    assert traits.orders(h.state(settings, "q40"))["count"] == before + 1
    assert h.raw_profile(settings, "q16") is None  # nothing stopped part-way along the chain


def test_bad_input_goes_to_the_dead_letter_topic(
    settings: Settings, consumer_config: dict[str, object]
) -> None:
    h.ensure_topics(settings)
    from streams.profiles.worker import Message

    good = resolved(tp("order_placed", T0, amount=5.0))
    msgs = [Message(b"garbage!", "t", 0, 7), Message(h.RESOLVED.encode(good), "t", 0, 8)]
    out = h.run(settings, lambda p: p.resolved_batch(msgs))
    assert out["applied"] == 1 and out["dead_lettered"] == 1
    consumer = Consumer(consumer_config)
    consumer.subscribe([h.topic(settings, topics.DEAD_LETTERS)])
    try:
        msg = None
        for _ in range(40):
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                break
        assert msg is not None
        record = Codec(catalogue.DEAD_LETTER).decode(msg.value())
        assert record["stage"] == "profiles" and record["reason"] == "malformed_avro"
        assert record["offset"] == 7 and record["payload"] == b"garbage!"
    finally:
        consumer.close()
