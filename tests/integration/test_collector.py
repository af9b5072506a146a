"""POST /v1/events on the embedded stack: accepted events land on the touchpoint topic as Avro,
rejected ones on the dead-letter topic with their reason; Kafka down answers 503."""

from __future__ import annotations

import time
from typing import Any

import pytest
from confluent_kafka import Consumer
from fastapi.testclient import TestClient

import api.collector
from api.app import create_app
from connectors.producer import TouchpointProducer
from core import kafka, topics
from core.clock import wall_clock_ms
from core.settings import Settings
from schemas.catalogue import DEAD_LETTER, TOUCHPOINT
from schemas.serde import Codec

pytestmark = pytest.mark.integration
KEY = {"X-API-Key": "ingest-key"}


def with_keys(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update={"api_keys": {"ingest-key": ["ingest"]}, **changes})


def event(i: int, **fields: Any) -> dict[str, Any]:
    base = {
        "event_id": f"e{i}",
        "event_type": "page_view",
        "source_system": "web",
        "event_time": wall_clock_ms() - 1000,
        "page": f"/p/{i}",
        "identifiers": [
            {"type": "cookie_id", "value": f"ck{i}"},
            {"type": "email", "value": f" User{i}@Example.org "},
        ],
    }
    base.update(fields)
    return base


def consume(
    settings: Settings, config: dict[str, object], wanted: dict[str, int], timeout: float = 60.0
) -> dict[str, list[Any]]:
    consumer = Consumer({**config, "session.timeout.ms": 6000})
    consumer.subscribe(list(wanted))
    seen: dict[str, list[Any]] = {name: [] for name in wanted}
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and any(len(seen[t]) < n for t, n in wanted.items()):
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                seen[msg.topic()].append(msg)
        # a little longer: nothing more than expected may arrive
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            msg = consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                seen[msg.topic()].append(msg)
    finally:
        consumer.close()
    return seen


def test_mixed_batch_lands_on_touchpoints_and_dead_letters(
    settings: Settings, consumer_config: dict[str, object]
) -> None:
    settings = with_keys(settings)
    kafka.create_topics(settings)
    good = [event(i) for i in range(5)]
    bad = [
        event(10, colour="red"),
        event(11, identifiers=[]),
        "not an object",
        event(12, source_system="mainframe"),
    ]
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/events", json={"events": good + bad}, headers=KEY)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["received"], body["accepted"], body["rejected"]) == (9, 5, 4)
    assert [r["reason"] for r in body["results"][5:]] == [
        "unknown_field",
        "no_usable_identifier",
        "wrong_type",
        "unknown_source_system",
    ]

    tp_topic = kafka.topic(settings, topics.TOUCHPOINTS)
    dl_topic = kafka.topic(settings, topics.DEAD_LETTERS)
    seen = consume(settings, consumer_config, {tp_topic: 5, dl_topic: 4})
    assert len(seen[tp_topic]) == 5 and len(seen[dl_topic]) == 4
    touchpoints = {m.key(): Codec(TOUCHPOINT).decode(m.value()) for m in seen[tp_topic]}
    assert sorted(t["event_id"] for t in touchpoints.values()) == [f"e{i}" for i in range(5)]
    for key, touchpoint in touchpoints.items():  # keyed by the stronger identifier (email)
        assert key == f"email:user{touchpoint['event_id'][1:]}@example.org".encode()
    dead = [Codec(DEAD_LETTER).decode(m.value()) for m in seen[dl_topic]]
    assert sorted(d["reason"] for d in dead) == sorted(
        ["unknown_field", "no_usable_identifier", "wrong_type", "unknown_source_system"]
    )
    assert {d["stage"] for d in dead} == {"collector"}
    assert b'"not an object"' in [d["payload"] for d in dead]


def test_kafka_unreachable_answers_503(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    down = with_keys(settings, kafka_bootstrap_servers="127.0.0.1:1")
    monkeypatch.setattr(api.collector, "DELIVERY_TIMEOUT_S", 1.0)
    producer = TouchpointProducer(
        down, producer=kafka.producer(down, **{"message.timeout.ms": 1500})
    )
    with TestClient(create_app(down, clients={"producer": producer})) as client:
        response = client.post("/v1/events", json={"events": [event(1)]}, headers=KEY)
    assert response.status_code == 503 and response.headers["Retry-After"]
    producer.flush(3.0)
