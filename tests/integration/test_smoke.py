"""One round trip through each service of the stack: Kafka (Avro), Redis, ClickHouse."""

from __future__ import annotations

import io
from datetime import date

import fastavro
import pytest
import redis
from clickhouse_driver import Client
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from core.settings import Settings

pytestmark = pytest.mark.integration

SCHEMA = fastavro.parse_schema(
    {
        "type": "record",
        "name": "Ping",
        "namespace": "cdp.test",
        "fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "long"}],
    }
)


def _encode(record: dict[str, object]) -> bytes:
    buf = io.BytesIO()
    fastavro.schemaless_writer(buf, SCHEMA, record)
    return buf.getvalue()


def _decode(data: bytes) -> object:
    return fastavro.schemaless_reader(io.BytesIO(data), SCHEMA)


def test_avro_roundtrip_through_kafka(settings: Settings, consumer_config: dict[str, object]):
    topic = f"{settings.topic_prefix}smoke"
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap_servers})
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(10)
    records = [{"id": f"p{i}", "n": i} for i in range(3)]
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap_servers})
    for record in records:
        producer.produce(topic, _encode(record), key=str(record["id"]).encode())
    assert producer.flush(10) == 0

    consumer = Consumer(consumer_config)
    consumer.subscribe([topic])
    received = []
    try:
        for _ in range(100):
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                received.append(_decode(msg.value()))
            if len(received) == len(records):
                break
    finally:
        consumer.close()
    assert received == records


def test_hash_through_redis(settings: Settings):
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    key = f"{settings.redis_prefix}:profile:1"
    client.hset(key, mapping={"email": "a@example.com", "visits": "3"})
    assert client.hgetall(key) == {"email": "a@example.com", "visits": "3"}
    client.delete(key)


def test_rows_through_clickhouse(settings: Settings):
    client = Client(**settings.clickhouse_kwargs)  # type: ignore[arg-type]
    db = settings.clickhouse_database
    client.execute(f"CREATE DATABASE IF NOT EXISTS {db}")
    try:
        client.execute(
            f"CREATE TABLE {db}.events (day Date, id String, n UInt32)"
            " ENGINE = MergeTree() PARTITION BY toYYYYMM(day) ORDER BY (id, day)"
        )
        rows = [(date(2024, 1, i), f"p{i}", i) for i in range(1, 4)]
        client.execute(f"INSERT INTO {db}.events (day, id, n) VALUES", rows)
        assert client.execute(f"SELECT id, n FROM {db}.events ORDER BY id") == [
            ("p1", 1),
            ("p2", 2),
            ("p3", 3),
        ]
    finally:
        client.execute(f"DROP DATABASE IF EXISTS {db}")
        client.disconnect()
