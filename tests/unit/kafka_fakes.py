"""An in-memory stand-in for confluent_kafka.Producer: produce, poll, flush, delivery reports."""

from __future__ import annotations

from typing import Any


class FakeError:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class FakeMessage:
    def __init__(self, topic: str, key: bytes | None, value: bytes) -> None:
        self._topic, self._key, self._value = topic, key, value

    def topic(self) -> str:
        return self._topic

    def key(self) -> bytes | None:
        return self._key

    def value(self) -> bytes:
        return self._value


class FakeKafkaProducer:
    """Delivers on poll/flush. ``fail`` = an error name every delivery fails with;
    ``deliver=False`` never reports (a broker that is down); ``capacity`` raises BufferError
    when that many messages wait for poll (a full local queue)."""

    def __init__(
        self, *, fail: str | None = None, deliver: bool = True, capacity: int | None = None
    ) -> None:
        self.fail, self.deliver, self.capacity = fail, deliver, capacity
        self.queue: list[tuple[FakeMessage, Any]] = []
        self.delivered: list[FakeMessage] = []
        self.buffer_errors = 0
        self.polls = 0

    def produce(
        self, topic: str, value: bytes, key: bytes | None = None, on_delivery: Any = None
    ) -> None:
        if self.capacity is not None and len(self.queue) >= self.capacity:
            self.buffer_errors += 1
            raise BufferError("Local: Queue full")
        self.queue.append((FakeMessage(topic, key, value), on_delivery))

    def poll(self, timeout: float = 0.0) -> int:
        self.polls += 1
        if not self.deliver:
            return 0
        served, self.queue = self.queue, []
        for msg, callback in served:
            if self.fail is None:
                self.delivered.append(msg)
            if callback is not None:
                callback(None if self.fail is None else FakeError(self.fail), msg)
        return len(served)

    def flush(self, timeout: float = 0.0) -> int:
        self.poll(timeout)
        return len(self.queue)

    def on_topic(self, topic: str) -> list[FakeMessage]:
        return [m for m in self.delivered if m.topic() == topic]
