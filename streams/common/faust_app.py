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
from typing import Any, TypeVar

import faust

from core.settings import Settings
from streams.common.faust_inline import InlineTransport
from streams.common.fetch_wait import set_fetch_wait
from streams.common.messages import RawMessage

log = logging.getLogger(__name__)
T = TypeVar("T")
EXIT_FATAL = 70  # EX_SOFTWARE: the worker stopped itself rather than skip input


class _App(faust.App):
    """A faust App without its Monitor sensor on the per-event path, whose consumer delivers
    messages without four tasks each (streams/common/faust_inline.py).

    faust calls every sensor four times per event (message in, stream event in/out, message
    out); its built-in Monitor keeps counters and timings there that nothing here reads (faust's
    web server is off; our own Prometheus counters count outcomes per batch). Measured with
    bench.noop_agent on this machine: ~10-25 % more events/s for a faust agent doing nothing.
    The Monitor object stays (faust calls it directly for commits and end offsets)."""

    def on_init_dependencies(self) -> Any:
        dependencies = super().on_init_dependencies()
        self.sensors.remove(self.monitor)
        return dependencies

    def _new_transport(self) -> Any:
        return InlineTransport(self.conf.broker_consumer, self)

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
    """Register an agent that hands batches of raw messages to ``handle``.

    The batch is acknowledged only after ``handle`` returns. ``handle`` must deal with bad data
    itself (dead letters) and retry outages; anything that still escapes is a bug or a deliberate
    stop (e.g. the dead-letter limit): the worker exits at once without acknowledging the batch,
    because a crashed faust agent would otherwise acknowledge it and stop consuming silently.

    With in_thread, ``handle`` runs in one worker thread (so batches run one after another, in
    order) while faust already takes the next batch: its stream work overlaps this batch's waits
    on Redis and Kafka. faust acknowledges a taken batch as soon as the next one is taken, so
    each message gets one more reference (faust's own refcount, as for a message several
    agents read) which is released only when ``handle`` has returned for its batch. At most two
    batches are in flight; a batch whose ``handle`` has not returned is never committed.
    """
    executor = ThreadPoolExecutor(1, thread_name_prefix=name) if in_thread else None

    async def ack_when_handled(stream: Any, handled: Awaitable[Any], events: list[Any]) -> None:
        try:
            await handled
        except Exception as exc:  # noqa: BLE001 - see docstring
            fatal(f"{name}: stopping the worker without acknowledging the batch: {exc!r}")
        for event in events:
            await stream.ack(event)

    async def agent(stream: Any) -> None:
        loop = asyncio.get_running_loop()
        in_flight: asyncio.Future[None] | None = None
        async for events in stream.take_events(settings.batch_size, within=settings.batch_seconds):
            batch = [_raw(e) for e in events]
            if executor is not None:
                for event in events:
                    event.message.incref()
                handled = loop.run_in_executor(executor, handle, batch)
                previous = in_flight
                in_flight = asyncio.ensure_future(ack_when_handled(stream, handled, list(events)))
                if previous is not None:
                    await previous
                continue
            try:
                result = handle(batch)
                if isinstance(result, Awaitable):
                    await result
            except Exception as exc:  # noqa: BLE001 - see docstring
                fatal(f"{name}: stopping the worker without acknowledging the batch: {exc!r}")

    agent.__name__ = agent.__qualname__ = name
    return app.agent(topic, name=name)(agent)


def _raw(event: Any) -> RawMessage:
    m = event.message
    return RawMessage(m.value, m.topic, m.partition, m.offset)


def fatal(message: str) -> None:
    log.critical(message, exc_info=True)
    print(f"FATAL: {message}", file=sys.stderr, flush=True)
    logging.shutdown()
    os._exit(EXIT_FATAL)


def run_worker(app: faust.App, loglevel: str = "WARNING") -> None:
    """Run the app in the foreground until SIGINT/SIGTERM."""
    from faust.worker import Worker

    Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False).execute_from_commandline()
