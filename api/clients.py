"""The API's clients, built once per process and shared by every request via app.state.clients.

Keys: "producer" (connectors.producer.TouchpointProducer, the collector's), "redis"
(redis.asyncio: requests never block the event loop on Redis), "kafka" (a confluent-kafka
producer for erasure records and the health check).
"""

from __future__ import annotations

import asyncio
from typing import Any

from redis.asyncio import Redis

from core import kafka
from core.settings import Settings


def build(settings: Settings) -> dict[str, Any]:
    clients: dict[str, Any] = {
        "redis": Redis.from_url(
            settings.redis_url, socket_timeout=5.0, socket_connect_timeout=2.0, max_connections=256
        ),
        "kafka": kafka.producer(settings),
    }
    try:
        from connectors.producer import TouchpointProducer
    except ModuleNotFoundError as exc:  # the collector is not part of this build
        if exc.name != "connectors.producer":
            raise
    else:
        clients["producer"] = TouchpointProducer(settings)
    return clients


def close(clients: dict[str, Any]) -> None:
    producer = clients.get("producer")
    if producer is not None:
        producer.close(10.0)
    if clients.get("kafka") is not None:
        clients["kafka"].flush(10.0)
    redis = clients.get("redis")
    if redis is not None:
        try:
            asyncio.get_running_loop().create_task(redis.aclose())
        except RuntimeError:
            asyncio.run(redis.aclose())
