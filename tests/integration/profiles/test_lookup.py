"""The one-round-trip profile read (streams.profiles.reader LOOKUP) on real Redis, and the API's
fast path answering exactly as the FastAPI routes do."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from redis.asyncio import Redis

from api.app import create_app
from api.fastpath import ProfileFastPath
from core.clock import fixed_clock
from core.keys import Keys
from core.settings import Settings
from streams.profiles.reader import Found, ProfileReader
from tests.integration.profiles import helpers as h
from tests.unit.profiles.events import DAY, T0, resolved, tp

KEYS = {"reader": ["read"], "collector": ["ingest"]}


def household_of_three(settings: Settings, graph_household: str | None = "h1") -> None:
    """pA survives pB, which survived pC (a chain of two aliases); pH and pX share h1."""
    k, r = Keys(settings.redis_prefix), h.sync_redis(settings)
    h.link(settings, "pA", ("email", "anna@example.com"), household="h1")
    h.link(settings, "pH", ("email", "hans@example.com"), household="h1")
    r.sadd(k.household("h1"), "pX")
    order = resolved(
        tp("order_placed", T0, amount=10.0, attributes={"first_name": "A"}), "pA", "h1"
    )
    h.fold(settings, [order])
    r.set(k.alias("pC"), "pB")
    r.set(k.alias("pB"), "pA")
    if graph_household:
        r.hset(k.meta("pA"), "hh", graph_household)


def read(settings: Settings, call: str, *args: str) -> tuple[Found | None, list[str]]:
    """The reader's answer and the Redis commands it sent."""

    async def go() -> tuple[Found | None, list[str]]:
        client = Redis.from_url(settings.redis_url)
        sent: list[str] = []
        real = client.execute_command

        async def counted(*cmd: Any, **kw: Any) -> Any:
            sent.append(str(cmd[0]))
            return await real(*cmd, **kw)

        client.execute_command = counted  # type: ignore[method-assign]
        try:
            reader = ProfileReader(client, Keys(settings.redis_prefix))
            await reader.by_id("warm-up")  # loads the script into Redis once (SCRIPT LOAD)
            sent.clear()
            return await getattr(reader, call)(*args), sent
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_one_round_trip_follows_identifier_and_alias_chain(settings: Settings) -> None:
    household_of_three(settings)
    for call, args in (("by_identifier", ("email", "anna@example.com")), ("by_id", ("pC",))):
        found, sent = read(settings, call, *args)
        assert sent == ["EVALSHA"]
        assert found is not None and found.profile_id == "pA" and not found.erased
        assert found.state["n"] == 1 and found.state["hh"][0] == "h1"
        assert found.household_members == ["pH", "pX"]


def test_a_household_the_graph_does_not_know_yet_takes_a_second_trip(settings: Settings) -> None:
    household_of_three(settings, graph_household="h-other")
    found, sent = read(settings, "by_id", "pB")
    assert sent == ["EVALSHA", "SMEMBERS"]
    assert found is not None and found.household_members == ["pH", "pX"]
    household_of_three(settings, graph_household=None)
    h.sync_redis(settings).hdel(Keys(settings.redis_prefix).meta("pA"), "hh")
    assert read(settings, "by_id", "pA")[0].household_members == ["pH", "pX"]  # type: ignore[union-attr]


def test_unknown_erased_and_graph_only_profiles(settings: Settings) -> None:
    k, r = Keys(settings.redis_prefix), h.sync_redis(settings)
    assert read(settings, "by_identifier", "email", "nobody@example.com") == (None, ["EVALSHA"])
    assert read(settings, "by_id", "p-none")[0] is None
    h.link(settings, "pG", ("cookie_id", "c1"))  # identity knows it, no event folded yet
    found = read(settings, "by_identifier", "cookie_id", "c1")[0]
    assert found is not None and found.profile_id == "pG" and found.state == {}
    r.set(k.erased("pG"), 1)
    found = read(settings, "by_identifier", "cookie_id", "c1")[0]
    assert found is not None and found.erased


def test_an_alias_loop_stops_after_the_hop_limit(settings: Settings) -> None:
    k, r = Keys(settings.redis_prefix), h.sync_redis(settings)
    r.set(k.alias("pL1"), "pL2")
    r.set(k.alias("pL2"), "pL1")
    assert read(settings, "by_id", "pL1")[0] is None  # the old reader stopped the same way


def app(settings: Settings, fast_path: bool) -> Any:
    app = create_app(settings.model_copy(update={"api_keys": KEYS}))
    app.state.clock = fixed_clock(T0 + 10 * DAY)
    if not fast_path:  # the FastAPI routes alone answer
        app.user_middleware = [m for m in app.user_middleware if m.cls is not ProfileFastPath]
    return app


@pytest.fixture
def clients(settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(app(settings, True)) as fast, TestClient(app(settings, False)) as routed:
        yield fast, routed


def test_fast_path_answers_as_the_fastapi_routes(
    clients: tuple[TestClient, TestClient], settings: Settings
) -> None:
    household_of_three(settings)
    h.sync_redis(settings).set(Keys(settings.redis_prefix).erased("pE"), 1)
    app_client, slow = clients
    assert [m.cls for m in app_client.app.user_middleware] == [ProfileFastPath]  # type: ignore[attr-defined]
    read_key, ingest_key = {"X-API-Key": "reader"}, {"X-API-Key": "collector"}
    cases: list[tuple[str, dict[str, str]]] = [
        ("/v1/profiles/pC", read_key),
        ("/v1/profiles/email/ Anna@Example.com ", read_key),
        ("/v1/profiles/email/nobody@example.com", read_key),
        ("/v1/profiles/email/not-an-email", read_key),
        ("/v1/profiles/shoe_size/42", read_key),
        ("/v1/profiles/pE", read_key),
        ("/v1/profiles/p-none", read_key),
        ("/v1/profiles/pA", {}),
        ("/v1/profiles/pA", {"X-API-Key": "nope"}),
        ("/v1/profiles/pA", ingest_key),
        ("/v1/profiles/a/b/c", read_key),
    ]
    for path, headers in cases:
        fast, routed = app_client.get(path, headers=headers), slow.get(path, headers=headers)
        assert (fast.status_code, fast.content) == (routed.status_code, routed.content), path
        assert fast.headers.get("www-authenticate") == routed.headers.get("www-authenticate")
        assert fast.headers["content-type"] == routed.headers["content-type"], path
    assert app_client.get("/v1/profiles/pC", headers=read_key).json()["profile_id"] == "pA"
    assert app_client.get("/v1/profiles/pE", headers=read_key).status_code == 404
    assert "/v1/profiles/{profile_id}" in app_client.get("/openapi.json").json()["paths"]
