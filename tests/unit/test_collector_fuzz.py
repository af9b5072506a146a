"""POST /v1/events under property-based fuzzing (hypothesis), with an in-memory Kafka producer:
no 5xx for any bytes or any JSON, received = accepted + rejected, one result per event in order,
every accepted event on the touchpoint topic and every rejected one on the dead-letter topic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY

import api.collector
from api.app import create_app
from connectors.producer import TouchpointProducer
from core.clock import fixed_clock
from core.settings import Settings
from schemas.catalogue import DEAD_LETTER
from schemas.serde import Codec
from schemas.vocab import EVENT_TYPES, IDENTIFIER_TYPES, SOURCE_SYSTEMS
from tests.unit.kafka_fakes import FakeKafkaProducer

NOW = 1_714_600_000_000
INGEST = {"X-API-Key": "ingest-key"}
READ = {"X-API-Key": "read-key"}
SETTINGS = Settings(api_keys={"ingest-key": ["ingest"], "read-key": ["read"]})
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Harness:
    def __init__(self, fake: FakeKafkaProducer | None = None) -> None:
        self.kafka = fake or FakeKafkaProducer()
        self.producer = TouchpointProducer(SETTINGS, producer=self.kafka)
        app = create_app(SETTINGS, clients={"producer": self.producer})
        app.state.clock = fixed_clock(NOW)
        self.client = TestClient(app)

    def __enter__(self) -> Harness:
        self.client.__enter__()  # runs the app's lifespan (app.state.clients)
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.__exit__(*exc)

    def counts(self) -> tuple[int, int]:
        return (
            len(self.kafka.on_topic(self.producer.touchpoint_topic)),
            len(self.kafka.on_topic(self.producer.dead_letter_topic)),
        )


@pytest.fixture(scope="module")
def shared() -> Iterator[Harness]:
    with Harness() as h:
        yield h


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)

identifier = st.fixed_dictionaries(
    {
        "type": st.sampled_from(sorted(IDENTIFIER_TYPES)) | st.text(max_size=8),
        "value": st.sampled_from(
            [
                "a@b.de",
                " X@Y.COM ",
                "030 1234567",
                "+44 20 7946 0018",
                "C-1",
                "",
                "  ",
                "not an email",
            ]
        )
        | st.text(max_size=12),
    }
)

base_event = st.fixed_dictionaries(
    {
        "event_id": st.text(min_size=1, max_size=12),
        "event_type": st.sampled_from(sorted(EVENT_TYPES)),
        "source_system": st.sampled_from(sorted(SOURCE_SYSTEMS)),
        "event_time": st.integers(0, NOW + 2 * 86_400_000)
        | st.sampled_from(["2024-05-01T10:00:00Z", "2024-05-01", "nope"]),
        "identifiers": st.lists(identifier, max_size=4),
    },
    optional={
        "amount": json_values,
        "quantity": st.integers(-3, 3) | json_values,
        "direction": st.sampled_from(["inbound", "outbound", "up"]),
        "due_date": st.sampled_from(["2024-05-31", "31.05.2024", 19_000]) | json_values,
        "relations": json_values,
        "attributes": json_values,
        "extras": st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=3),
        "channel": json_values,
    },
)


def mutated(event: dict[str, Any], extra: dict[str, Any], drop: list[str]) -> dict[str, Any]:
    out = {k: v for k, v in event.items() if k not in drop}
    out.update(extra)
    return out


events = (
    st.builds(
        mutated,
        base_event,
        st.dictionaries(st.text(max_size=12), json_values, max_size=2),
        st.lists(st.sampled_from(["event_id", "identifiers", "event_time"]), max_size=1),
    )
    | json_values
)


def post(client: TestClient, **kwargs: Any) -> Any:
    response = client.post("/v1/events", headers=INGEST, **kwargs)
    assert response.status_code < 500, response.text
    return response


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_never_5xx(shared: Harness, body: bytes) -> None:
    assert post(shared.client, content=body).status_code in (200, 413, 422)


@FUZZ
@given(json_values)
def test_any_json_never_5xx(shared: Harness, value: Any) -> None:
    response = post(shared.client, content=json.dumps(value))
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert_consistent(response.json())


@FUZZ
@given(st.lists(events, max_size=8))
def test_batches_are_answered_per_event_and_published(shared: Harness, batch: list[Any]) -> None:
    h = shared
    before = h.counts()
    response = post(h.client, content=json.dumps({"events": batch}))
    assert response.status_code == 200
    body = assert_consistent(response.json())
    assert body["received"] == len(batch)
    after = h.counts()
    assert (after[0] - before[0], after[1] - before[1]) == (body["accepted"], body["rejected"])


def assert_consistent(body: dict[str, Any]) -> dict[str, Any]:
    results = body["results"]
    assert body["received"] == body["accepted"] + body["rejected"] == len(results)
    assert [r["index"] for r in results] == list(range(len(results)))
    assert body["accepted"] == sum(r["status"] == "accepted" for r in results)
    assert all(r["reason"] for r in results if r["status"] == "rejected")
    return body


def valid(i: int) -> dict[str, Any]:
    return {
        "event_id": f"e{i}",
        "event_type": "page_view",
        "source_system": "web",
        "event_time": NOW,
        "identifiers": [{"type": "cookie_id", "value": f"ck{i}"}],
    }


def test_rejected_event_is_dead_lettered_with_its_original_bytes() -> None:
    with Harness() as h:
        check_original_bytes(h)


def check_original_bytes(h: Harness) -> None:
    good = json.dumps(valid(1)).encode()
    body = b'{"events": [ {"event_id": "x1",  "colour": "red"} , ' + good + b"]}"
    answer = post(h.client, content=body).json()
    assert [r["status"] for r in answer["results"]] == ["rejected", "accepted"]
    assert answer["results"][0] == {
        "index": 0,
        "event_id": "x1",
        "status": "rejected",
        "reason": "unknown_field",
        "detail": "unknown field colour",
    }
    [msg] = h.kafka.on_topic(h.producer.dead_letter_topic)
    record = Codec(DEAD_LETTER).decode(msg.value())
    assert record["payload"] == b'{"event_id": "x1",  "colour": "red"}'
    assert (record["stage"], record["reason"], record["event_id"]) == (
        "collector",
        "unknown_field",
        "x1",
    )


def test_auth_is_required(shared: Harness) -> None:
    client = shared.client
    payload = {"events": [valid(1)]}
    assert client.post("/v1/events", json=payload).status_code == 401
    assert client.post("/v1/events", json=payload, headers={"X-API-Key": "nope"}).status_code == 401
    assert client.post("/v1/events", json=payload, headers=READ).status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"[]", 422, "JSON object"),
        (b'{"evts": []}', 422, '"events"'),
        (b"{", 422, "not valid JSON"),
        (b"\xff\xfe", 422, "UTF-8"),
        (b"[" * 100_000, 422, "nested"),
        (b" " * (1024 * 1024 + 1), 413, "larger than"),
        (json.dumps({"events": [{}] * 1001}).encode(), 413, "more than 1000"),
    ],
)
def test_not_a_batch(shared: Harness, body: bytes, status: int, words: str) -> None:
    response = post(shared.client, content=body)
    assert response.status_code == status and words in response.json()["detail"]


def test_empty_batch_is_fine(shared: Harness) -> None:
    answer = post(shared.client, json={"events": []}).json()
    assert answer == {"results": [], "accepted": 0, "rejected": 0, "received": 0}


@pytest.mark.parametrize(
    "fake", [FakeKafkaProducer(deliver=False), FakeKafkaProducer(fail="_TRANSPORT")]
)
def test_kafka_down_is_503_with_retry_after(
    fake: FakeKafkaProducer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.collector, "DELIVERY_TIMEOUT_S", 0.05)
    with Harness(fake) as h:
        response = h.client.post("/v1/events", json={"events": [valid(1)]}, headers=INGEST)
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_openapi_documents_the_batch(shared: Harness) -> None:
    spec = shared.client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/events"]["post"]
    assert "events" in json.dumps(operation["requestBody"])


def collector_counts() -> tuple[float, float, float]:
    def total(name: str) -> float:
        return sum(
            s.value
            for metric in REGISTRY.collect()
            for s in metric.samples
            if s.name == name and s.labels.get("stage") == "collector"
        )

    return (
        total("cdp_events_received_total"),
        total("cdp_events_accepted_total"),
        total("cdp_events_rejected_total"),
    )


def test_metrics_count_received_as_accepted_plus_rejected(shared: Harness) -> None:
    before = collector_counts()
    batch = [valid(1), valid(2), {"event_id": "x"}, 3]
    post(shared.client, json={"events": batch})
    received, accepted, rejected = (a - b for a, b in zip(collector_counts(), before, strict=True))
    assert (received, accepted, rejected) == (4, 2, 2)
