"""Consumer lag per group and topic: log end offset minus the group's committed offset.

The log end is found by reading from the high watermark - 1 to the end rather than trusting
the watermark alone: the embedded broker (Tansu 0.6) reports the last batch's base offset + 1
as its high watermark, which undercounts every multi-record batch. Against Apache Kafka the
read returns one record, so the cost is the same everywhere.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from confluent_kafka import Consumer, TopicPartition

from core import topics
from core.settings import Settings

IDLE_SECONDS = 0.3
FETCH_WAIT_MS = 10


@dataclass(frozen=True)
class Lag:
    group: str
    topic: str
    lag: int  # messages not yet committed by the group
    end: int  # log end offsets summed over partitions


def _consumer(settings: Settings, group: str) -> Consumer:
    return Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap_servers,
            "group.id": group,
            "enable.auto.commit": False,
            "enable.partition.eof": True,
            # the embedded broker holds a fetch for the whole wait even when data is there
            # (librdkafka's default 500 ms made each topic's probe take ~0.4 s)
            "fetch.wait.max.ms": FETCH_WAIT_MS,
        }
    )


def log_ends(settings: Settings, topic: str, timeout: float = 5.0) -> dict[int, int]:
    """partition -> offset after its last record."""
    consumer = _consumer(settings, f"cdp-lag-probe-{uuid.uuid4().hex[:8]}")
    try:
        meta = consumer.list_topics(topic, timeout=timeout).topics.get(topic)
        if meta is None or meta.error is not None:
            return {}
        ends: dict[int, int] = {}
        starts = []
        for p in meta.partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=timeout)
            ends[p] = high
            if high > low:
                starts.append(TopicPartition(topic, p, high - 1))
        if starts:
            _read_to_end(consumer, starts, ends)
        return ends
    finally:
        consumer.close()


def _read_to_end(consumer: Consumer, starts: list[TopicPartition], ends: dict[int, int]) -> None:
    consumer.assign(starts)
    pending = {tp.partition for tp in starts}
    idle_since = time.monotonic()
    while pending and time.monotonic() - idle_since < IDLE_SECONDS:
        for msg in consumer.consume(10000, timeout=0.02):
            idle_since = time.monotonic()
            partition, offset = msg.partition(), msg.offset()
            if msg.error() or partition is None or offset is None:
                pending.discard(partition)  # end of partition (or an error): stop there
                continue
            ends[partition] = max(ends[partition], offset + 1)


def lag_of(ends: dict[int, int], committed: dict[int, int]) -> int:
    """Messages behind: per partition, log end minus the committed offset (none = from 0)."""
    return sum(max(0, end - max(committed.get(p, 0), 0)) for p, end in ends.items())


def committed_offsets(
    settings: Settings, group: str, partitions: dict[str, list[int]], timeout: float = 5.0
) -> dict[str, dict[int, int]]:
    """topic -> partition -> the group's committed offset (-1 when it has none), one request."""
    consumer = _consumer(settings, group)
    try:
        wanted = [TopicPartition(t, p) for t, ps in partitions.items() for p in ps]
        found = consumer.committed(wanted, timeout=timeout) if wanted else []
    finally:
        consumer.close()
    out: dict[str, dict[int, int]] = {t: {} for t in partitions}
    for tp in found:
        out[tp.topic][tp.partition] = tp.offset
    return out


def all_lags(settings: Settings) -> list[Lag]:
    """Every processor's lag; each topic's log end is read once even when several groups read
    the topic."""
    bases_read = {base for bases in topics.CONSUMED_BY.values() for base in bases}
    names = {base: topics.name(base, settings.topic_prefix) for base in bases_read}
    ends = {names[base]: log_ends(settings, names[base]) for base in bases_read}
    lags = []
    for group, bases in topics.CONSUMED_BY.items():
        full = f"{settings.topic_prefix}{group}"
        read = {names[b]: sorted(ends[names[b]]) for b in bases}
        committed = committed_offsets(settings, full, read)
        for base in bases:
            topic = names[base]
            lag = lag_of(ends[topic], committed[topic])
            lags.append(Lag(full, topic, lag, sum(ends[topic].values())))
    return lags
