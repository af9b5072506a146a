"""Rebuild what erasure leaves in Redis (tombstones and the suppression list) from the
`cdp.erasures` topic, after Redis lost its data (`cdp erasure restore`).

Erasure keeps no personal data in Redis, only a tombstone per erased profile id and one-way
digests of the erased identifiers (streams/profiles/erasure.py). Both live in Redis, so a lost
Redis would otherwise let a replay of the touchpoint log rebuild erased people. Every
cdp.Erasure record (retained forever) carries the profile ids and, since schema v2, the
digests: reading the topic from the start gives the same tombstones and suppression list.

Run it on an empty Redis, before identity and profiles replay the log: a new consent that
lifted a suppression after the erasure is itself in the touchpoint log and lifts it again during
the replay. On a Redis that still holds profiles the command refuses (a restore there could
re-suppress a person who consented again since).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, TopicPartition

from core.keys import Keys


@dataclass
class Restored:
    """What the erasure records say must be in Redis: id -> the earliest erasure time."""

    tombstones: dict[str, int] = field(default_factory=dict)
    digests: dict[str, int] = field(default_factory=dict)
    records: int = 0
    without_digests: int = 0  # schema v1 records: profile ids only

    def add(self, record: dict[str, Any]) -> None:
        when = int(record["requested_time"])
        self.records += 1
        for pid in record["profile_ids"]:
            self.tombstones[pid] = min(when, self.tombstones.get(pid, when))
        found = record.get("identifier_digests") or []
        if not found:
            self.without_digests += 1
        for d in found:
            self.digests[d] = min(when, self.digests.get(d, when))


def fold(records: Iterable[dict[str, Any]]) -> Restored:
    out = Restored()
    for record in records:
        out.add(record)
    return out


def read_topic(consumer: Consumer, topic: str, idle_s: float = 1.0) -> Iterator[bytes]:
    """Every message value of ``topic`` from the first offset to the end (a partition ends at
    its partition-EOF event; the consumer needs ``enable.partition.eof``)."""
    meta = consumer.list_topics(topic, timeout=10).topics.get(topic)
    if meta is None or meta.error is not None:
        raise LookupError(f"topic {topic} not found (run `cdp init`)")
    consumer.assign([TopicPartition(topic, p, 0) for p in meta.partitions])
    pending, idle_since = set(meta.partitions), time.monotonic()
    while pending and time.monotonic() - idle_since < idle_s:
        for msg in consumer.consume(1000, timeout=0.2):
            idle_since = time.monotonic()
            value = msg.value()
            if msg.error() is not None:
                pending.discard(msg.partition())
            elif value is not None:
                yield value


def holds_profiles(redis: Any, keys: Keys) -> bool:
    """True when Redis already holds a profile under the prefix."""
    return any(True for _ in redis.scan_iter(match=keys.profile("*"), count=1000))


def write(redis: Any, keys: Keys, restored: Restored) -> None:
    """Idempotent: tombstones only where missing, digests only where missing."""
    pipe = redis.pipeline(transaction=True)
    for pid, when in sorted(restored.tombstones.items()):
        pipe.set(keys.erased(pid), when, nx=True)
    for d, when in sorted(restored.digests.items()):
        pipe.hsetnx(keys.erased_identifiers(), d, when)
    pipe.execute()
