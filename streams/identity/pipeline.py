"""The identity processor's whole flow for one batch of raw Kafka messages, in one place:

decode -> extract identifiers -> (dead-letter limit) -> drop events of erased people (counted)
-> resolve and apply to the graph
-> encode resolved touchpoints and identity changes -> publish and flush.

No faust here: the faust app (app.py) only hands batches to ``IdentityProcessor.process``.
Clients and the clock are injected.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from core import metrics
from core.clock import Clock
from core.suppression import digests, suppressed
from schemas import catalogue
from schemas.errors import InvalidEvent
from schemas.registry import SchemaSource
from schemas.serde import HeadDecoder
from schemas.wire_encoder import wire_encoder
from streams.common.deadletters import for_message
from streams.common.messages import RawMessage
from streams.common.publish import DeliveryFailed, Record, publish
from streams.common.retry import retry_outages
from streams.identity.dlq import DlqLimit
from streams.identity.engine import GraphStore, resolve_and_apply
from streams.identity.extract import Extractor
from streams.identity.model import Change, Parsed
from streams.identity.rules import Rules
from streams.identity.wire import ResolvedEncoder, change_record, pack_records, unpack_records

STAGE = "identity"
OUTBOX_STALE_MS = 30_000  # older outbox entries belong to a worker that stopped mid-batch
T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topics:
    resolved: str
    changes: str
    dead_letters: str


@dataclass
class BatchStats:
    received: int = 0
    resolved: int = 0
    dead_lettered: int = 0
    changes: int = 0
    dropped: int = 0  # events of erased people (suppression list)


class IdentityProcessor:
    def __init__(
        self,
        *,
        rules: Rules,
        store: GraphStore,
        producer: Any,
        topics: Topics,
        source: SchemaSource,
        clock: Clock,
        dlq_max_ratio: float,
        outages: tuple[type[BaseException], ...] = (),
        sleep: Callable[[float], None] = time.sleep,
        erased: Callable[[Callable[[], list[str]]], set[str]] | None = None,
    ) -> None:
        # (a function giving the batch's identifier digests) -> those on the erasure suppression
        # list; the digests are computed only when that list is not empty
        self.erased = erased
        self.outages: tuple[type[BaseException], ...] = (DeliveryFailed, *outages)
        self.sleep = sleep
        self.store = store
        self.producer = producer
        self.topics = topics
        self.clock = clock
        self.rules = rules
        self.extractor = Extractor(rules)
        # identity needs only the leading fields (ids, times, identifiers, relations)
        self.touchpoints = HeadDecoder(catalogue.TOUCHPOINT, "relations", source)
        self.resolved = ResolvedEncoder(source)
        # generated Avro writers: the same bytes as Codec.encode, ~3x faster per change
        self.encode_change = wire_encoder(catalogue.IDENTITY_CHANGE, source)
        self.encode_dead_letter = wire_encoder(catalogue.DEAD_LETTER, source)
        self.dlq_limit = DlqLimit(dlq_max_ratio)

    def process(self, messages: list[RawMessage]) -> BatchStats:
        started = time.perf_counter()
        now = self.clock()
        good, bad = self._split(messages, now)
        self.dlq_limit.check(len(messages), len(bad))
        dead_lettered = len(bad)
        good = self._without_erased(good)
        self._republish_stale_outbox(now)
        parsed = [p for _, _, p in good]
        entry = f"{now}:{uuid.uuid4().hex[:12]}"
        kept: list[Any] = [None, []]  # (changes, their encoded messages) of the last attempt

        def outbox(found: list[Change]) -> tuple[object, ...] | None:
            if not found:
                return None
            kept[:] = [found, self.encode_changes(found, now)]
            return ("O", entry, pack_records(kept[1]))

        outcomes, changes = self._retry(
            lambda: resolve_and_apply(
                self.store, self.rules, parsed, on_conflict=_conflict, outbox=outbox
            ),
            "identity graph update",
        )
        records = bad
        resolved_topic = self.topics.resolved
        for (msg, event, _), (pid, hh) in zip(good, outcomes, strict=True):
            value = self.resolved.encode(msg.value, event, pid, hh, now)  # type: ignore[arg-type]
            records.append((resolved_topic, pid.encode(), value))
        encoded = kept[1] if kept[0] is changes else self.encode_changes(changes, now)
        changes_topic = self.topics.changes
        records += [(changes_topic, key, value) for key, value in encoded]
        self._retry(lambda: publish(self.producer, records), "publishing identity results")
        if changes:
            self._retry(lambda: self.store.outbox_done(entry), "clearing the outbox")
        self._count(messages, good, bad, changes, started)
        dropped = len(messages) - len(good) - dead_lettered
        return BatchStats(len(messages), len(good), dead_lettered, len(changes), dropped)

    def _republish_stale_outbox(self, now: int) -> None:
        """Changes a worker wrote to the graph but died before publishing: publish them now
        (change ids are deterministic, so a second copy is harmless downstream)."""
        entries = self._retry(self.store.outbox_entries, "reading the outbox")
        for entry, blob in entries.items():
            if now - int(entry.split(":", 1)[0]) < OUTBOX_STALE_MS:
                continue
            records: list[Record] = [
                (self.topics.changes, key, value) for key, value in self._outbox_records(blob)
            ]
            self._republish(entry, records)
            log.warning("republished %d identity changes left by a stopped worker", len(records))

    def encode_changes(self, changes: list[Change], now: int) -> list[tuple[bytes, bytes]]:
        """(key, value) messages of the changes topic; written to the outbox and published."""
        encode = self.encode_change
        return [(c.profile_id.encode(), encode(change_record(c, now))) for c in changes]

    def _outbox_records(self, blob: bytes) -> list[tuple[bytes, bytes]]:
        if blob[:1] == b"[":  # written by a version that kept the changes as JSON
            return [
                (rec["profile_id"].encode(), self.encode_change(rec)) for rec in json.loads(blob)
            ]
        return unpack_records(blob)

    def _republish(self, entry: str, records: list[Record]) -> None:
        self._retry(lambda: publish(self.producer, records), "republishing the outbox")
        self._retry(lambda: self.store.outbox_done(entry), "clearing the outbox")

    def _without_erased(self, good: list[Any]) -> list[Any]:
        """An erased person's later events are not resolved (so their identifiers do not come
        back into the graph) until they give a new consent; counted as dropped."""
        if self.erased is None or not good:
            return good
        lookup = self.erased

        def wanted() -> list[str]:
            return sorted({d for _, event, _ in good for d in digests(event)})

        erased = self._retry(lambda: lookup(wanted), "reading the suppression list")
        if not erased:
            return good
        kept = [g for g in good if not self._suppressed(g[0], g[1], erased)]
        metrics.EVENTS_DROPPED.labels(STAGE, "erased_identifier").inc(len(good) - len(kept))
        return kept

    def _suppressed(self, msg: RawMessage, event: dict[str, Any], erased: set[str]) -> bool:
        """A consent event lifts the suppression: read its consent fields (after the head)."""
        if event["event_type"] == "consent_changed" and not self.touchpoints.complete(event):
            event = self.touchpoints.full.decode(msg.value)
        return suppressed(event, erased)

    def _retry(self, fn: Callable[[], T], what: str) -> T:
        return retry_outages(fn, self.outages, what=what, sleep=self.sleep)

    def _split(
        self, messages: list[RawMessage], now: int
    ) -> tuple[list[tuple[RawMessage, dict[str, Any], Parsed]], list[Record]]:
        good: list[tuple[RawMessage, dict[str, Any], Parsed]] = []
        bad: list[Record] = []
        decode, parse = self.touchpoints.decode, self.extractor.parse
        for msg in messages:
            event: dict[str, Any] | None = None
            try:
                event = decode(msg.value)
                good.append((msg, event, parse(event)))
            except InvalidEvent as exc:
                bad.append(self._dead_letter(msg, exc, event, now))
        return good, bad

    def _dead_letter(
        self, msg: RawMessage, exc: InvalidEvent, event: dict[str, Any] | None, now: int
    ) -> Record:
        metrics.EVENTS_REJECTED.labels(STAGE, exc.reason).inc()
        record = for_message(STAGE, msg, exc, now, event)
        return (self.topics.dead_letters, None, self.encode_dead_letter(record))

    def _count(
        self,
        messages: list[RawMessage],
        good: list[Any],
        bad: list[Record],
        changes: list[Any],
        started: float,
    ) -> None:
        metrics.EVENTS_RECEIVED.labels(STAGE).inc(len(messages))
        metrics.EVENTS_ACCEPTED.labels(STAGE).inc(len(good))
        kinds = Counter(c.kind for c in changes)
        for kind, n in kinds.items():
            metrics.IDENTITY_CHANGES.labels(kind).inc(n)
        if kinds["merged"]:
            metrics.IDENTITY_MERGES.inc(kinds["merged"])
        for reason, n in Counter(c.reason for c in changes if c.kind == "refused").items():
            metrics.IDENTITY_REFUSALS.labels(reason).inc(n)
        metrics.BATCH_SECONDS.labels(STAGE).observe(time.perf_counter() - started)


def _conflict(attempt: int) -> None:
    metrics.IDENTITY_CONFLICTS.inc()
    log.info("identity batch conflicted with another worker (attempt %d); resolving again", attempt)
