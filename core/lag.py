"""Consumer lag per group and topic: log end offset minus the group's committed offset."""

from __future__ import annotations

from dataclasses import dataclass

from confluent_kafka import Consumer, TopicPartition

from core import topics
from core.settings import Settings


@dataclass(frozen=True)
class Lag:
    group: str
    topic: str
    lag: int  # messages not yet committed by the group
    end: int  # log end offsets summed over partitions


def group_lag(settings: Settings, group: str, topic: str, timeout: float = 5.0) -> Lag:
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap_servers,
                         "group.id": group, "enable.auto.commit": False})
    try:
        meta = consumer.list_topics(topic, timeout=timeout).topics.get(topic)
        if meta is None or meta.error is not None:
            return Lag(group, topic, 0, 0)
        parts = [TopicPartition(topic, p) for p in meta.partitions]
        committed = consumer.committed(parts, timeout=timeout)
        lag = end = 0
        for tp in committed:
            low, high = consumer.get_watermark_offsets(tp, timeout=timeout)
            end += high
            lag += high - (tp.offset if tp.offset >= 0 else low)
        return Lag(group, topic, lag, end)
    finally:
        consumer.close()


def all_lags(settings: Settings) -> list[Lag]:
    return [
        group_lag(settings, f"{settings.topic_prefix}{group}", topics.name(base, settings.topic_prefix))
        for group, bases in topics.CONSUMED_BY.items()
        for base in bases
    ]
