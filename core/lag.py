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
        for msg in consumer.consume(10000, timeout=0.1):
            idle_since = time.monotonic()
            partition, offset = msg.partition(), msg.offset()
            if msg.error() or partition is None or offset is None:
                pending.discard(partition)  # end of partition (or an error): stop there
                continue
            ends[partition] = max(ends[partition], offset + 1)


def group_lag(settings: Settings, group: str, topic: str, timeout: float = 5.0) -> Lag:
    ends = log_ends(settings, topic, timeout)
    if not ends:
        return Lag(group, topic, 0, 0)
    consumer = _consumer(settings, group)
    try:
        committed = consumer.committed([TopicPartition(topic, p) for p in ends], timeout=timeout)
    finally:
        consumer.close()
    lag = sum(max(0, ends[tp.partition] - max(tp.offset, 0)) for tp in committed)
    return Lag(group, topic, lag, sum(ends.values()))


def all_lags(settings: Settings) -> list[Lag]:
    return [
        group_lag(
            settings, f"{settings.topic_prefix}{group}", topics.name(base, settings.topic_prefix)
        )
        for group, bases in topics.CONSUMED_BY.items()
        for base in bases
    ]
