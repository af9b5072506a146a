"""The history sink loop with an in-memory consumer and writer: commit only after the write."""

from __future__ import annotations

import threading
from typing import Any

from core import topics
from schemas import catalogue
from schemas.serde import Codec
from sinks.history.batch import Batch
from sinks.history.consumer import HistorySink, SinkConfig
from sinks.history.decode import Decoder
from tests import history_samples as hs

PREFIX = "u."
RESOLVED_TOPIC = topics.name(topics.RESOLVED, PREFIX)
ERASURE_TOPIC = topics.name(topics.ERASURES, PREFIX)


class Msg:
    def __init__(self, topic: str, partition: int, offset: int, value: bytes) -> None:
        self._t, self._p, self._o, self._v = topic, partition, offset, value

    def error(self) -> None:
        return None

    def topic(self) -> str:
        return self._t

    def partition(self) -> int:
        return self._p

    def offset(self) -> int:
        return self._o

    def value(self) -> bytes:
        return self._v

    def timestamp(self) -> tuple[int, int]:
        return (1, hs.T0)


class FakeConsumer:
    def __init__(self, batches: list[list[Msg]], stop: threading.Event) -> None:
        self.batches, self.stop = batches, stop
        self.commits: list[dict[tuple[str, int], int]] = []
        self.closed = False

    def subscribe(self, names: list[str], on_revoke: Any = None) -> None:
        self.subscribed = names

    def consume(self, num: int, timeout: float) -> list[Msg]:
        if not self.batches:
            self.stop.set()
            return []
        return self.batches.pop(0)

    def commit(self, offsets: Any, asynchronous: bool) -> None:
        assert asynchronous is False
        self.commits.append({(o.topic, o.partition): o.offset for o in offsets})

    def close(self) -> None:
        self.closed = True


class FakeWriter:
    def __init__(self, failures: int = 0, log: list[str] | None = None) -> None:
        self.failures, self.log = failures, log if log is not None else []
        self.batches: list[Batch] = []

    def write(self, batch: Batch) -> None:
        if self.failures:
            self.failures -= 1
            self.log.append("fail")
            raise ConnectionError("clickhouse down")
        self.log.append("write")
        self.batches.append(batch)

    def erased_profiles(self) -> set[str]:
        return {"gone"}


def resolved_msg(offset: int, **kw: Any) -> Msg:
    return Msg(RESOLVED_TOPIC, 0, offset, Codec(catalogue.RESOLVED).encode(hs.resolved(**kw)))


def run(batches: list[list[Msg]], writer: FakeWriter, max_rows: int = 1000) -> FakeConsumer:
    stop = threading.Event()
    consumer = FakeConsumer(batches, stop)
    sleeps: list[float] = []
    sink = HistorySink(
        consumer,
        Decoder(PREFIX),
        writer,  # type: ignore[arg-type]
        SinkConfig(max_rows=max_rows, max_ms=10_000),
        clock=lambda: 0,
        sleep=sleeps.append,
    )
    sink.run(stop)
    assert consumer.closed
    return consumer


def test_subscribes_to_the_four_topics():
    assert len(Decoder(PREFIX).topics) == 4 and RESOLVED_TOPIC in Decoder(PREFIX).topics


def test_flushes_on_size_and_shutdown_and_commits_next_offsets():
    writer = FakeWriter()
    msgs = [resolved_msg(i, event_id=f"e{i}") for i in range(5)]
    consumer = run([msgs[:3], msgs[3:]], writer, max_rows=3)
    assert [len(b.events) for b in writer.batches] == [3, 2]
    assert consumer.commits == [{(RESOLVED_TOPIC, 0): 3}, {(RESOLVED_TOPIC, 0): 5}]


def test_bad_bytes_become_a_dead_letter_row_and_are_committed():
    writer = FakeWriter()
    consumer = run([[Msg(RESOLVED_TOPIC, 1, 41, b"\x00garbage")]], writer)
    (batch,) = writer.batches
    assert batch.events == [] and len(batch.dead_letters) == 1
    row = batch.dead_letters[0]
    assert (row[1], row[2], row[5], row[6], row[7]) == (
        "history",
        "unknown_schema_id",
        RESOLVED_TOPIC,
        1,
        41,
    )
    assert consumer.commits == [{(RESOLVED_TOPIC, 1): 42}]


def test_outage_retries_without_committing_then_commits_once():
    log: list[str] = []
    writer = FakeWriter(failures=3, log=log)
    consumer = run([[resolved_msg(0, event_id="e0")]], writer)
    assert log == ["fail", "fail", "fail", "write"]
    assert consumer.commits == [{(RESOLVED_TOPIC, 0): 1}]


def test_erased_profiles_loaded_at_start_get_no_pii():
    writer = FakeWriter()
    run(
        [[resolved_msg(0, event_id="e0", profile_id="gone"), resolved_msg(1, event_id="e1")]],
        writer,
    )
    (batch,) = writer.batches
    assert len(batch.events) == 2 and [r[0] for r in batch.pii] == ["p1"]


def test_erasure_in_a_batch_stops_later_pii_of_that_profile():
    writer = FakeWriter()
    erasure = Msg(ERASURE_TOPIC, 0, 0, Codec(catalogue.ERASURE).encode(hs.erasure("x", "p1")))
    run([[erasure], [resolved_msg(0, event_id="e0")]], writer, max_rows=1)
    assert writer.batches[0].erasures and writer.batches[1].pii == []
