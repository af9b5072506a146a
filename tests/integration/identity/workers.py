"""Run identity workers as separate processes (as in production) and read their output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import redis
from pydantic import SecretStr

from core import kafka, topics
from core.settings import Settings
from schemas import catalogue
from schemas.serde import Codec

ROOT = Path(__file__).resolve().parents[3]


def settings_env(settings: Settings) -> dict[str, str]:
    env = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        env[f"CDP_{name.upper()}"] = (
            json.dumps(value) if isinstance(value, dict | list) else str(value)
        )
    return env


def start_worker(
    settings: Settings, log: Path, module: str = "streams.identity", **extra_env: str
) -> subprocess.Popen[bytes]:
    env = {**os.environ, **settings_env(settings), **extra_env}
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", module], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def produce_touchpoints(
    settings: Settings, events: Iterable[dict[str, Any]], raw: Iterable[bytes] = ()
) -> int:
    codec = Codec(catalogue.TOUCHPOINT)
    producer = kafka.producer(settings)
    name = kafka.topic(settings, topics.TOUCHPOINTS)
    n = 0
    for e in events:
        first = e["identifiers"][0] if e["identifiers"] else {"type": "", "value": e["event_id"]}
        producer.produce(name, codec.encode(e), f"{first['type']}:{first['value']}".encode())
        n += 1
        if n % 5000 == 0:
            producer.poll(0)
    for value in raw:
        producer.produce(name, value, b"junk")
    assert producer.flush(30) == 0
    return n


def consume_until(
    settings: Settings,
    base: str,
    subject: str,
    done: Callable[[list[dict[str, Any]]], bool],
    timeout: float = 90.0,
    check_alive: Callable[[], None] = lambda: None,
) -> list[dict[str, Any]]:
    consumer = kafka.consumer(settings, f"{settings.topic_prefix}test-{base}-{time.time_ns()}")
    consumer.subscribe([kafka.topic(settings, base)])
    codec = Codec(subject)
    records: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while not done(records):
            check_alive()
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out with {len(records)} records on {base}")
            for msg in consumer.consume(5000, timeout=0.5):
                if not msg.error():
                    records.append(codec.decode(msg.value()))
    finally:
        consumer.close()
    return records


def redis_partition(settings: Settings) -> set[frozenset[str]]:
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    out = set()
    for key in client.scan_iter(match=f"{settings.redis_prefix}:pm:*", count=1000):
        out.add(frozenset(client.smembers(key)))
    return {p for p in out if p}
