"""TouchpointProducer without a broker: key choice, Avro encoding, delivery reports,
backpressure, flush/close."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.keys import KEY_PRIORITY, key_identifier, partition_key
from connectors.producer import TouchpointProducer
from connectors.validate import validate_touchpoint
from core.deadletter import dead_letter
from core.settings import Settings
from schemas.catalogue import DEAD_LETTER, TOUCHPOINT
from schemas.serde import Codec
from schemas.vocab import IDENTIFIER_TYPES
from tests.unit.kafka_fakes import FakeError, FakeKafkaProducer

SETTINGS = Settings(topic_prefix="t1.")
NOW = 1_714_600_000_000


def touchpoint(*identifiers: tuple[str, str]) -> dict[str, Any]:
    raw = {
        "event_id": "e1",
        "event_type": "page_view",
        "source_system": "web",
        "event_time": NOW,
        "identifiers": [{"type": t, "value": v} for t, v in identifiers],
    }
    return validate_touchpoint(raw, NOW, "DE")


def make(fake: FakeKafkaProducer, **kwargs: Any) -> TouchpointProducer:
    return TouchpointProducer(SETTINGS, producer=fake, **kwargs)


def test_priority_lists_every_identifier_type_once() -> None:
    assert sorted(KEY_PRIORITY) == sorted(IDENTIFIER_TYPES)


def test_key_is_the_strongest_identifier() -> None:
    ids = [{"type": t, "value": "v"} for t in reversed(KEY_PRIORITY)]
    for i, expected in enumerate(KEY_PRIORITY):  # drop the strongest one by one
        assert key_identifier(ids[: len(ids) - i])["type"] == expected
    tp = touchpoint(("cookie_id", "ck1"), ("email", "a@b.de"), ("phone", "030 1234567"))
    assert partition_key(tp) == b"email:a@b.de"
    assert partition_key(touchpoint(("device_id", "d1"), ("cookie_id", "c1"))) == b"cookie_id:c1"


def test_key_ties_keep_event_order_and_empty_has_no_key() -> None:
    assert (
        key_identifier(
            [{"type": "email", "value": "x@y.de"}, {"type": "email", "value": "a@b.de"}]
        )["value"]
        == "x@y.de"
    )
    assert key_identifier([]) is None


def test_send_encodes_avro_on_the_prefixed_topic_with_key() -> None:
    fake = FakeKafkaProducer()
    tp = touchpoint(("cookie_id", "ck1"), ("crm_id", "C7"))
    with make(fake) as producer:
        producer.send(tp)
    [msg] = fake.delivered
    assert msg.topic() == "t1.cdp.touchpoints" and msg.key() == b"crm_id:C7"
    assert Codec(TOUCHPOINT).decode(msg.value()) == tp
    assert producer.delivered == 1


def test_dead_letters_go_to_their_topic_without_key() -> None:
    fake = FakeKafkaProducer()
    producer = make(fake)
    producer.send_dead_letter(dead_letter("collector", "wrong_type", b"{}", NOW, detail="x"))
    assert producer.flush(1.0) == 0
    [msg] = fake.delivered
    assert msg.topic() == "t1.cdp.deadletters" and msg.key() is None
    assert Codec(DEAD_LETTER).decode(msg.value())["reason"] == "wrong_type"


def test_failed_deliveries_are_counted_by_reason() -> None:
    fake = FakeKafkaProducer(fail="_MSG_TIMED_OUT")
    producer = make(fake)
    producer.send(touchpoint(("crm_id", "1")))
    producer.send(touchpoint(("crm_id", "2")))
    producer.flush(1.0)
    assert producer.delivered == 0 and producer.failed == {"_MSG_TIMED_OUT": 2}


def test_full_local_queue_waits_for_room_instead_of_failing() -> None:
    fake = FakeKafkaProducer(capacity=3)
    producer = make(fake, poll_every=10_000)
    for i in range(10):
        producer.send(touchpoint(("crm_id", str(i))))
    producer.close()
    assert fake.buffer_errors > 0 and len(fake.delivered) == 10 and producer.delivered == 10


def test_polls_every_n_messages_not_every_message() -> None:
    fake = FakeKafkaProducer()
    producer = make(fake, poll_every=100)
    tp = touchpoint(("crm_id", "1"))
    for _ in range(250):
        producer.send(tp)
    assert fake.polls == 2 and len(fake.queue) == 50


def test_flush_returns_what_is_still_undelivered() -> None:
    fake = FakeKafkaProducer(deliver=False)
    producer = make(fake)
    producer.send(touchpoint(("crm_id", "1")))
    assert producer.flush(0.01) == 1


@pytest.mark.parametrize(
    ("fake", "expected"),
    [
        (FakeKafkaProducer(), True),
        (FakeKafkaProducer(fail="_TRANSPORT"), False),
        (FakeKafkaProducer(deliver=False), False),
    ],
)
def test_send_and_wait_says_whether_the_batch_is_in_kafka(
    fake: FakeKafkaProducer, expected: bool
) -> None:
    producer = make(fake)
    dl = dead_letter("collector", "oversized", b"{}", NOW)
    assert producer.send_and_wait([touchpoint(("crm_id", "1"))], [dl], 0.05) is expected


@pytest.mark.parametrize("fail", [None, "_MSG_TIMED_OUT"])
def test_errors_only_counts_deliveries_at_flush(fail: str | None) -> None:
    class ErrorsOnly(FakeKafkaProducer):  # reports failures only, like delivery.report.only.error
        def poll(self, timeout: float = 0.0) -> int:
            self.polls += 1
            served, self.queue = self.queue, []
            for msg, callback in served:
                if self.fail is None:
                    self.delivered.append(msg)
                elif callback is not None:
                    callback(FakeError(self.fail), msg)
            return len(served)

    fake = ErrorsOnly(fail=fail)
    producer = make(fake, errors_only=True)
    for _ in range(3):
        producer.send(touchpoint(("crm_id", "1")))
    assert producer.delivered == 0
    assert producer.flush(1.0) == 0
    assert producer.delivered == (3 if fail is None else 0)
    assert producer.failed == ({} if fail is None else {fail: 3})
    with pytest.raises(ValueError):
        producer.send_and_wait([], [], 0.1)
