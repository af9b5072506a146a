"""Fetched Kafka records handed to the processors' batch loops a partition's worth at a time.

faust delivers a message to an agent through about ten Python layers per message: a
ConsumerMessage is built from the client's record, the conductor finds the topic's channels and
builds an Event, the event goes through an asyncio queue into the stream's iterator, ``take``
buffers it, and the agent acknowledges it alone. Measured with bench.noop_agent, that costs a
faust agent doing nothing 50-120 us per event on these machines (depending on the VM), about as
much as the identity and profile stages spend on their own work (docs/benchmarks.md).

The processors never look at an event alone: they handle batches (streams/common/faust_app.py).
So for an app whose only consumers are batch loops, ``BulkConsumer._drain_messages`` puts each
partition's list of fetched records, as the client returned it, into the topic's
``BulkBuffer``; the batch loop takes up to batch_size records within batch_seconds and, once its
handler has returned, acknowledges their offsets in faust's own bookkeeping (``_acked``,
``_acked_index``, ``_n_acked``). Everything else stays faust's: the consumer group and its
rebalances, the fetcher, the offset reading and the gap tracking its drain loop does, and its
commit loop, which commits the contiguous prefix of acknowledged offsets as for acked events.

Rebalances: faust stops the flow and clears its stream buffers through ``app.flow_control``;
the bulk buffers are managed by the same flow control, so they are cleared with them, and a
batch being filled when that happens is dropped (its records are fetched again from the
committed offsets). A batch that was taken counts as one unacknowledged message in faust's
``wait_empty`` until its handler has returned and it is acknowledged, so a rebalance waits for
it as for a stream's events.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from time import monotonic
from typing import Any, NamedTuple

from faust.transport.consumer import CONSUMER_FETCHING
from faust.types.tuples import ack_lock
from mode.utils.futures import notify

from streams.common.faust_inline import InlineConsumer, InlineTransport


class Chunk(NamedTuple):
    """Records of one partition in offset order, as the Kafka client returned them."""

    tp: Any
    records: list[Any]


class BulkBuffer:
    """The records fetched for one topic and not yet taken by its batch loop.

    ``put`` waits while ``maxsize`` records are buffered (backpressure on the fetcher, as a full
    stream buffer gives faust). ``clear`` (flow control, at every rebalance) drops everything
    and starts a new epoch: a ``take`` that was filling its batch across it starts over."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.epoch = 0
        self._chunks: deque[Chunk] = deque()
        self._size = 0
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()

    def __len__(self) -> int:
        return self._size

    async def put(self, chunk: Chunk, epoch: int) -> bool:
        """Append a chunk fetched in ``epoch``; False (dropped) if the buffer was cleared since."""
        while self._size >= self.maxsize and self.epoch == epoch:
            self._writable.clear()
            await self._writable.wait()
        if self.epoch != epoch:
            return False
        self._chunks.append(chunk)
        self._size += len(chunk.records)
        self._readable.set()
        return True

    async def take(self, max_records: int, within: float) -> list[Chunk]:
        """Wait for records, then take up to ``max_records`` of them, waiting at most ``within``
        seconds more for the batch to fill. Never returns an empty list."""
        loop = asyncio.get_running_loop()
        while True:
            while not self._chunks:
                self._readable.clear()
                await self._readable.wait()
            epoch = self.epoch
            deadline = loop.time() + within
            taken: list[Chunk] = []
            count = 0
            while self.epoch == epoch:
                count += self._pop_into(taken, max_records - count)
                if count >= max_records or (timeout := deadline - loop.time()) <= 0:
                    break
                self._readable.clear()
                try:
                    await asyncio.wait_for(self._readable.wait(), timeout)
                except TimeoutError:
                    break
            if self.epoch == epoch:
                return taken

    def _pop_into(self, taken: list[Chunk], room: int) -> int:
        count = 0
        chunks = self._chunks
        while chunks and count < room:
            chunk = chunks.popleft()
            if len(chunk.records) > room - count:
                cut = room - count
                chunks.appendleft(Chunk(chunk.tp, chunk.records[cut:]))
                chunk = Chunk(chunk.tp, chunk.records[:cut])
            taken.append(chunk)
            count += len(chunk.records)
        self._size -= count
        if self._size < self.maxsize:
            self._writable.set()
        return count

    def clear(self) -> None:
        self.epoch += 1
        self._chunks.clear()
        self._size = 0
        self._writable.set()
        self._readable.set()  # a take waiting for its batch to fill notices the new epoch now


class InFlight:
    """A taken batch as faust's ``wait_empty`` sees it: one unacknowledged message."""

    __slots__ = ("__weakref__", "acked", "refcount")

    def __init__(self) -> None:
        self.acked = False
        self.refcount = 1


class BulkConsumer(InlineConsumer):
    """faust's consumer with a bulk drain loop for apps whose topics all have a ``BulkBuffer``
    (``app.bulk_buffers``, filled by faust_app.batch_agent) and no agents or tables of faust's
    own; any other app drains message by message as faust does."""

    def _bulk_buffers(self) -> dict[str, BulkBuffer] | None:
        buffers: dict[str, BulkBuffer] = self.app.bulk_buffers  # type: ignore[attr-defined]
        if not buffers or len(self.app.agents) or len(self.app.tables):
            return None
        return buffers

    async def _drain_messages(self, fetcher: Any) -> None:
        buffers = self._bulk_buffers()
        if buffers is None:
            await super()._drain_messages(fetcher)
            return
        consumer_should_stop = self._stopped.is_set
        fetcher_should_stop = fetcher._stopped.is_set
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                self.diag.set_flag(CONSUMER_FETCHING)
                records, active = await self._wait_next_records(1.0)
                await self.sleep(0)
                if records and not self.should_stop:
                    await self._deliver(buffers, records, active)
                self.diag.unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if not self.transport.app.should_stop:
                raise
        except asyncio.CancelledError:
            if not self.transport.app.should_stop:
                raise
        finally:
            self.diag.unset_flag(CONSUMER_FETCHING)

    async def _deliver(self, buffers: dict[str, BulkBuffer], records: Any, active: Any) -> None:
        """One fetch's records into the buffers, partition by partition, as faust's getmany and
        drain loop would (active partitions only, nothing older than the read offset, gaps
        recorded), stopping at a rebalance."""
        if not self.flow_active:  # what faust's getmany does with records while stopped
            try:
                await self.perform_seek()
            except Exception as exc:  # noqa: BLE001 - as faust: the next rebalance seeks again
                self.log.warning("exception performing seek when flow not active %r", exc)
            return
        generation = self.app.consumer_generation_id
        epochs = {topic: buffer.epoch for topic, buffer in buffers.items()}
        for tp, fetched in records.items():
            if not self.flow_active or self.app.consumer_generation_id != generation:
                return
            if active is not None and tp not in active and tp not in self._buffered_partitions:
                continue
            unread = await self._unread(tp, fetched)
            if not unread:
                continue
            self.app.monitor.track_tp_end_offset(tp, self.highwater(tp))
            if not await buffers[tp.topic].put(Chunk(tp, unread), epochs[tp.topic]):
                return
            self._read_offset[tp] = unread[-1].offset
        commit_every = self._commit_every
        if commit_every is not None and self._n_acked >= commit_every:
            self._n_acked = 0
            await self.commit()

    async def _unread(self, tp: Any, fetched: list[Any]) -> list[Any]:
        """The records at or after the read offset, after recording any gap in their offsets
        (transaction markers, compaction) the way faust's drain loop does, so that commits go
        past it."""
        read = self._read_offset[tp]
        if read is not None and fetched[0].offset < read:
            fetched = [r for r in fetched if r.offset >= read]
            if not fetched:
                return fetched
        first, last = fetched[0].offset, fetched[-1].offset
        contiguous = last - first == len(fetched) - 1 and not (read and first - read > 1)
        if not contiguous and self.app.topics.acks_enabled_for(tp.topic):
            previous = read
            for record in fetched:
                if previous and record.offset - previous > 1:
                    await self._add_gap(tp, previous + 1, record.offset)
                previous = record.offset
        return fetched

    def begin_batch(self, chunks: Iterable[Chunk]) -> InFlight:
        """A taken batch: faust's wait_empty waits for it until ``ack_batch``. Its partitions
        count as processed now for faust's livelock check, which otherwise logs a partition
        with lag whose stream took nothing for stream_processing_timeout as stuck (the
        Monitor sensor that a stream would tell is off, see faust_app._App)."""
        inbound = self.app.monitor.stream_inbound_time
        now = monotonic()
        for chunk in chunks:
            inbound[chunk.tp] = now
        token = InFlight()
        self._unacked_messages.add(token)  # type: ignore[arg-type]
        return token

    def ack_batch(self, token: InFlight, chunks: Iterable[Chunk]) -> None:
        """Acknowledge every record of a handled batch, as ``Consumer.ack`` does one message:
        offsets below the committed one, already acknowledged, or of partitions no longer
        assigned (revoked while the batch ran) are skipped."""
        with ack_lock:
            assigned = self.assignment()
            for tp, records in chunks:
                if tp not in assigned:
                    continue
                committed = self._committed_offset[tp]
                index = self._acked_index[tp]
                offsets = {r.offset for r in records} - index
                if committed is not None:
                    offsets = {o for o in offsets if o >= committed}
                index.update(offsets)
                self._acked[tp].extend(offsets)
                self._n_acked += len(offsets)
            token.acked = True
            token.refcount = 0
            self._unacked_messages.discard(token)  # type: ignore[arg-type]
            notify(self._waiting_for_ack)


class BulkTransport(InlineTransport):
    Consumer = BulkConsumer
