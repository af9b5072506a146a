"""The history sink's loop (confluent-kafka): poll in batches, map to rows, write, then commit.

Snuba-style: prefilter/decode -> pure rows -> one batch -> write (retry with backoff while
ClickHouse is down, never committing) -> synchronous commit of the consumed positions.

- Prefilter (``take``): resolved touchpoints written with the current schema id wait in
  ``pending``; every other message (older schema ids, identity changes, erasures, dead letters)
  is decoded at once with fastavro (``handle``).
- At flush the batch is handed to the pipeline (pipeline.py): a decode thread runs the bulk
  step over the waiting messages (one chdb query, bulk_step/bulk), then a write thread inserts
  the batch, while the loop consumes the next one. Offsets are committed once that write
  finished.

Erased profiles (no `pii` rows any more) are an immutable set replaced at each hand-over, so a
batch being decoded keeps the set of its own time.
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
from sinks.history.bulk import BulkDecodeError, BulkDecoder
from sinks.history.bulk_step import BulkStep
from sinks.history.decode import Decoder
from sinks.history.pipeline import Pipeline
from sinks.history.rows_deadletter import STAGE, dead_letter_row, rejected
from sinks.history.writer import HistoryWriter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SinkConfig:
    max_rows: int = 100_000  # rows per batch (all tables together)
    max_ms: int = 500  # oldest message in a batch waits at most this long
    poll_messages: int = 10_000  # consume(num_messages=...)
    bulk_decode: bool = True  # resolved touchpoints: one chdb query per batch (else fastavro)
    decode_threads: int = 1  # chdb threads of a bulk decode (files read in parallel)
    split_below: int = 512  # a failed bulk decode of fewer messages is decoded per message
    backoff_ms: tuple[int, ...] = (100, 200, 500, 1000, 2000, 5000)


class HistorySink:
    def __init__(
        self, consumer: Any, decoder: Decoder, writer: HistoryWriter,
        config: SinkConfig | None = None, clock: Clock = wall_clock_ms,
        sleep: Callable[[float], None] = time.sleep, bulk: BulkDecoder | None = None,
    ) -> None:  # fmt: skip
        self.consumer = consumer
        self.decoder = decoder
        self.writer = writer
        self.config = config or SinkConfig()
        self.clock = clock
        self.sleep = sleep
        self.bulk = bulk
        self.erased: frozenset[str] = frozenset()
        self.batch = Batch(erased=self.erased)
        self.pending: list[Any] = []  # current-schema resolved touchpoints for the bulk step
        self.started_ms: int | None = None  # when the batch's oldest message could arrive
        self.polled_ms = 0  # when the last consume() began
        self.pipeline: Pipeline[Batch] = Pipeline(self._write_with_retry)
        self._received = metrics.EVENTS_RECEIVED.labels(STAGE)
        self._accepted = metrics.EVENTS_ACCEPTED.labels(STAGE)

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set; then flush, commit and close the consumer."""
        self.erased = self.erased | self.writer.erased_profiles()
        self.batch = Batch(erased=self.erased)
        self.consumer.subscribe(self.decoder.topics, on_revoke=self._on_revoke)
        try:
            self._warm_up()  # while the consumer group is joined in the background
            while not stop.is_set():
                self.step()
            self.flush()
            self.drain()
        finally:
            self.pipeline.close()
            self.consumer.close()
            if self.bulk is not None:
                self.bulk.close()

    def _warm_up(self) -> None:
        if self.bulk is None:
            return
        try:
            self.bulk.warm_up()
        except BulkDecodeError as exc:  # chdb unusable here: every message goes per message
            log.error("bulk decode unavailable (%s): decoding per message", exc)
            self.bulk.close()
            self.bulk = None

    def step(self) -> None:
        """One poll; flush if the batch is full or old enough. consume() returns once
        ``poll_messages`` arrived or its timeout passed, so a batch's age counts from the start
        of the poll that brought its first message (the oldest may have waited since then)."""
        self.polled_ms = self.clock()
        messages = self.consumer.consume(self.config.poll_messages, self._timeout_s())
        if messages:
            self.take(messages)
        if self._due():
            self.flush()
        for written in self.pipeline.written():
            self._commit(written)

    def take(self, messages: list[Any]) -> None:
        """Prefilter. Per waiting message this is a few attribute reads: the sink's hot loop."""
        if self.bulk is None:
            for message in messages:
                self.handle(message)
            return
        topic, header = self.decoder.resolved_topic, self.bulk.header
        pending, offsets, before = self.pending, self.batch.offsets, len(self.pending)
        for message in messages:
            if message.error() is None and message.topic() == topic:
                value = message.value()
                if value is not None and value.startswith(header):
                    pending.append(message)
                    offsets[(topic, message.partition())] = message.offset() + 1
                    continue
            self.handle(message)
        if self.started_ms is None and len(pending) > before:
            self.started_ms = self.polled_ms

    def handle(self, message: Any) -> None:
        """Decode one message with fastavro now (the per-message path)."""
        error = message.error()
        if error is not None:
            if error.code() != KafkaError._PARTITION_EOF:
                log.warning("kafka error: %s", error)
            return
        if self.started_ms is None:
            self.started_ms = self.polled_ms
        self._received.inc()
        self.decode_one(message, self.batch)
        self.batch.seen(message.topic(), message.partition(), message.offset())

    def decode_one(self, message: Any, batch: Batch) -> None:
        try:
            kind, record = self.decoder.decode(message.topic(), message.value())
            batch.add(kind, record)
            self._accepted.inc()
            metrics.HISTORY_DECODED.labels("python").inc()
        except InvalidEvent as exc:
            self._reject(exc, message, batch)
        except (KeyError, TypeError, ValueError) as exc:  # schema-valid but unmappable
            self._reject(InvalidEvent("unmappable", type(exc).__name__), message, batch)

    def _reject(self, exc: InvalidEvent, message: Any, batch: Batch) -> None:
        _, timestamp = message.timestamp()
        record = rejected(
            exc, message.value(), message.topic(), message.partition(), message.offset(),
            timestamp or 0,
        )  # fmt: skip
        batch.dead_letters.append(dead_letter_row(record))
        metrics.EVENTS_REJECTED.labels(STAGE, exc.reason).inc()

    def flush(self) -> None:
        """Hand the batch and its waiting messages to the pipeline; commit what it has written.
        The bulk step over the waiting messages runs in the pipeline's decode thread and adds to
        the handed-over batch only."""
        batch, pending = self.batch, self.pending
        if not batch.messages and not pending:
            return
        batch.messages += len(pending)
        self._received.inc(len(pending))
        erased, self.erased = self.erased, self.erased | batch.erased_profiles()
        self.batch, self.pending, self.started_ms = Batch(erased=self.erased), [], None
        for written in self.pipeline.submit(batch, lambda: self._decode(pending, batch, erased)):
            self._commit(written)

    def _decode(self, pending: list[Any], batch: Batch, erased: frozenset[str]) -> None:
        if pending and self.bulk is not None:
            step = BulkStep(self.bulk, lambda m: self.decode_one(m, batch), self.config.split_below)
            self._accepted.inc(step.decode(pending, batch, erased))

    def drain(self) -> None:
        """Wait until every batch in flight is written, committing each."""
        for written in self.pipeline.finish():
            self._commit(written)

    def _write_with_retry(self, batch: Batch) -> None:
        attempt = 0
        with metrics.BATCH_SECONDS.labels(STAGE).time():
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

    def _commit(self, written: Batch) -> None:
        positions = [TopicPartition(t, p, o) for (t, p), o in written.offsets.items()]
        try:
            self.consumer.commit(offsets=positions, asynchronous=False)
            metrics.HISTORY_COMMITS.labels("ok").inc()
        except KafkaException as exc:  # lost the partitions: the new owner replays, dedup holds
            log.warning("commit failed: %s", exc)
            metrics.HISTORY_COMMITS.labels("failed").inc()

    def _on_revoke(self, consumer: Any, partitions: list[Any]) -> None:
        self.flush()
        self.drain()

    def _due(self) -> bool:
        if not self.batch.messages and not self.pending:
            return False
        if self.batch.rows + len(self.pending) >= self.config.max_rows:
            return True
        return self.started_ms is not None and self.clock() - self.started_ms >= self.config.max_ms

    def _timeout_s(self) -> float:
        if self.started_ms is None:
            return self.config.max_ms / 1000
        left = self.config.max_ms - (self.clock() - self.started_ms)
        return max(0.0, left / 1000)
