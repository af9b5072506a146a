"""The history sink's loop (confluent-kafka): poll in batches, map to rows, write, then commit.

Snuba-style: prefilter/decode -> pure rows -> one batch -> write (retry with backoff while
ClickHouse is down, never committing) -> synchronous commit of the consumed positions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from core import metrics
from core.clock import Clock, wall_clock_ms
from schemas.errors import InvalidEvent
from sinks.history.batch import Batch
from sinks.history.decode import Decoder
from sinks.history.rows_deadletter import STAGE, dead_letter_row, rejected
from sinks.history.writer import HistoryWriter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SinkConfig:
    max_rows: int = 100_000  # rows per batch (all tables together)
    max_ms: int = 500  # oldest message in a batch waits at most this long
    poll_messages: int = 10_000  # consume(num_messages=...)
    backoff_ms: tuple[int, ...] = (100, 200, 500, 1000, 2000, 5000)


class HistorySink:
    def __init__(
        self, consumer: Any, decoder: Decoder, writer: HistoryWriter,
        config: SinkConfig | None = None, clock: Clock = wall_clock_ms,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:  # fmt: skip
        self.consumer = consumer
        self.decoder = decoder
        self.writer = writer
        self.config = config or SinkConfig()
        self.clock = clock
        self.sleep = sleep
        self.erased: set[str] = set()
        self.batch = Batch(erased=self.erased)
        self.started_ms: int | None = None

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set; then flush, commit and close the consumer."""
        self.erased |= self.writer.erased_profiles()
        self.consumer.subscribe(self.decoder.topics, on_revoke=self._on_revoke)
        try:
            while not stop.is_set():
                self.step()
            self.flush()
        finally:
            self.consumer.close()

    def step(self) -> None:
        """One poll; flush if the batch is full or old enough."""
        messages = self.consumer.consume(self.config.poll_messages, self._timeout_s())
        for message in messages:
            self.handle(message)
        if self._due():
            self.flush()

    def handle(self, message: Any) -> None:
        error = message.error()
        if error is not None:
            if error.code() != KafkaError._PARTITION_EOF:
                log.warning("kafka error: %s", error)
            return
        if self.started_ms is None:
            self.started_ms = self.clock()
        topic, partition, offset = message.topic(), message.partition(), message.offset()
        metrics.EVENTS_RECEIVED.labels(STAGE).inc()
        try:
            kind, record = self.decoder.decode(topic, message.value())
            self.batch.add(kind, record)
            metrics.EVENTS_ACCEPTED.labels(STAGE).inc()
        except InvalidEvent as exc:
            self._reject(exc, message, topic, partition, offset)
        except (KeyError, TypeError, ValueError) as exc:  # schema-valid but unmappable
            self._reject(
                InvalidEvent("unmappable", type(exc).__name__), message, topic, partition, offset
            )
        self.batch.seen(topic, partition, offset)

    def _reject(
        self, exc: InvalidEvent, message: Any, topic: str, partition: int, offset: int
    ) -> None:
        _, timestamp = message.timestamp()
        record = rejected(exc, message.value(), topic, partition, offset, timestamp or 0)
        self.batch.dead_letters.append(dead_letter_row(record))
        metrics.EVENTS_REJECTED.labels(STAGE, exc.reason).inc()

    def flush(self) -> None:
        """Write the batch (retrying until it succeeds), then commit its offsets."""
        batch = self.batch
        if not batch.messages:
            return
        with metrics.BATCH_SECONDS.labels(STAGE).time():
            self._write_with_retry(batch)
        self.erased |= batch.erased_profiles()
        self._commit(batch.offsets)
        self.batch = Batch(erased=self.erased)
        self.started_ms = None

    def _write_with_retry(self, batch: Batch) -> None:
        attempt = 0
        while True:
            try:
                self.writer.write(batch)
                return
            except Exception as exc:  # an outage: back off and retry, never commit
                delay = self.config.backoff_ms[min(attempt, len(self.config.backoff_ms) - 1)]
                log.warning("ClickHouse write failed (%s); retry in %d ms", exc, delay)
                metrics.HISTORY_RETRIES.inc()
                attempt += 1
                self.sleep(delay / 1000)

    def _commit(self, offsets: dict[tuple[str, int], int]) -> None:
        positions = [TopicPartition(t, p, o) for (t, p), o in offsets.items()]
        try:
            self.consumer.commit(offsets=positions, asynchronous=False)
            metrics.HISTORY_COMMITS.labels("ok").inc()
        except KafkaException as exc:  # lost the partitions: the new owner replays, dedup holds
            log.warning("commit failed: %s", exc)
            metrics.HISTORY_COMMITS.labels("failed").inc()

    def _on_revoke(self, consumer: Any, partitions: list[Any]) -> None:
        self.flush()

    def _due(self) -> bool:
        if not self.batch.messages:
            return False
        if self.batch.rows >= self.config.max_rows:
            return True
        return self.started_ms is not None and self.clock() - self.started_ms >= self.config.max_ms

    def _timeout_s(self) -> float:
        if self.started_ms is None:
            return self.config.max_ms / 1000
        left = self.config.max_ms - (self.clock() - self.started_ms)
        return max(0.0, left / 1000)
