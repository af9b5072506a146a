"""The Python producer API for upstream systems: validated touchpoints -> Avro on Kafka.

- idempotent producer (core.kafka.producer: enable.idempotence, acks=all), so librdkafka's own
  retries neither duplicate nor reorder;
- delivery reports counted: ``delivered`` and ``failed`` (by reason), also as Prometheus counters;
- backpressure: when the local queue is full (BufferError) it serves delivery reports until
  there is room, then retries;
- ``flush(timeout)`` returns how many messages are still undelivered; ``close()`` flushes;
  usable as a context manager.

The hot path is encode + produce; delivery reports are served every ``poll_every`` messages.
``errors_only=True`` (with a Kafka producer configured ``delivery.report.only.error``, see
``ERRORS_ONLY``) skips a Python callback per delivered message: failures are still reported
one by one, and successes are counted when ``flush`` finds nothing left in flight.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from connectors.keys import partition_key
from core import kafka, metrics, topics
from core.clock import Clock, wall_clock_ms
from core.settings import Settings
from schemas.catalogue import DEAD_LETTER, TOUCHPOINT
from schemas.registry import source_for
from schemas.wire_encoder import wire_encoder, wire_header

DeliveryCallback = Callable[[Any, Any], None]  # (KafkaError | None, Message)
BACKPRESSURE_POLL_S = 0.05
ERRORS_ONLY = {"delivery.report.only.error": True}  # Kafka producer setting for errors_only


class TouchpointProducer:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = wall_clock_ms,
        producer: Any = None,
        poll_every: int = 1000,
        errors_only: bool = False,
    ) -> None:
        source = source_for(settings.schema_registry_url)
        self.clock = clock
        self.touchpoint_topic = kafka.topic(settings, topics.TOUCHPOINTS)
        self.dead_letter_topic = kafka.topic(settings, topics.DEAD_LETTERS)
        self._producer = producer if producer is not None else kafka.producer(settings)
        self._encode_touchpoint = wire_encoder(TOUCHPOINT, source)  # same bytes as Codec's
        self.touchpoint_header = wire_header(TOUCHPOINT, source)  # what encoded values start with
        self._encode_dead_letter = wire_encoder(DEAD_LETTER, source)
        self._poll_every = poll_every
        self._since_poll = 0
        self._lock = threading.Lock()
        self.delivered = 0
        self.failed: Counter[str] = Counter()
        self._errors_only = errors_only
        self._unreported: Counter[str] = Counter()  # sent, no report yet (errors_only)
        self._delivered_metric = {
            t: metrics.PRODUCER_DELIVERED.labels(t)
            for t in (self.touchpoint_topic, self.dead_letter_topic)
        }

    # producing
    def send(
        self, touchpoint: dict[str, Any], *, on_delivery: DeliveryCallback | None = None
    ) -> None:
        """Produce one validated touchpoint, keyed by its strongest identifier."""
        value = self._encode_touchpoint(touchpoint)
        self._produce(self.touchpoint_topic, value, partition_key(touchpoint), on_delivery)

    def encode(self, touchpoint: dict[str, Any]) -> bytes:
        """A validated touchpoint's value as ``send`` produces it (for ``send_encoded``)."""
        return self._encode_touchpoint(touchpoint)

    def send_encoded(self, messages: Sequence[tuple[bytes | None, bytes]]) -> None:
        """Produce touchpoints already encoded (wire format, ``touchpoint_header`` first), each
        ``(partition key, value)``, in order: one tight loop, counted once per batch."""
        produce, topic, callback = self._producer.produce, self.touchpoint_topic, self._on_delivery
        queued = 0
        for key, value in messages:
            try:
                produce(topic, value, key, on_delivery=callback)
            except BufferError:  # serves delivery reports until there is room (and counts it)
                self._produce(topic, value, key, None)
                continue
            queued += 1
        if self._errors_only:
            self._unreported[topic] += queued
        self._since_poll += queued
        if self._since_poll >= self._poll_every:
            self._since_poll = 0
            self._producer.poll(0)

    def send_dead_letter(
        self, record: dict[str, Any], *, on_delivery: DeliveryCallback | None = None
    ) -> None:
        """Produce one cdp.DeadLetter record (see core.deadletter.dead_letter); no key."""
        self._produce(self.dead_letter_topic, self._encode_dead_letter(record), None, on_delivery)

    def send_and_wait(
        self,
        touchpoints: Iterable[dict[str, Any]],
        dead_letters: Iterable[dict[str, Any]],
        timeout: float,
    ) -> bool:
        """Produce a batch and wait for its delivery reports: True when all of it is in Kafka,
        False when any message failed or the timeout passed first (e.g. the broker is down)."""
        if self._errors_only:
            raise ValueError("send_and_wait needs a report per message (errors_only=False)")
        batch = _BatchReport()
        for touchpoint in touchpoints:
            batch.expect()
            self.send(touchpoint, on_delivery=batch.report)
        for record in dead_letters:
            batch.expect()
            self.send_dead_letter(record, on_delivery=batch.report)
        deadline = time.monotonic() + timeout
        while not batch.done() and (left := deadline - time.monotonic()) > 0:
            self._producer.poll(min(left, 0.05))
        return batch.done() and batch.failures == 0

    def _produce(
        self, topic: str, value: bytes, key: bytes | None, on_delivery: DeliveryCallback | None
    ) -> None:
        callback = (
            self._on_delivery if on_delivery is None else _chain(self._on_delivery, on_delivery)
        )
        while True:
            try:
                self._producer.produce(topic, value, key, on_delivery=callback)
                break
            except BufferError:  # local queue full: serve delivery reports, then retry
                self._producer.poll(BACKPRESSURE_POLL_S)
        if self._errors_only:
            self._unreported[topic] += 1
        self._since_poll += 1
        if self._since_poll >= self._poll_every:
            self._since_poll = 0
            self._producer.poll(0)

    def _on_delivery(self, err: Any, msg: Any) -> None:
        if self._errors_only:
            with self._lock:
                self._unreported[msg.topic()] -= 1
        if err is None:
            with self._lock:
                self.delivered += 1
            self._delivered_metric[msg.topic()].inc()
            return
        reason = _reason(err)
        with self._lock:
            self.failed[reason] += 1
        metrics.PRODUCER_FAILED.labels(msg.topic(), reason).inc()

    # lifecycle
    def poll(self, timeout: float = 0.0) -> int:
        """Serve delivery reports; returns how many were served."""
        return int(self._producer.poll(timeout))

    def flush(self, timeout: float = 30.0) -> int:
        """Wait for delivery of everything produced; returns the number still undelivered."""
        left = int(self._producer.flush(timeout))
        if self._errors_only and left == 0:
            self._count_unreported()
        return left

    def _count_unreported(self) -> None:
        """Nothing in flight: every message without a failure report was delivered."""
        with self._lock:
            unreported, self._unreported = self._unreported, Counter()
            self.delivered += sum(unreported.values())
        for topic, n in unreported.items():
            if n:
                self._delivered_metric[topic].inc(n)

    def close(self, timeout: float = 30.0) -> int:
        return self.flush(timeout)

    def __enter__(self) -> TouchpointProducer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _BatchReport:
    """Delivery reports of one batch; reports may arrive on any thread that polls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.expected = 0
        self.reported = 0
        self.failures = 0

    def expect(self) -> None:
        self.expected += 1

    def report(self, err: Any, _msg: Any) -> None:
        with self._lock:
            self.reported += 1
            self.failures += err is not None

    def done(self) -> bool:
        return self.reported >= self.expected


def _chain(first: DeliveryCallback, second: DeliveryCallback) -> DeliveryCallback:
    def both(err: Any, msg: Any) -> None:
        first(err, msg)
        second(err, msg)

    return both


def _reason(err: Any) -> str:
    name = getattr(err, "name", None)
    return str(name()) if callable(name) else str(err)
