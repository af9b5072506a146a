"""Decode one Kafka message of the history sink's topics (pure): topic -> (kind, record).

Bad bytes raise schemas.errors.InvalidEvent; the caller turns them into a dead letter row."""

from __future__ import annotations

from typing import Any

from core import topics
from schemas import catalogue
from schemas.registry import LocalCatalogue, SchemaSource
from schemas.serde import Codec
from sinks.history.batch import DEAD_LETTER, ERASURE, IDENTITY, RESOLVED

SUBSCRIPTIONS: dict[str, tuple[str, str]] = {
    topics.RESOLVED: (RESOLVED, catalogue.RESOLVED),
    topics.IDENTITY_CHANGES: (IDENTITY, catalogue.IDENTITY_CHANGE),
    topics.ERASURES: (ERASURE, catalogue.ERASURE),
    topics.DEAD_LETTERS: (DEAD_LETTER, catalogue.DEAD_LETTER),
}


class Decoder:
    """Full topic name -> (kind, codec), for the topics under one prefix."""

    def __init__(self, prefix: str, source: SchemaSource | None = None) -> None:
        self.source = source or LocalCatalogue()
        self._by_topic = {
            topics.name(base, prefix): (kind, Codec(subject, self.source))
            for base, (kind, subject) in SUBSCRIPTIONS.items()
        }
        self.resolved_topic = topics.name(topics.RESOLVED, prefix)

    def resolved_writer(self) -> tuple[int, Any]:
        """The current writer schema id of resolved touchpoints and its parsed schema."""
        schema_id = self.source.writer_id(catalogue.RESOLVED)
        return schema_id, self.source.parsed_by_id(schema_id)

    @property
    def topics(self) -> list[str]:
        return list(self._by_topic)

    def decode(self, topic: str, value: bytes | None) -> tuple[str, dict[str, Any]]:
        kind, codec = self._by_topic[topic]
        return kind, codec.decode(value)
