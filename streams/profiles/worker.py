"""The profile processor, free of faust: decode at the edge, split good from bad, fold a batch
into Redis, merge profiles, dead-letter bad input, count every outcome. The faust batch loops
in app.py only hand it batches of messages; tests call it directly too."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core import metrics, topics
from core.clock import Clock, wall_clock_ms
from core.settings import Settings
from schemas import catalogue
from schemas.errors import InvalidEvent
from schemas.serde import Codec
from streams.common.deadletters import for_message
from streams.common.messages import RawMessage
from streams.profiles.store import ProfileStore

log = logging.getLogger(__name__)
STAGE = "profiles"
MIN_BATCH_FOR_DLQ_LIMIT = 100
RETRY_DELAYS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


Message = RawMessage  # the processors share one raw message type (streams/common)


class Sender(Protocol):
    def produce(self, topic: str, value: bytes, key: bytes | None = None) -> None: ...
    def flush(self, timeout: float) -> int: ...


class DeadLetterRatioExceeded(RuntimeError):
    """Too much of one batch is bad: stop instead of quietly discarding (a bad deploy)."""


class Processor:
    def __init__(
        self, settings: Settings, store: ProfileStore, sender: Sender, clock: Clock = wall_clock_ms
    ) -> None:
        source = None
        if settings.schema_registry_url:
            from schemas.registry import source_for

            source = source_for(settings.schema_registry_url)
        self.settings, self.store, self.sender, self.clock = settings, store, sender, clock
        self.resolved = Codec(catalogue.RESOLVED, source)
        self.changes = Codec(catalogue.IDENTITY_CHANGE, source)
        self.dead = Codec(catalogue.DEAD_LETTER, source)
        self.dlq_topic = topics.name(topics.DEAD_LETTERS, settings.topic_prefix)
        # the fold and merge agents share one event loop: without this they interleave between a
        # batch's read and its versioned write and make each other retry (a livelock under load);
        # conflicts then only come from other worker processes
        self.writing = asyncio.Lock()

    async def resolved_batch(self, messages: list[Message]) -> dict[str, int]:
        metrics.EVENTS_RECEIVED.labels(STAGE).inc(len(messages))
        good, bad = self._decode(self.resolved, messages)
        async with self.writing:
            result = await self._retry(self.store.apply, good)
        outcomes = dict(result.outcomes)
        for event, reason in result.failed:
            bad.append(
                (
                    Message(self.resolved.encode(event), messages[0].topic),
                    InvalidEvent("fold_failed", reason),
                )
            )
        self._count(outcomes)
        await self._dead_letter(bad, len(messages))
        return outcomes | {"dead_lettered": len(bad)}

    async def changes_batch(self, messages: list[Message]) -> dict[str, int]:
        good, bad = self._decode(self.changes, messages)
        outcomes: dict[str, int] = {}
        merges = [c for c in good if c["kind"] == "merged" and c.get("from_profile_id")]
        if len(merges) < len(good):
            outcomes["ignored"] = len(good) - len(merges)
        # the lock is held for the whole batch: taken per merge, a fold batch queued behind it
        # (FIFO) held it next for its whole batch, so merges crawled at one per fold batch;
        # the batch's merges are one read and one write (store.merge_batch)
        async with self.writing:
            for outcome in await self._retry(self.store.merge_batch, merges):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcomes.get("merged"):
            metrics.EVENTS_ACCEPTED.labels("profiles-merge").inc(outcomes["merged"])
        await self._dead_letter(bad, len(messages))
        return outcomes | {"dead_lettered": len(bad)}

    def _decode(
        self, codec: Codec, messages: list[Message]
    ) -> tuple[list[dict[str, Any]], list[tuple[Message, InvalidEvent]]]:
        good: list[dict[str, Any]] = []
        bad: list[tuple[Message, InvalidEvent]] = []
        for msg in messages:
            try:
                good.append(codec.decode(msg.value))
            except InvalidEvent as exc:
                bad.append((msg, exc))
        return good, bad

    async def _retry(self, call: Any, arg: Any) -> Any:
        """Outages are retried with backoff (never dead-lettered); the last one propagates."""
        for delay in RETRY_DELAYS:
            try:
                return await call(arg)
            except (RedisConnectionError, RedisTimeoutError) as exc:
                log.warning("redis unavailable (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
        return await call(arg)

    def _count(self, outcomes: dict[str, int]) -> None:
        metrics.EVENTS_ACCEPTED.labels(STAGE).inc(outcomes.get("applied", 0))
        metrics.EVENTS_DUPLICATE.labels(STAGE).inc(outcomes.get("duplicate", 0))
        for reason in ("erased_profile", "erased_identifier"):
            if outcomes.get(reason):
                metrics.EVENTS_DROPPED.labels(STAGE, reason).inc(outcomes[reason])

    async def _dead_letter(self, bad: list[tuple[Message, InvalidEvent]], total: int) -> None:
        if not bad:
            return
        now = self.clock()
        for msg, exc in bad:
            metrics.EVENTS_REJECTED.labels(STAGE, exc.reason).inc()
            record = for_message(STAGE, msg, exc, now)
            self.sender.produce(self.dlq_topic, self.dead.encode(record))
        await asyncio.to_thread(self.sender.flush, 30.0)
        if total >= MIN_BATCH_FOR_DLQ_LIMIT and len(bad) / total > self.settings.dlq_max_ratio:
            raise DeadLetterRatioExceeded(f"{len(bad)} of {total} messages dead-lettered")
