"""The history sink loop with an in-memory consumer and writer: commit only after the write."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from core import topics
from schemas import catalogue
from schemas.serde import Codec
from sinks.history.batch import Batch
from sinks.history.bulk import BulkDecodeError, BulkDecoder
from sinks.history.consumer import HistorySink, SinkConfig
from sinks.history.decode import Decoder
from tests import history_bulk_samples as bs
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


def bulk_decoder() -> BulkDecoder:
    decoder = Decoder(PREFIX)
    schema_id, writer = decoder.resolved_writer()
    return BulkDecoder(writer, schema_id)


def run(
    batches: list[list[Msg]], writer: FakeWriter, max_rows: int = 1000, bulk: bool = False
) -> FakeConsumer:
    stop = threading.Event()
    consumer = FakeConsumer(batches, stop)
    sleeps: list[float] = []
    sink = HistorySink(
        consumer,
        Decoder(PREFIX),
        writer,  # type: ignore[arg-type]
        SinkConfig(max_rows=max_rows, max_ms=10_000, split_below=8),
        clock=lambda: 0,
        sleep=sleeps.append,
        bulk=bulk_decoder() if bulk else None,
    )
    sink.run(stop)
    assert consumer.closed
    return consumer


def test_subscribes_to_the_four_topics():
    assert len(Decoder(PREFIX).topics) == 4 and RESOLVED_TOPIC in Decoder(PREFIX).topics


@pytest.mark.parametrize("bulk", [False, True], ids=["per_message", "bulk"])
def test_flushes_on_size_and_shutdown_and_commits_next_offsets(bulk: bool):
    writer = FakeWriter()
    msgs = [resolved_msg(i, event_id=f"e{i}") for i in range(5)]
    consumer = run([msgs[:3], msgs[3:]], writer, max_rows=3, bulk=bulk)
    assert [b.event_count for b in writer.batches] == [3, 2]
    assert [len(b.bulk) for b in writer.batches] == ([1, 1] if bulk else [0, 0])
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


@pytest.mark.parametrize("bulk", [False, True], ids=["per_message", "bulk"])
def test_outage_retries_without_committing_then_commits_once(bulk: bool):
    log: list[str] = []
    writer = FakeWriter(failures=3, log=log)
    consumer = run([[resolved_msg(0, event_id="e0")]], writer, bulk=bulk)
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


def test_erased_profiles_loaded_at_start_get_no_pii_in_bulk():
    writer = FakeWriter()
    run(
        [[resolved_msg(0, event_id="e0", profile_id="gone"), resolved_msg(1, event_id="e1")]],
        writer,
        bulk=True,
    )
    (batch,) = writer.batches
    assert (batch.event_count, batch.pii_count, batch.events) == (2, 1, [])


@pytest.mark.parametrize("bulk", [False, True], ids=["per_message", "bulk"])
def test_erasure_in_a_batch_stops_later_pii_of_that_profile(bulk: bool):
    writer = FakeWriter()
    erasure = Msg(ERASURE_TOPIC, 0, 0, Codec(catalogue.ERASURE).encode(hs.erasure("x", "p1")))
    run([[erasure], [resolved_msg(0, event_id="e0")]], writer, max_rows=1, bulk=bulk)
    assert writer.batches[0].erasures
    assert (writer.batches[1].event_count, writer.batches[1].pii_count) == (1, 0)


def test_a_corrupt_message_in_a_bulk_batch_becomes_a_dead_letter_and_the_rest_land():
    writer = FakeWriter()
    msgs = [resolved_msg(i, event_id=f"e{i}") for i in range(40)]
    msgs[17] = Msg(RESOLVED_TOPIC, 0, 17, bs.truncated(msgs[17].value()))
    consumer = run([msgs], writer, bulk=True)
    (batch,) = writer.batches
    assert batch.event_count == 39 and batch.bulk  # most still bulk-decoded after the split
    ((_, stage, reason, *_rest),) = batch.dead_letters
    assert (stage, reason, batch.dead_letters[0][7]) == ("history", "malformed_avro", 17)
    assert consumer.commits == [{(RESOLVED_TOPIC, 0): 40}]


def test_rows_the_bulk_path_hands_back_are_decoded_per_message():
    writer = FakeWriter()
    good = [resolved_msg(i, event_id=f"e{i}") for i in range(3)]
    odd = [
        Msg(RESOLVED_TOPIC, 0, 3, bs.invalid_utf8()),
        Msg(RESOLVED_TOPIC, 0, 4, bs.duplicate_map_key()),
    ]
    run([good + odd], writer, bulk=True)
    (batch,) = writer.batches
    assert (batch.event_count, len(batch.events)) == (4, 1)  # the duplicate key: per message
    assert [row[2] for row in batch.dead_letters] == ["malformed_avro"]  # not UTF-8


class SlowConsumer(FakeConsumer):
    """Each consume() takes ``wait_ms`` on the fake clock (it waited for messages)."""

    def __init__(self, batches: list[list[Msg]], stop: threading.Event, wait_ms: int) -> None:
        super().__init__(batches, stop)
        self.now, self.wait_ms = 0, wait_ms

    def consume(self, num: int, timeout: float) -> list[Msg]:
        self.now += self.wait_ms
        return super().consume(num, timeout)


@pytest.mark.parametrize("bulk", [False, True], ids=["per_message", "bulk"])
def test_a_batch_is_as_old_as_the_poll_that_brought_its_first_message(bulk: bool):
    """consume() waited max_ms for its message: the batch is due right after that poll."""
    stop, writer = threading.Event(), FakeWriter()
    polls = [[resolved_msg(0, event_id="e0")], [resolved_msg(1, event_id="e1")]]
    consumer = SlowConsumer(polls, stop, wait_ms=500)
    sink = HistorySink(
        consumer, Decoder(PREFIX), writer,  # type: ignore[arg-type]
        SinkConfig(max_ms=500), clock=lambda: consumer.now,
        bulk=bulk_decoder() if bulk else None,
    )  # fmt: skip
    sink.run(stop)
    assert [b.event_count for b in writer.batches] == [1, 1]
    assert consumer.commits == [{(RESOLVED_TOPIC, 0): 1}, {(RESOLVED_TOPIC, 0): 2}]


class IdleAfter(FakeConsumer):
    """Serves its batches, then nothing (a quiet topic), without stopping the sink."""

    def consume(self, num: int, timeout: float) -> list[Msg]:
        return self.batches.pop(0) if self.batches else []


def test_the_last_batch_is_committed_while_the_topic_is_quiet():
    consumer, writer = (
        IdleAfter([[resolved_msg(0, event_id="e0")]], threading.Event()),
        FakeWriter(),
    )
    sink = HistorySink(
        consumer, Decoder(PREFIX), writer,  # type: ignore[arg-type]
        SinkConfig(max_rows=1), clock=lambda: 0,
    )  # fmt: skip
    try:
        for _ in range(500):
            sink.step()
            if consumer.commits:
                break
            time.sleep(0.01)
        assert consumer.commits == [{(RESOLVED_TOPIC, 0): 1}]
    finally:
        sink.pipeline.close()


class BrokenBulk:
    """A bulk decoder whose chdb does not work in this process."""

    header = b"\x00"
    closed = False

    def warm_up(self) -> None:
        raise BulkDecodeError("ChdbError code=36 BAD_ARGUMENTS")

    def close(self) -> None:
        self.closed = True


def test_without_a_working_chdb_every_message_is_decoded_per_message():
    stop, writer, broken = threading.Event(), FakeWriter(), BrokenBulk()
    consumer = FakeConsumer(
        [[resolved_msg(0, event_id="e0"), resolved_msg(1, event_id="e1")]], stop
    )
    sink = HistorySink(
        consumer, Decoder(PREFIX), writer, clock=lambda: 0,  # type: ignore[arg-type]
        bulk=broken,  # type: ignore[arg-type]
    )  # fmt: skip
    sink.run(stop)
    (batch,) = writer.batches
    assert (len(batch.events), batch.bulk, broken.closed) == (2, [], True)
