"""faust hard-codes aiokafka's ``fetch_max_wait_ms=1500``. Apache Kafka answers a fetch as soon
as data arrives, so that only bounds idle polls; the embedded broker (Tansu 0.6) holds every
fetch for the full wait, which adds ~0.75 s per hop on average. This sets the wait from
settings.kafka_fetch_wait_ms on each consumer faust creates, before it starts."""

from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka

_original = faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer
_wait_ms = {"value": 1500}


def set_fetch_wait(ms: int) -> None:
    _wait_ms["value"] = ms
    faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer = _create  # type: ignore[method-assign]


def _create(self: Any, transport: Any) -> Any:
    consumer = _original(self, transport)
    consumer._fetch_max_wait_ms = _wait_ms["value"]  # read by the fetcher at start()
    return consumer
