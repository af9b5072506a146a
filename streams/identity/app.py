"""The identity worker: a faust app whose batch loop hands raw batches to IdentityProcessor.

TOUCHPOINTS --batch_agent(batch_size, within batch_seconds)--> IdentityProcessor.process
  --> RESOLVED (key profile_id), IDENTITY_CHANGES (key profile_id), DEAD_LETTERS
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import faust
import redis
from confluent_kafka import KafkaException

from core import kafka, topics
from core.clock import wall_clock_ms
from core.keys import Keys
from core.settings import Settings
from schemas.registry import source_for
from streams.common.faust_app import batch_agent, make_app, raw_topic, run_worker
from streams.identity.graph_redis import RedisGraph
from streams.identity.pipeline import IdentityProcessor, Topics
from streams.identity.rules import Rules, default_rules

OUTAGES = (redis.ConnectionError, redis.TimeoutError, KafkaException)


def build_processor(settings: Settings, rules: Rules | None = None) -> IdentityProcessor:
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=30, health_check_interval=30)
    return IdentityProcessor(
        rules=rules or default_rules(),
        store=RedisGraph(client, settings.redis_prefix),
        producer=kafka.producer(settings),
        topics=Topics(
            resolved=kafka.topic(settings, topics.RESOLVED),
            changes=kafka.topic(settings, topics.IDENTITY_CHANGES),
            dead_letters=kafka.topic(settings, topics.DEAD_LETTERS),
        ),
        source=source_for(settings.schema_registry_url),
        clock=wall_clock_ms,
        dlq_max_ratio=settings.dlq_max_ratio,
        outages=OUTAGES,
        erased=erased_lookup(client, Keys(settings.redis_prefix)),
    )


def erased_lookup(client: redis.Redis, keys: Keys) -> Any:
    """Which of the batch's identifier digests are on the suppression list that erasure leaves:
    HLEN, and only when the list is not empty, hashing and one HMGET."""
    key = keys.erased_identifiers()

    def lookup(wanted: Callable[[], list[str]]) -> set[str]:
        if not client.hlen(key):
            return set()
        digests = wanted()
        if not digests:
            return set()
        found = client.hmget(key, digests)
        return {d for d, hit in zip(digests, found, strict=True) if hit}

    return lookup


def create_app(settings: Settings, **app_options: Any) -> faust.App:
    app = make_app(settings, topics.GROUP_IDENTITY, **app_options)
    processor = build_processor(settings)
    source = raw_topic(app, kafka.topic(settings, topics.TOUCHPOINTS))
    batch_agent(app, source, settings, "identity", processor.process)
    return app


def run(settings: Settings, loglevel: str = "WARNING") -> None:
    run_worker(create_app(settings), loglevel)
