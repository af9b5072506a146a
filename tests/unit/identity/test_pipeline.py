"""The identity processor's batch flow with in-memory graph and producer (no network)."""

from __future__ import annotations

from typing import Any

import pytest

from core.clock import fixed_clock
from schemas import catalogue
from schemas.registry import LocalCatalogue
from schemas.serde import Codec
from streams.common.messages import RawMessage
from streams.common.retry import retry_outages
from streams.identity.dlq import DeadLetterLimitExceeded, DlqLimit
from streams.identity.memory_graph import MemoryGraph
from streams.identity.model import Change
from streams.identity.pipeline import IdentityProcessor, Topics
from streams.identity.rules import default_rules
from streams.identity.wire import ResolvedEncoder, change_record
from tests.unit.kafka_fakes import FakeKafkaProducer

TOPICS = Topics("resolved", "changes", "dead")
TOUCHPOINT = Codec(catalogue.TOUCHPOINT)


def touchpoint(
    event_id: str, *ids: tuple[str, str], t: int = 1_700_000_000_000, **extra: Any
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_type": "login",
        "source_system": "web",
        "event_time": t,
        "received_time": t,
        "identifiers": [{"type": a, "value": b} for a, b in ids],
        **extra,
    }


def message(tp: dict[str, Any] | bytes, offset: int = 0) -> RawMessage:
    value = tp if isinstance(tp, bytes) else TOUCHPOINT.encode(tp)
    return RawMessage(value, "touchpoints", 1, offset)


def processor(producer: Any, graph: Any = None, ratio: float = 0.5) -> IdentityProcessor:
    return IdentityProcessor(
        rules=default_rules(),
        store=graph or MemoryGraph(),
        producer=producer,
        topics=TOPICS,
        source=LocalCatalogue(),
        clock=fixed_clock(42),
        dlq_max_ratio=ratio,
        sleep=lambda _: None,
    )


def test_resolved_touchpoint_fast_path_equals_a_full_encode() -> None:
    from schemas.registry import LocalCatalogue

    encoder = ResolvedEncoder(LocalCatalogue())
    tp = TOUCHPOINT.decode(
        TOUCHPOINT.encode(
            touchpoint("e1", ("email", "a@b.de"), amount=3.5, attributes={"city": "Köln"})
        )
    )
    raw = TOUCHPOINT.encode(tp)
    for hh in (None, "h123"):
        fast = encoder.encode(raw, tp, "p1", hh, 1234)
        slow = encoder.codec.encode(
            {"touchpoint": tp, "profile_id": "p1", "household_id": hh, "resolved_time": 1234}
        )
        assert fast == slow
        assert encoder.codec.decode(fast)["touchpoint"] == tp


def test_change_records_are_valid_avro_with_stable_ids() -> None:
    codec = Codec(catalogue.IDENTITY_CHANGE)
    change = Change("merged", "p1", "p2", "email:a@b.de", None, "merging_identifier", "e1", 5)
    record = change_record(change, 9)
    assert codec.decode(codec.encode(record)) == record
    assert record["identifier"] == {"type": "email", "value": "a@b.de"}
    assert change_record(change, 10)["change_id"] == record["change_id"]


def test_batch_publishes_resolved_changes_and_dead_letters() -> None:
    producer = FakeKafkaProducer()
    stats = processor(producer).process(
        [
            message(touchpoint("e1", ("email", "a@b.de"), ("cookie_id", "c1")), 0),
            message(b"\x00\x00\x01\x86\x9fgarbage", 1),
            message(b"not avro at all", 2),
            message(touchpoint("e2", ("email", "test@test.com")), 3),
            message(touchpoint("e3", ("cookie_id", "c1")), 4),
        ]
    )
    assert (stats.received, stats.resolved, stats.dead_lettered) == (5, 2, 3)
    by_topic: dict[str, list[Any]] = {}
    for m in producer.delivered:
        by_topic.setdefault(m.topic(), []).append(m)
    resolved = [Codec(catalogue.RESOLVED).decode(m.value()) for m in by_topic["resolved"]]
    assert [r["touchpoint"]["event_id"] for r in resolved] == ["e1", "e3"]
    assert resolved[0]["profile_id"] == resolved[1]["profile_id"]
    assert [m.key() for m in by_topic["resolved"]] == [resolved[0]["profile_id"].encode()] * 2
    dead = [Codec(catalogue.DEAD_LETTER).decode(m.value()) for m in by_topic["dead"]]
    assert [(d["reason"], d["offset"], d["partition"], d["topic"]) for d in dead] == [
        ("unknown_schema_id", 1, 1, "touchpoints"),
        ("malformed_avro", 2, 1, "touchpoints"),
        ("blocked_identifiers_only", 3, 1, "touchpoints"),
    ]
    assert dead[1]["payload"] == b"not avro at all"
    assert dead[2]["event_id"] == "e2"
    changes = [Codec(catalogue.IDENTITY_CHANGE).decode(m.value()) for m in by_topic["changes"]]
    assert [c["kind"] for c in changes] == ["created", "linked"]


def test_dead_letter_limit_stops_before_anything_is_published() -> None:
    producer = FakeKafkaProducer()
    proc = processor(producer, ratio=0.5)
    with pytest.raises(DeadLetterLimitExceeded):
        proc.process([message(b"junk", i) for i in range(300)])
    assert producer.delivered == [] and producer.queue == []


def test_dead_letter_limit_ignores_small_samples_and_rolls() -> None:
    limit = DlqLimit(0.5, window=1000, min_events=200)
    limit.check(1, 1)
    limit.check(150, 100)  # 101 of 151: too few events to judge
    for _ in range(20):
        limit.check(100, 10)  # the early bad batch rolls out of the window
    with pytest.raises(DeadLetterLimitExceeded):
        limit.check(1000, 900)


def test_graph_conflict_resolves_the_batch_again() -> None:
    class Racing(MemoryGraph):
        """Another worker links the same identifier between our read and our write, once."""

        def __init__(self) -> None:
            super().__init__()
            self.raced = False

        def apply(self, mutations: Any) -> bool:
            if not self.raced:
                self.raced = True
                self.ids["email:a@b.de"] = "pOTHER"
                self.members["pOTHER"] = {"email:a@b.de"}
                self.meta["pOTHER"] = {"fs": "1", "k": "1", "v": "1", "n:email": "1"}
            return super().apply(mutations)

    graph = Racing()
    producer = FakeKafkaProducer()
    processor(producer, graph).process(
        [message(touchpoint("e1", ("email", "a@b.de"), ("phone", "+4915112345678")))]
    )
    resolved = Codec(catalogue.RESOLVED).decode(producer.delivered[0].value())
    assert resolved["profile_id"] == "pOTHER"
    assert graph.members["pOTHER"] == {"email:a@b.de", "phone:+4915112345678"}


def test_outages_are_retried_with_backoff() -> None:
    calls, sleeps = [], []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 4:
            raise ConnectionError("down")
        return "ok"

    assert retry_outages(flaky, (ConnectionError,), what="x", sleep=sleeps.append) == "ok"
    assert sleeps == [0.1, 0.2, 0.4]
    with pytest.raises(ValueError):
        retry_outages(lambda: int("x"), (ConnectionError,), what="x", sleep=sleeps.append)


def test_publish_failure_is_retried_as_an_outage() -> None:
    class FailOnce(FakeKafkaProducer):
        def __init__(self) -> None:
            super().__init__(fail="_TRANSPORT")

        def flush(self, timeout: float = 0.0) -> int:
            left = super().flush(timeout)
            self.fail = None
            return left

    producer = FailOnce()
    processor(producer).process([message(touchpoint("e1", ("email", "a@b.de")))])
    assert [m.topic() for m in producer.delivered] == ["resolved", "changes"]


def test_events_of_erased_people_are_dropped_until_a_new_consent() -> None:
    from core.suppression import digest

    erased = {digest("email", "gone@b.de")}
    producer = FakeKafkaProducer()
    proc = IdentityProcessor(
        rules=default_rules(),
        store=MemoryGraph(),
        producer=producer,
        topics=TOPICS,
        source=LocalCatalogue(),
        clock=fixed_clock(42),
        dlq_max_ratio=0.5,
        sleep=lambda _: None,
        erased=lambda wanted: erased & set(wanted()),
    )
    consent = {"event_type": "consent_changed", "consent_state": "granted"}
    stats = proc.process(
        [
            message(touchpoint("e1", ("email", "gone@b.de"), ("crm_id", "C9")), 0),
            message(touchpoint("e2", ("email", "kept@b.de")), 1),
            message(touchpoint("e3", ("email", "gone@b.de"), **consent), 2),
        ]
    )
    assert (stats.received, stats.resolved, stats.dropped, stats.dead_lettered) == (3, 2, 1, 0)
    assert len(producer.on_topic("resolved")) == 2
    assert all(b"C9" not in m.value() for m in producer.delivered)  # the dropped event: no trace


def test_changes_left_in_the_outbox_by_a_stopped_worker_are_published() -> None:
    from streams.identity.engine import resolve_and_apply
    from streams.identity.extract import Extractor
    from streams.identity.pipeline import OUTBOX_STALE_MS
    from streams.identity.wire import pack_records

    graph = MemoryGraph()
    producer = FakeKafkaProducer()
    later = IdentityProcessor(
        rules=default_rules(),
        store=graph,
        producer=producer,
        topics=TOPICS,
        source=LocalCatalogue(),
        clock=fixed_clock(1000 + OUTBOX_STALE_MS + 1),
        dlq_max_ratio=0.5,
        sleep=lambda _: None,
    )
    parsed = [Extractor(default_rules()).parse(touchpoint("e1", ("email", "a@b.de")))]
    # a worker wrote the graph and its outbox entry, then died before publishing
    _, changes = resolve_and_apply(
        graph,
        default_rules(),
        parsed,
        outbox=lambda ch: ("O", "1000:dead", pack_records(later.encode_changes(ch, 1000))),
    )
    assert changes and list(graph.outbox) == ["1000:dead"]
    later.process([message(touchpoint("e2", ("email", "other@b.de")), 1)])
    published = [
        Codec(catalogue.IDENTITY_CHANGE).decode(m.value()) for m in producer.on_topic("changes")
    ]
    assert {c["event_id"] for c in published} >= {"e1", "e2"}
    assert graph.outbox == {}  # e2's own entry was cleared after its publication too


def test_outbox_records_pack_and_unpack_byte_for_byte() -> None:
    from streams.identity.wire import pack_records, unpack_records

    records = [(b"p1", b"\x00\x00\x00\x00\x03\xff\x00"), (b"", b""), (b"p2" * 40, bytes(70_000))]
    assert unpack_records(pack_records(records)) == records
    assert unpack_records(pack_records([])) == []


def test_an_outbox_entry_in_the_earlier_json_form_is_still_published() -> None:
    import json

    from streams.identity.pipeline import OUTBOX_STALE_MS

    graph = MemoryGraph()
    change = Change("linked", "p1", None, "email:a@b.de", None, "new_identifier", "e0", 5)
    graph.outbox["1000:old"] = json.dumps([change_record(change, 1000)]).encode()
    producer = FakeKafkaProducer()
    IdentityProcessor(
        rules=default_rules(),
        store=graph,
        producer=producer,
        topics=TOPICS,
        source=LocalCatalogue(),
        clock=fixed_clock(1000 + OUTBOX_STALE_MS + 1),
        dlq_max_ratio=0.5,
        sleep=lambda _: None,
    ).process([message(touchpoint("e2", ("email", "other@b.de")), 1)])
    published = [
        Codec(catalogue.IDENTITY_CHANGE).decode(m.value()) for m in producer.on_topic("changes")
    ]
    assert "e0" in {c["event_id"] for c in published}
    assert graph.outbox == {}
