"""Gather what identity quality needs from the running system (adapters: Kafka + Redis):
every resolved touchpoint on RESOLVED (read from the beginning to the current end), each
event's final profile (aliases followed in Redis now) and that profile's household."""

from __future__ import annotations

import uuid
from typing import Any

import redis
from confluent_kafka import OFFSET_BEGINNING, TopicPartition

from core import kafka, topics
from core.settings import Settings
from schemas import catalogue
from schemas.registry import source_for
from schemas.serde import Codec
from streams.identity.extract import Extractor
from streams.identity.graph_redis import RedisGraph
from streams.identity.quality import Report, evaluate
from streams.identity.rules import default_rules


def read_resolved(settings: Settings, timeout: float = 30.0) -> dict[str, tuple[str, list[str]]]:
    """event_id -> (profile_id at resolution, identity members), last resolution wins."""
    name = kafka.topic(settings, topics.RESOLVED)
    consumer = kafka.consumer(settings, f"quality-{uuid.uuid4().hex[:8]}")
    codec = Codec(catalogue.RESOLVED, source_for(settings.schema_registry_url))
    extractor = Extractor(default_rules())
    out: dict[str, tuple[str, list[str]]] = {}
    try:
        meta = consumer.list_topics(name, timeout=timeout).topics[name]
        ends = {
            p: consumer.get_watermark_offsets(TopicPartition(name, p), timeout=timeout)[1]
            for p in meta.partitions
        }
        todo = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(name, p, OFFSET_BEGINNING) for p in todo])
        while todo:
            for msg in consumer.consume(10000, timeout=1.0):
                if msg.error():
                    continue
                _add(out, codec.decode(msg.value()), extractor)
                if (msg.offset() or 0) + 1 >= ends[msg.partition() or 0]:
                    todo.discard(msg.partition())
    finally:
        consumer.close()
    return out


def _add(
    out: dict[str, tuple[str, list[str]]], record: dict[str, Any], extractor: Extractor
) -> None:
    tp = record["touchpoint"]
    members = [m for _, m, _ in extractor.parse(tp).ids]
    out[tp["event_id"]] = (record["profile_id"], members)


def measure(settings: Settings, truth: dict[str, tuple[str, str]]) -> Report:
    resolved = read_resolved(settings)
    graph = RedisGraph(redis.Redis.from_url(settings.redis_url), settings.redis_prefix)
    final = graph.resolve_profiles({pid for pid, _ in resolved.values()})
    profile_of = {e: final[pid] for e, (pid, _) in resolved.items()}
    households = graph.households_of(set(profile_of.values()))
    members = {e: ms for e, (_, ms) in resolved.items()}
    return evaluate(profile_of, households, members, truth)
