"""faust-streaming plumbing shared by the stream processors: the app factory, the batch loop and
the foreground worker. Business logic never imports this module."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar, cast

import faust

from core.settings import Settings
from streams.common.faust_bulk import BulkBuffer, BulkConsumer, BulkTransport, Chunk
from streams.common.fetch_wait import set_fetch_wait
from streams.common.messages import RawMessage

log = logging.getLogger(__name__)
T = TypeVar("T")
EXIT_FATAL = 70  # EX_SOFTWARE: the worker stopped itself rather than skip input


class _App(faust.App):
    """A faust App without its Monitor sensor on the per-event path, whose consumer hands the
    batch loops of ``batch_agent`` whole fetched partitions (streams/common/faust_bulk.py) and
    delivers any faust agent's messages without four tasks each (streams/common/faust_inline.py).

    faust calls every sensor four times per event (message in, stream event in/out, message
    out); its built-in Monitor keeps counters and timings there that nothing here reads (faust's
    web server is off; our own Prometheus counters count outcomes per batch). Measured with
    bench.noop_agent on this machine: ~10-25 % more events/s for a faust agent doing nothing.
    The Monitor object stays (faust calls it directly for commits and end offsets)."""

    def on_init_dependencies(self) -> Any:
        dependencies = super().on_init_dependencies()
        self.sensors.remove(self.monitor)
        return dependencies

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bulk_buffers: dict[str, BulkBuffer] = {}  # topic name -> its batch loop's buffer

    def _new_transport(self) -> Any:
        return BulkTransport(self.conf.broker_consumer, self)

    def bulk_buffer(self, topic: Any) -> BulkBuffer:
        """The buffer the consumer fills with ``topic``'s records (subscribing to it), cleared
        by faust's flow control at every rebalance like a stream's buffer."""
        buffer = BulkBuffer(self.conf.stream_buffer_maxsize)
        for name in topic.topics:
            if name in self.bulk_buffers:
                raise ValueError(f"topic {name} already has a batch loop")
            self.bulk_buffers[name] = buffer
        self.topics.add(topic)  # what iterating the topic in an agent would do: subscribe
        self.flow_control.manage_queue(buffer)  # type: ignore[arg-type]
        return buffer

    def on_rebalance_start(self) -> None:
        """With no sensor left, faust's rebalance state is an empty dict, which faust takes
        for "missing" and warns about at every rebalance; a non-empty state that no sensor
        reads keeps the logs to what matters."""
        super().on_rebalance_start()
        if not self._rebalancing_sensor_state:
            self._rebalancing_sensor_state = {None: None}


def make_app(
    settings: Settings,
    name: str,
    *,
    datadir: Path | None = None,
    web_port: int | None = None,
    stock: bool = False,
    **overrides: Any,
) -> faust.App:
    """A faust app whose id (= consumer group) is ``topic_prefix + name``; raw bytes in and out
    (decoding is the processor's job); topics come from `cdp init`, never declared by faust.
    web_port None disables faust's web server (no port clash between workers). stock: faust.App
    as shipped, without this module's two per-event savings (bench.noop_agent's reference)."""
    set_fetch_wait(settings.kafka_fetch_wait_ms)
    app_id = f"{settings.topic_prefix}{name}"
    datadir = datadir or worker_datadir(settings, app_id)
    datadir.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {
        "broker": [f"kafka://{s.strip()}" for s in settings.kafka_bootstrap_servers.split(",")],
        "value_serializer": "raw",
        "key_serializer": "raw",
        "store": "memory://",
        "datadir": str(datadir),
        "web_enabled": web_port is not None,
        "web_port": web_port or settings.faust_web_port,
        "broker_session_timeout": 6.0,
        "broker_heartbeat_interval": 1.0,
        "consumer_auto_offset_reset": "earliest",
        "topic_allow_declare": False,
        "topic_disable_leader": True,
        "topic_partitions": settings.topic_partitions,
        "stream_buffer_maxsize": max(4096, settings.batch_size * 2),
    }
    options.update(overrides)
    return (faust.App if stock else _App)(app_id, **options)


def worker_datadir(settings: Settings, app_id: str) -> Path:
    """One data dir per worker process, so several workers can run side by side."""
    return settings.state_dir / "faust" / f"{app_id}-{os.getpid()}"


def raw_topic(app: faust.App, name: str) -> Any:
    return app.topic(name, value_serializer="raw", key_serializer="raw")


def batch_agent(
    app: faust.App,
    topic: Any,
    settings: Settings,
    name: str,
    handle: Callable[[list[RawMessage]], Any],
    *,
    in_thread: bool = True,
) -> Any:
    """Register a batch loop that hands ``topic``'s messages to ``handle`` in batches of up to
    settings.batch_size, waiting at most settings.batch_seconds for a batch to fill. The records
    come from the consumer a fetched partition at a time (streams/common/faust_bulk.py), not
    through a faust stream.

    A batch is acknowledged only after ``handle`` returns; faust commits acknowledged offsets.
    ``handle`` must deal with bad data itself (dead letters) and retry outages; anything that
    still escapes is a bug or a deliberate stop (e.g. the dead-letter limit): the worker exits at
    once without acknowledging the batch.

    With in_thread, ``handle`` runs in one worker thread (so batches run one after another, in
    order) while the loop already takes the next batch: taking overlaps this batch's waits on
    Redis and Kafka. At most two batches are in flight; a batch whose ``handle`` has not
    returned is never acknowledged, and a rebalance waits for it (faust's wait_empty).
    """
    if not isinstance(app, _App):
        raise TypeError("batch_agent needs an app from make_app() (not stock)")
    buffer = app.bulk_buffer(topic)
    executor = ThreadPoolExecutor(1, thread_name_prefix=name) if in_thread else None

    async def handled(
        work: Awaitable[Any], consumer: BulkConsumer, token: Any, chunks: list[Chunk]
    ) -> None:
        try:
            await work
        except Exception as exc:  # noqa: BLE001 - see docstring
            fatal(f"{name}: stopping the worker without acknowledging the batch: {exc!r}")
        consumer.ack_batch(token, chunks)

    async def run_inline(batch: list[RawMessage]) -> None:
        result = handle(batch)
        if isinstance(result, Awaitable):
            await result

    async def batches() -> None:
        consumer = cast(BulkConsumer, app.consumer)
        loop = asyncio.get_running_loop()
        in_flight: asyncio.Future[None] | None = None
        try:
            while True:
                chunks = await buffer.take(settings.batch_size, settings.batch_seconds)
                token = consumer.begin_batch(chunks)
                batch = [_raw(r) for chunk in chunks for r in chunk.records]
                if executor is None:
                    await handled(run_inline(batch), consumer, token, chunks)
                    continue
                work = loop.run_in_executor(executor, handle, batch)
                previous = in_flight
                in_flight = asyncio.ensure_future(handled(work, consumer, token, chunks))
                if previous is not None:
                    await previous
        except Exception as exc:  # noqa: BLE001 - a bug in the loop: stop rather than stall
            fatal(f"{name}: the batch loop failed: {exc!r}")

    batches.__name__ = batches.__qualname__ = name
    return app.task(batches)


def _raw(record: Any) -> RawMessage:
    return RawMessage(record.value, record.topic, record.partition, record.offset)


def fatal(message: str) -> None:
    log.critical(message, exc_info=True)
    print(f"FATAL: {message}", file=sys.stderr, flush=True)
    logging.shutdown()
    os._exit(EXIT_FATAL)


def run_worker(app: faust.App, loglevel: str = "WARNING") -> None:
    """Run the app in the foreground until SIGINT/SIGTERM."""
    from faust.worker import Worker

    Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False).execute_from_commandline()
