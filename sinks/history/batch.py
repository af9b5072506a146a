"""One batch of the history sink (pure): decoded records -> rows per table, plus the offsets to
commit once every table's insert succeeded."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from sinks.history.bulk_sql import BulkRows
from sinks.history.rows_deadletter import dead_letter_row
from sinks.history.rows_erasure import erasure_row
from sinks.history.rows_events import event_row, has_personal_data, pii_row
from sinks.history.rows_identity import MergeEdge, identity_row, merge_edge

RESOLVED = "resolved"
IDENTITY = "identity"
ERASURE = "erasure"
DEAD_LETTER = "dead_letter"
KINDS = (RESOLVED, IDENTITY, ERASURE, DEAD_LETTER)


@dataclass
class Batch:
    erased: AbstractSet[str] = field(default_factory=frozenset)  # their pii is not written again
    events: list[tuple[Any, ...]] = field(default_factory=list)
    pii: list[tuple[Any, ...]] = field(default_factory=list)
    identity_changes: list[tuple[Any, ...]] = field(default_factory=list)
    edges: list[MergeEdge] = field(default_factory=list)
    dead_letters: list[tuple[Any, ...]] = field(default_factory=list)
    erasures: list[dict[str, Any]] = field(default_factory=list)
    bulk: list[BulkRows] = field(default_factory=list)  # bulk-decoded events/pii rows (RowBinary)
    offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    messages: int = 0

    def add(self, kind: str, record: dict[str, Any]) -> None:
        if kind == RESOLVED:
            self.add_resolved(record)
        elif kind == IDENTITY:
            self.identity_changes.append(identity_row(record))
            edge = merge_edge(record)
            if edge is not None:
                self.edges.append(edge)
        elif kind == ERASURE:
            self.erasures.append(record)
        elif kind == DEAD_LETTER:
            self.dead_letters.append(dead_letter_row(record))
        else:
            raise ValueError(f"unknown kind {kind!r}")

    def add_resolved(self, record: dict[str, Any]) -> None:
        self.events.append(event_row(record))
        if record["profile_id"] not in self.erased and has_personal_data(record):
            self.pii.append(pii_row(record))

    def add_bulk(self, rows: BulkRows) -> None:
        self.bulk.append(rows)

    def seen(self, topic: str, partition: int, offset: int) -> None:
        """Record a consumed message: commit offset + 1 for its partition after the write."""
        self.offsets[(topic, partition)] = offset + 1
        self.messages += 1

    @property
    def event_count(self) -> int:
        return len(self.events) + sum(b.event_rows for b in self.bulk)

    @property
    def pii_count(self) -> int:
        return len(self.pii) + sum(b.pii_rows for b in self.bulk)

    @property
    def rows(self) -> int:
        return (
            self.event_count
            + len(self.identity_changes)
            + len(self.dead_letters)
            + len(self.erasures)
        )

    def erased_profiles(self) -> set[str]:
        return {p for e in self.erasures for p in e["profile_ids"]}

    def erasure_rows(self) -> list[tuple[Any, ...]]:
        return [erasure_row(e) for e in self.erasures]
