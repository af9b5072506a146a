"""streams.common.faust_bulk: the buffer between faust's fetcher and a batch loop, and the
consumer's bookkeeping of taken batches (acknowledged offsets, wait_empty, livelock check)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP

from core.settings import Settings
from streams.common.faust_app import make_app
from streams.common.faust_bulk import BulkBuffer, BulkConsumer, Chunk

A, B = TP("t", 0), TP("t", 1)


def records(tp: TP, first: int, n: int) -> list[Any]:
    return [
        SimpleNamespace(topic=tp.topic, partition=tp.partition, offset=o, value=b"v")
        for o in range(first, first + n)
    ]


def offsets(chunks: list[Chunk]) -> list[tuple[int, int]]:
    return [(c.tp.partition, r.offset) for c in chunks for r in c.records]


def test_take_cuts_a_batch_at_max_records_and_keeps_the_rest_in_order() -> None:
    async def go() -> tuple[list[Chunk], list[Chunk], int]:
        buffer = BulkBuffer(100)
        assert await buffer.put(Chunk(A, records(A, 0, 7)), buffer.epoch)
        assert await buffer.put(Chunk(B, records(B, 0, 5)), buffer.epoch)
        first = await buffer.take(10, 0.01)
        second = await buffer.take(10, 0.01)
        return first, second, len(buffer)

    first, second, left = asyncio.run(go())
    assert offsets(first) == [(0, o) for o in range(7)] + [(1, o) for o in range(3)]
    assert offsets(second) == [(1, 3), (1, 4)]
    assert left == 0


def test_take_waits_within_seconds_for_more_records_then_returns_what_it_has() -> None:
    async def go() -> tuple[list[Chunk], list[Chunk]]:
        buffer = BulkBuffer(100)

        async def later() -> None:
            await asyncio.sleep(0.02)
            await buffer.put(Chunk(A, records(A, 3, 2)), buffer.epoch)

        await buffer.put(Chunk(A, records(A, 0, 3)), buffer.epoch)
        task = asyncio.ensure_future(later())
        filled = await buffer.take(5, 5.0)  # full before the 5 s are up
        await task
        await buffer.put(Chunk(B, records(B, 0, 1)), buffer.epoch)
        partial = await buffer.take(5, 0.02)  # nothing more comes: returns after 20 ms
        return filled, partial

    filled, partial = asyncio.run(go())
    assert offsets(filled) == [(0, o) for o in range(5)]
    assert offsets(partial) == [(1, 0)]


def test_a_clear_drops_buffered_records_and_the_batch_being_filled() -> None:
    async def go() -> tuple[list[Chunk], bool]:
        buffer = BulkBuffer(100)
        stale_epoch = buffer.epoch
        await buffer.put(Chunk(A, records(A, 0, 3)), stale_epoch)
        take = asyncio.ensure_future(buffer.take(10, 0.2))
        await asyncio.sleep(0.01)  # the take holds A 0-2 and waits for more
        buffer.clear()  # a rebalance
        late = await buffer.put(Chunk(A, records(A, 3, 1)), stale_epoch)  # fetched before it
        await buffer.put(Chunk(B, records(B, 10, 2)), buffer.epoch)
        return await asyncio.wait_for(take, 1.0), late

    taken, late = asyncio.run(go())
    assert late is False
    assert offsets(taken) == [(1, 10), (1, 11)]


def test_put_waits_while_the_buffer_is_full() -> None:
    async def go() -> list[str]:
        buffer = BulkBuffer(4)
        seen: list[str] = []

        async def fetcher() -> None:
            await buffer.put(Chunk(A, records(A, 0, 4)), buffer.epoch)
            seen.append("first put")
            await buffer.put(Chunk(A, records(A, 4, 1)), buffer.epoch)
            seen.append("second put")

        task = asyncio.ensure_future(fetcher())
        await asyncio.sleep(0.01)
        seen.append("full")
        await buffer.take(2, 0.0)
        await asyncio.wait_for(task, 1.0)
        return seen

    assert asyncio.run(go()) == ["first put", "full", "second put"]


def test_an_acknowledged_batch_reaches_fausts_commit_bookkeeping(tmp_path: Path) -> None:
    app = make_app(Settings(state_dir=tmp_path), "unit-test", datadir=tmp_path / "faust")
    consumer = app.consumer
    assert isinstance(consumer, BulkConsumer)
    consumer.assignment = lambda: {A}  # type: ignore[method-assign]
    consumer._committed_offset[A] = 2
    consumer._acked_index[A].add(3)  # acknowledged before (one message at a time)
    consumer._acked[A].append(3)
    chunks = [Chunk(A, records(A, 0, 6)), Chunk(B, records(B, 0, 2))]  # B: revoked meanwhile

    token = consumer.begin_batch(chunks)
    assert token in consumer._unacked_messages  # a rebalance's wait_empty waits for it
    assert set(app.monitor.stream_inbound_time) == {A, B}  # not "stuck" for the livelock check
    consumer.ack_batch(token, chunks)

    assert token not in consumer._unacked_messages and token.acked
    assert sorted(consumer._acked[A]) == [2, 3, 4, 5]  # 0-1 were committed, 3 already acked
    assert B not in consumer._acked
    assert consumer._new_offset(A) == 6


@pytest.mark.parametrize("agents", [True, False])
def test_the_bulk_path_is_taken_only_by_apps_without_faust_agents(
    tmp_path: Path, agents: bool
) -> None:
    app = make_app(Settings(state_dir=tmp_path), "unit-test", datadir=tmp_path / "faust")
    topic = app.topic("t", value_serializer="raw")
    app.bulk_buffer(topic)
    if agents:

        @app.agent(app.topic("u"))
        async def agent(stream: Any) -> None:
            async for _ in stream:
                pass

    consumer = app.consumer
    assert isinstance(consumer, BulkConsumer)
    assert (consumer._bulk_buffers() is None) is agents
