"""Resolve a batch against a graph store with optimistic concurrency (pure; the store is
injected: MemoryGraph in tests, RedisGraph in the processor).

read snapshot -> resolve in Python -> apply mutations if every value read still holds; if another
worker changed any of them in between, read again and resolve again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from streams.identity.extract import members_of
from streams.identity.model import Change, Mutations, Outcome, Parsed, Snapshot
from streams.identity.resolver import resolve_batch
from streams.identity.rules import Rules


class GraphStore(Protocol):
    def snapshot(self, identity: list[str], household: list[str]) -> Snapshot: ...
    def apply(self, mutations: Mutations) -> bool: ...
    def outbox_entries(self) -> dict[str, bytes]: ...
    def outbox_done(self, entry: str) -> None: ...


class ConflictRetriesExhausted(RuntimeError):
    """The graph kept changing under this batch (should not happen with a sane batch size)."""


def resolve_and_apply(
    store: GraphStore,
    rules: Rules,
    events: list[Parsed],
    *,
    max_attempts: int = 100,
    on_conflict: Callable[[int], None] | None = None,
    outbox: Callable[[list[Change]], tuple[object, ...] | None] | None = None,
) -> tuple[list[Outcome], list[Change]]:
    """``outbox`` turns the batch's changes into one more op written in the same atomic apply,
    so changes survive a crash between the graph write and their publication."""
    identity, household = members_of(events)
    for attempt in range(1, max_attempts + 1):
        snapshot = store.snapshot(identity, household)
        outcomes, mutations, changes = resolve_batch(rules, snapshot, events)
        kept = outbox(changes) if outbox is not None and mutations.ops else None
        if kept is not None:
            mutations.ops.append(kept)
        if not mutations.ops or store.apply(mutations):
            return outcomes, changes
        if on_conflict is not None:
            on_conflict(attempt)
    raise ConflictRetriesExhausted(f"graph changed under the batch {max_attempts} times")
