"""Produce one message and read exactly that message back (the Kafka health check)."""

from __future__ import annotations

from typing import Any

from confluent_kafka import Consumer, Message, Producer, TopicPartition

# a consumer group's first join takes ~3 s with 6000 ms, ~23 s with the librdkafka default
CONSUMER_DEFAULTS: dict[str, Any] = {
    "session.timeout.ms": 6000,
    "enable.auto.commit": False,
    "auto.offset.reset": "earliest",
}


def _produce(producer: Producer, topic: str, payload: bytes, timeout: float) -> Message:
    delivered: list[Message] = []

    def on_delivery(err: object, msg: Message) -> None:
        if err is not None:
            raise RuntimeError(f"delivery failed: {err}")
        delivered.append(msg)

    producer.produce(topic, payload, on_delivery=on_delivery)
    producer.flush(timeout)
    if not delivered:
        raise RuntimeError("produce was not acknowledged")
    return delivered[0]


def roundtrip(
    producer: Producer, config: dict[str, Any], topic: str, payload: bytes, timeout: float = 5
) -> None:
    sent = _produce(producer, topic, payload, timeout)
    consumer = Consumer({**config, **CONSUMER_DEFAULTS, "group.id": "_cdp_stack_health"})
    try:
        partition, offset = sent.partition(), sent.offset()
        assert partition is not None and offset is not None  # set on every delivered message
        consumer.assign([TopicPartition(topic, partition, offset)])
        msg = consumer.poll(timeout)
    finally:
        consumer.close()
    if msg is None or msg.error() is not None or msg.value() != payload:
        raise RuntimeError("the produced message did not come back")
