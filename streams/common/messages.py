"""A raw Kafka message as the processors see it (no client library types)."""

from __future__ import annotations

from typing import NamedTuple


class RawMessage(NamedTuple):
    value: bytes | None
    topic: str
    partition: int | None = None
    offset: int | None = None
