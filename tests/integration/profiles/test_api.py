"""The profile, decision and erasure API on real Redis and Kafka (FastAPI TestClient)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from confluent_kafka import Consumer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from core import topics
from core.clock import fixed_clock
from core.keys import Keys
from core.settings import Settings, to_env
from core.suppression import digest
from schemas import catalogue
from schemas.serde import Codec
from tests.integration.profiles import helpers as h
from tests.unit.profiles.events import DAY, T0, resolved, tp

KEYS = {"reader": ["read"], "boss": ["admin"], "collector": ["ingest"]}
READ, ADMIN, INGEST = ({"X-API-Key": k} for k in KEYS)
NOW = T0 + 10 * DAY  # a Friday, 2023-11-24 22:13 UTC


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    h.ensure_topics(settings)
    app = create_app(settings.model_copy(update={"api_keys": KEYS}))
    app.state.clock = fixed_clock(NOW)
    with TestClient(app) as c:
        yield c


def person(settings: Settings) -> None:
    """Anna (pA, with a merged-away pB) and her husband pH in household h1."""
    h.link(
        settings, "pA", ("email", "anna@example.com"), ("phone", "+4915112345678"), household="h1"
    )
    h.link(settings, "pB", ("customer_number", "K-1"))
    h.link(settings, "pH", ("email", "hans@example.com"), household="h1")
    h.fold(
        settings,
        [
            resolved(
                tp("order_placed", T0, amount=10.0, attributes={"first_name": "Anna"}), "pA", "h1"
            ),
            resolved(
                tp(
                    "consent_changed",
                    T0,
                    source="marketing",
                    consent_purpose="marketing",
                    consent_channel="all",
                    consent_state="granted",
                ),
                "pA",
                "h1",
            ),
            resolved(
                tp(
                    "policy_started",
                    T0,
                    source="erp",
                    policy_id="P9",
                    product_category="car_insurance",
                ),
                "pB",
                "h1",
            ),
            resolved(
                tp(
                    "consent_changed",
                    T0,
                    source="marketing",
                    consent_purpose="marketing",
                    consent_channel="all",
                    consent_state="granted",
                ),
                "pH",
                "h1",
            ),
        ],
    )
    h.merge(settings, "pA", "pB")
    h.sync_redis(settings).set(Keys(settings.redis_prefix).alias("pB"), "pA")


def test_auth_401_and_403(client: TestClient) -> None:
    assert client.get("/v1/profiles/email/a@example.com").status_code == 401
    assert (
        client.get("/v1/profiles/email/a@example.com", headers={"X-API-Key": "nope"}).status_code
        == 401
    )
    assert client.get("/v1/profiles/email/a@example.com", headers=INGEST).status_code == 403
    assert client.delete("/v1/profiles/email/a@example.com", headers=READ).status_code == 403


def test_get_profile_by_identifier_and_id(client: TestClient, settings: Settings) -> None:
    person(settings)
    r = client.get("/v1/profiles/email/ Anna@Example.com ", headers=READ)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["profile_id"] == "pA" and body["attributes"]["first_name"] == "Anna"
    assert body["merged_from"] == ["pB"] and body["household"] == {"id": "h1", "members": ["pH"]}
    assert body["products"][0]["category"] == "car_insurance"
    assert client.get("/v1/profiles/phone/0151 12345678", headers=READ).json()["profile_id"] == "pA"
    assert client.get("/v1/profiles/pB", headers=READ).json()["profile_id"] == "pA"  # alias
    missing = client.get("/v1/profiles/email/nobody@example.com", headers=READ)
    assert missing.status_code == 404 and "no profile" in missing.json()["detail"]
    bad = client.get("/v1/profiles/email/not-an-email", headers=READ)
    assert bad.status_code == 422 and "invalid email" in bad.json()["detail"]
    assert client.get("/v1/profiles/shoe_size/42", headers=READ).status_code == 422


def decide(client: TestClient, email: str, **body: Any) -> dict[str, Any]:
    r = client.post(
        "/v1/decisions/contact",
        headers=READ,
        json={"identifier": {"type": "email", "value": email}, **body},
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_contact_decisions(client: TestClient, settings: Settings) -> None:
    person(settings)
    at = "2023-11-22T10:00:00+01:00"  # a Wednesday morning in Berlin
    d = decide(client, "anna@example.com", channel="phone", purpose="acquisition", at=at)
    assert d["decision"] == "deny" and [r["code"] for r in d["reasons"]] == ["existing_customer"]
    assert (
        decide(client, "anna@example.com", channel="phone", purpose="cross_sell", at=at)["decision"]
        == "allow"
    )
    sunday = decide(
        client,
        "anna@example.com",
        channel="phone",
        purpose="cross_sell",
        at="2023-11-26T19:30:00+01:00",
    )
    assert [r["code"] for r in sunday["reasons"]] == ["quiet_day"]
    hans = decide(client, "hans@example.com", channel="email", purpose="cross_sell", at=at)
    assert hans["decision"] == "allow"
    assert hans["hints"][0]["code"] == "household_cross_sell"
    assert hans["hints"][0]["categories"] == ["car_insurance"]
    unknown = decide(client, "new@example.com", channel="email", purpose="acquisition", at=at)
    assert unknown["decision"] == "deny" and unknown["reasons"][0]["code"] == "no_consent"
    r = client.post(
        "/v1/decisions/contact",
        headers=READ,
        json={
            "identifier": {"type": "email", "value": "a@b.de"},
            "channel": "pigeon",
            "purpose": "service",
        },
    )
    assert r.status_code == 422 and "unknown channel" in r.text


def test_erasure_removes_the_person_and_publishes(
    client: TestClient, settings: Settings, consumer_config: dict[str, object]
) -> None:
    person(settings)
    r = client.delete("/v1/profiles/email/anna@example.com", headers=ADMIN)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["profile_ids"] == ["pA", "pB"] and body["identifiers"] == 3
    redis, k = h.sync_redis(settings), Keys(settings.redis_prefix)
    left = {key.decode() for key in redis.scan_iter(f"{settings.redis_prefix}:*")}
    assert not [key for key in left if "anna" in key or "K-1" in key or "49151" in key]
    assert k.profile("pA") not in left and k.profile("pB") not in left
    assert k.alias("pB") not in left and k.members("pA") not in left
    assert redis.smembers(k.household("h1")) == {b"pH"}
    assert client.get("/v1/profiles/email/anna@example.com", headers=READ).status_code == 404
    # later events with her identifiers do not rebuild a profile until she consents again
    again = [{"type": "email", "value": "anna@example.com"}]
    out = h.fold(settings, [resolved(tp("page_view", NOW, source="web", identifiers=again), "pN")])
    assert out["erased_identifier"] == 1 and h.raw_profile(settings, "pN") is None
    assert h.fold(settings, [resolved(tp("order_placed", NOW), "pA")])["erased_profile"] == 1
    consent = tp(
        "consent_changed",
        NOW,
        source="marketing",
        identifiers=again,
        consent_purpose="marketing",
        consent_state="granted",
    )
    assert h.fold(settings, [resolved(consent, "pN")])["applied"] == 1
    consumer = Consumer(consumer_config)
    consumer.subscribe([h.topic(settings, topics.ERASURES)])
    try:
        msg = None
        for _ in range(40):
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                break
        assert msg is not None
        record = Codec(catalogue.ERASURE).decode(msg.value())
        assert record["profile_ids"] == ["pA", "pB"] and record["erasure_id"] == body["erasure_id"]
        erased = [("email", "anna@example.com"), ("phone", "+4915112345678")]
        erased.append(("customer_number", "K-1"))
        assert sorted(record["identifier_digests"]) == sorted(digest(t, v) for t, v in erased)
    finally:
        consumer.close()


def test_erasure_restore_rebuilds_the_suppression_after_a_redis_loss(
    client: TestClient, settings: Settings
) -> None:
    from cdp.cli import _register_all, app

    _register_all()
    person(settings)
    assert client.delete("/v1/profiles/email/anna@example.com", headers=ADMIN).status_code == 200
    redis, k = h.sync_redis(settings), Keys(settings.redis_prefix)
    suppression = redis.hgetall(k.erased_identifiers())
    assert len(suppression) == 3 and redis.exists(k.erased("pA"), k.erased("pB")) == 2
    runner, env = CliRunner(), to_env(settings)
    refused = runner.invoke(app, ["erasure", "restore"], env=env)  # pH's profile is still there
    assert refused.exit_code == 2 and "still holds profiles" in refused.output
    redis.delete(*redis.scan_iter(f"{settings.redis_prefix}:*"))  # Redis lost everything
    done = runner.invoke(app, ["erasure", "restore"], env=env)
    assert done.exit_code == 0, done.output
    assert "2 erased profile ids, 3 identifier digests" in done.output
    assert redis.hgetall(k.erased_identifiers()) == suppression
    assert redis.exists(k.erased("pA"), k.erased("pB")) == 2
    # the replayed log cannot rebuild her: her events are dropped as before the loss
    again = [{"type": "phone", "value": "+4915112345678"}]
    out = h.fold(settings, [resolved(tp("page_view", NOW, source="web", identifiers=again), "pN")])
    assert out["erased_identifier"] == 1 and h.raw_profile(settings, "pN") is None
    assert runner.invoke(app, ["erasure", "restore"], env=env).exit_code == 0  # idempotent
    assert redis.hgetall(k.erased_identifiers()) == suppression


def test_health_and_metrics(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "redis": "ok", "kafka": "ok"}
    assert "cdp_events_received" in client.get("/metrics").text


def test_erasure_that_kafka_does_not_confirm_erases_nothing_and_can_be_retried(
    client: TestClient, settings: Settings
) -> None:
    class Unconfirmed:
        def produce(self, *args: Any, **kwargs: Any) -> None:
            pass

        def flush(self, timeout: float = 0.0) -> int:
            return 1  # one message still undelivered

    person(settings)
    clients = client.app.state.clients  # type: ignore[attr-defined]
    working, clients["kafka"] = clients["kafka"], Unconfirmed()
    r = client.delete("/v1/profiles/email/anna@example.com", headers=ADMIN)
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert client.get("/v1/profiles/email/anna@example.com", headers=READ).status_code == 200
    clients["kafka"] = working
    r = client.delete("/v1/profiles/email/anna@example.com", headers=ADMIN)
    assert r.status_code == 200 and r.json()["profile_ids"] == ["pA", "pB"]
    assert client.get("/v1/profiles/email/anna@example.com", headers=READ).status_code == 404
