"""Entry point wiring: build the clients from the settings, migrate, run until a signal."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from clickhouse_driver import Client

from core import kafka
from core.settings import Settings
from schemas.registry import source_for
from sinks.history import GROUP
from sinks.history.bulk import BulkDecoder
from sinks.history.consumer import HistorySink, SinkConfig
from sinks.history.decode import Decoder
from sinks.history.http_insert import HttpInserter
from sinks.history.migrate import migrate
from sinks.history.writer import HistoryWriter

log = logging.getLogger(__name__)

CONSUMER_OVERRIDES: dict[str, Any] = {
    "fetch.max.bytes": 64 * 1024 * 1024,
    "max.partition.fetch.bytes": 16 * 1024 * 1024,
    "queued.min.messages": 200_000,
}


def clickhouse_client(settings: Settings) -> Client:
    return Client(**settings.clickhouse_kwargs, settings={"max_block_size": 100_000})


DEFAULT_CONFIG = SinkConfig()


def http_inserter(settings: Settings) -> HttpInserter:
    return HttpInserter(
        settings.clickhouse_host,
        settings.clickhouse_http_port,
        settings.clickhouse_user,
        settings.clickhouse_password.get_secret_value(),
    )


def bulk_decoder(decoder: Decoder, config: SinkConfig) -> BulkDecoder | None:
    """The chdb bulk decoder, or None (every message decoded with fastavro) when switched off
    or when the writer schema uses Avro types it does not handle."""
    if not config.bulk_decode:
        return None
    schema_id, writer = decoder.resolved_writer()
    try:
        return BulkDecoder(writer, schema_id, threads=config.decode_threads)
    except ValueError as exc:
        log.error("bulk decode unavailable (%s): decoding per message", exc)
        return None


def build(
    settings: Settings, group: str = GROUP, config: SinkConfig = DEFAULT_CONFIG
) -> HistorySink:
    client = clickhouse_client(settings)
    migrate(client, settings.clickhouse_database)
    decoder = Decoder(settings.topic_prefix, source_for(settings.schema_registry_url))
    writer = HistoryWriter(client, settings.clickhouse_database, http_inserter(settings))
    consumer = kafka.consumer(settings, group, **CONSUMER_OVERRIDES)
    bulk = bulk_decoder(decoder, config)
    return HistorySink(consumer, decoder, writer, config, bulk=bulk)


def stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, frame: Any) -> None:
        log.info("signal %d: flushing and stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def run(settings: Settings, stop: threading.Event | None = None) -> None:
    """Run the sink in the foreground; SIGTERM/SIGINT flush, commit and return."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        stop_on_signals(stop)
    build(settings, f"{settings.topic_prefix}{GROUP}").run(stop)
