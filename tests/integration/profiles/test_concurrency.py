"""Versioned writes on real Redis: two workers (each its own connection, as on two partitions)
and the merge agent writing the same profiles never lose an update; counts reconcile; a value
written by the earlier zlib codec is read and upgraded."""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

from core import kafka
from core.keys import Keys
from core.settings import Settings
from streams.profiles.fold import fold_all
from streams.profiles.store import Conflict, ProfileStore
from streams.profiles.worker import Message, Processor
from tests.integration.profiles import helpers as h
from tests.unit.profiles.events import DAY, T0, resolved, tp


def order_free(pid: str, n: int, start: int = 0) -> list[dict[str, Any]]:
    """Events whose fold does not depend on their order (no replies, distinct keyed ids)."""
    out = []
    for i in range(start, start + n):
        kind = ("order_placed", "page_view", "invoice_issued", "document_view")[i % 4]
        out.append(
            resolved(
                tp(kind, T0 + i * DAY, amount=float(i), invoice_id=f"i{i}", document=f"d{i}"),
                pid,
                "h1",
            )
        )
    return out


def counting(store: ProfileStore) -> list[str]:
    """Record every Conflict the store's commit raises (and still raise it)."""
    seen: list[str] = []
    commit = store._commit

    async def wrapped(*args: Any, **kwargs: Any) -> None:
        try:
            await commit(*args, **kwargs)
        except Conflict as exc:
            seen.append(str(exc))
            raise

    store._commit = wrapped  # type: ignore[method-assign]
    return seen


def with_processors(
    settings: Settings, n: int, use: Callable[[list[Processor]], Awaitable[Any]]
) -> Any:
    async def go() -> Any:
        clients = [Redis.from_url(settings.redis_url) for _ in range(n)]
        try:
            keys, sender = Keys(settings.redis_prefix), kafka.producer(settings)
            return await use([Processor(settings, ProfileStore(r, keys), sender) for r in clients])
        finally:
            for r in clients:
                await r.aclose()

    return asyncio.run(go())


def msgs(events: list[dict[str, Any]]) -> list[Message]:
    return [Message(h.RESOLVED.encode(e), "resolved", 0, i) for i, e in enumerate(events)]


def test_a_write_between_read_and_commit_is_retried_not_lost(settings: Settings) -> None:
    first, second = order_free("p1", 3), order_free("p1", 3, start=3)

    async def use(procs: list[Processor]) -> list[str]:
        one, other = procs[0].store, procs[1].store
        conflicts = counting(one)
        read = one._read
        raced: list[bool] = []

        async def read_then_race(events: list[dict[str, Any]]) -> Any:
            out = await read(events)
            if not raced:  # another worker writes the same profile in between
                raced.append(True)
                await other.apply(second)
            return out

        one._read = read_then_race  # type: ignore[method-assign]
        await procs[0].resolved_batch(msgs(first))
        return conflicts

    conflicts = with_processors(settings, 2, use)
    assert conflicts == ["p1"]
    assert h.state(settings, "p1") == fold_all({}, first + second)


def test_two_workers_and_the_merge_agent_lose_no_update(settings: Settings) -> None:
    a, b = order_free("pA", 24), order_free("pB", 24, start=100)
    change = {
        "change_id": "m1",
        "kind": "merged",
        "profile_id": "pA",
        "from_profile_id": "pB",
        "identifier": None,
        "household_id": None,
        "reason": "test",
        "event_id": None,
        "event_time": T0,
        "change_time": T0,
    }

    async def use(procs: list[Processor]) -> list[str]:
        conflicts = [counting(p.store) for p in procs]
        for i in range(0, 24, 4):  # both workers carry events of both profiles
            jobs = [
                procs[0].resolved_batch(msgs(a[i : i + 2] + b[i : i + 2])),
                procs[1].resolved_batch(msgs(b[i + 2 : i + 4] + a[i + 2 : i + 4])),
            ]
            if i == 8:  # the merge agent (a third connection) merges pB into pA meanwhile
                jobs.append(procs[2].changes_batch([Message(h.CHANGE.encode(change), "c")]))
            await asyncio.gather(*jobs)
        return [c for cs in conflicts for c in cs]

    conflicts = with_processors(settings, 3, use)
    assert h.raw_profile(settings, "pB") is None
    merged = h.state(settings, "pA")
    everything = [dict(e, profile_id="pA") for e in a + b]
    assert merged == {**fold_all({}, everything), "mg": ["pB"]}
    assert conflicts, "the workers never raced: the test did not exercise versioned writes"


def test_received_equals_accepted_plus_rejected(settings: Settings) -> None:
    h.ensure_topics(settings)
    good = order_free("p1", 3)
    h.fold(settings, good[:1])
    erased_event = resolved(tp("page_view", T0, source="web"), "gone")
    h.sync_redis(settings).set(Keys(settings.redis_prefix).erased("gone"), T0)
    batch = msgs([*good, good[1], erased_event])
    batch.insert(2, Message(b"not avro", "resolved", 0, 99))
    out = h.run(settings, lambda p: p.resolved_batch(batch))
    assert out == {"applied": 2, "duplicate": 2, "erased_profile": 1, "dead_lettered": 1}
    assert sum(out.values()) == len(batch)


def test_a_value_written_by_the_zlib_codec_is_read_and_upgraded(settings: Settings) -> None:
    old = fold_all({}, order_free("p1", 3))
    legacy = json.dumps(old, separators=(",", ":"), ensure_ascii=False).encode()
    key = Keys(settings.redis_prefix).profile("p1")
    h.sync_redis(settings).set(key, b"7:" + zlib.compress(legacy, 6))
    more = order_free("p1", 2, start=3)
    assert h.fold(settings, more)["applied"] == 2
    raw = h.raw_profile(settings, "p1")
    assert raw is not None and raw.startswith(b"8:\x01")
    assert h.state(settings, "p1") == fold_all(old, more)
