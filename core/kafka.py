"""confluent-kafka clients built from the settings, with the options every process wants."""

from __future__ import annotations

from typing import Any

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from core import topics
from core.settings import Settings


def producer(settings: Settings, **overrides: Any) -> Producer:
    """Idempotent producer: no duplicates or reordering from its own retries."""
    config: dict[str, Any] = {
        "bootstrap.servers": settings.kafka_bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "batch.num.messages": 10000,
        "compression.type": "lz4",
        "queue.buffering.max.messages": 200000,
    }
    config.update(overrides)
    return Producer(config)


def consumer(settings: Settings, group: str, **overrides: Any) -> Consumer:
    """Manual commits only: a sink commits after its write succeeded."""
    config: dict[str, Any] = {
        "bootstrap.servers": settings.kafka_bootstrap_servers,
        "group.id": group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 1000,
        "fetch.wait.max.ms": settings.kafka_fetch_wait_ms,
    }
    config.update(overrides)
    return Consumer(config)


def topic(settings: Settings, base: str) -> str:
    return topics.name(base, settings.topic_prefix)


def create_topics(settings: Settings, timeout: float = 30.0) -> list[str]:
    """Create every topic that does not exist yet; returns the names created. Idempotent."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap_servers})
    existing = set(admin.list_topics(timeout=timeout).topics)
    wanted = [
        NewTopic(
            topic(settings, spec.name),
            topics.partitions(spec, settings.topic_partitions),
            1,
            config=spec.config,
        )
        for spec in topics.SPECS
        if topic(settings, spec.name) not in existing
    ]
    if not wanted:
        return []
    for _name, future in admin.create_topics(wanted, operation_timeout=timeout).items():
        try:
            future.result()
        except Exception as exc:  # already created by a concurrent init is fine
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise
    return [t.topic for t in wanted]
