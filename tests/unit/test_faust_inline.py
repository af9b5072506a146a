"""streams.common.faust_inline: a coroutine finished by _resume behaves as under a Task."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from streams.common.faust_inline import _resume


async def steps(queue: asyncio.Queue[int], log: list[str]) -> str:
    log.append("start")
    await queue.put(2)  # waits: the queue holds one item and is full
    log.append("put")
    await asyncio.sleep(0)
    return "done"


def test_a_coroutine_that_waits_is_finished_by_resume() -> None:
    async def main() -> tuple[Any, list[str]]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        queue.put_nowait(1)
        log: list[str] = []
        coro = steps(queue, log)
        waiting_on = coro.send(None)  # as InlineConsumer.wait_first does
        assert isinstance(waiting_on, asyncio.Future) and log == ["start"]
        task = asyncio.ensure_future(_resume(coro, waiting_on))
        await asyncio.sleep(0.01)
        assert not task.done()  # still blocked on the full queue
        assert queue.get_nowait() == 1
        return await asyncio.wait_for(task, 1), log + [str(queue.get_nowait())]

    assert asyncio.run(main()) == ("done", ["start", "put", "2"])


def test_cancelling_resume_unwinds_the_coroutine() -> None:
    async def main() -> asyncio.Queue[int]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        queue.put_nowait(1)
        coro = steps(queue, [])
        task = asyncio.ensure_future(_resume(coro, coro.send(None)))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return queue

    queue = asyncio.run(main())
    assert queue.qsize() == 1 and not queue._putters  # type: ignore[attr-defined]


def test_an_exception_from_the_awaited_future_reaches_the_coroutine() -> None:
    async def fails(fut: asyncio.Future[int]) -> str:
        try:
            await fut
        except ValueError as exc:
            return f"caught {exc}"
        return "not raised"

    async def main() -> str:
        fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        coro = fails(fut)
        task = asyncio.ensure_future(_resume(coro, coro.send(None)))
        fut.set_exception(ValueError("boom"))
        return await asyncio.wait_for(task, 1)

    assert asyncio.run(main()) == "caught boom"
