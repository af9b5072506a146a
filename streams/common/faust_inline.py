"""A faust consumer that hands each fetched message to faust's callback without four tasks.

faust's fetch loop (``Consumer._drain_messages``) delivers every message with
``await self.wait_first(callback(message), self.suspend_flow.wait())``: mode's ``wait_first``
wraps both coroutines, and the service's stopped and crashed events, in four tasks, waits for the
first to finish and cancels the other three. Per message that is a large part of faust's own
cost (py-spy of an identity worker: 16 % of the samples in which it held the GIL were inside
``wait_first`` and the tasks it makes). The callback itself (the conductor putting the event on
the agents' stream queues) almost never has to wait: only when a stream's buffer is full.

``InlineConsumer.wait_first`` runs the callback's first step directly. When it completes without
waiting (the common case), that is the result faust would have got, with no task created: the
``suspend_flow.wait()`` coroutine is closed unstarted. When it has to wait, the half-run
coroutine is finished by ``_resume`` under mode's ``wait_first`` as before, so a suspended flow
(a rebalance) or a stopping service still interrupts it. Any other call takes mode's path.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Coroutine
from typing import Any

from faust.transport.drivers import aiokafka as aiokafka_driver
from mode.services import WaitResults


async def _resume(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Any:
    """Finish a coroutine whose first step (``coro.send(None)``) yielded ``waiting_on``, the way
    an asyncio Task would: resume it each time the future it waits on is done."""
    try:
        while True:
            if waiting_on is None:  # a bare yield: asyncio.sleep(0)
                await asyncio.sleep(0)
            else:
                await asyncio.wait((waiting_on,))
            waiting_on = coro.send(None)
    except StopIteration as done:
        return done.value
    finally:
        coro.close()  # cancelled while waiting: unwind it (nothing happens once it has finished)


class InlineConsumer(aiokafka_driver.Consumer):
    async def wait_first(self, *coros: Any, timeout: Any = None) -> WaitResults:
        if (
            timeout is None
            and len(coros) == 2
            and inspect.iscoroutine(coros[0])
            and inspect.iscoroutine(coros[1])
            and not self.suspend_flow.is_set()
            and not self.should_stop
        ):
            first, other = coros
            try:
                waiting_on = first.send(None)
            except StopIteration as done:
                other.close()
                return WaitResults([first], [done.value], False)
            except BaseException:
                other.close()
                raise
            return await super().wait_first(_resume(first, waiting_on), other)
        return await super().wait_first(*coros, timeout=timeout)


class InlineTransport(aiokafka_driver.Transport):
    Consumer = InlineConsumer
