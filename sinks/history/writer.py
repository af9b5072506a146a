"""ClickHouse adapter of the history sink (clickhouse-driver): one columnar insert per table and
batch, the profile_map closure, and erasure mutations. Any exception here is an outage: the
caller retries the whole batch (every write is idempotent under the dedup views).

Bulk-decoded rows arrive already formatted (RowBinary) and go through ``raw`` (an HTTP insert,
sinks.history.http_insert) as one more insert per table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from core import metrics
from sinks.history import profile_map, rows_erasure
from sinks.history.batch import Batch
from sinks.history.migrate import Executes
from sinks.history.rows_deadletter import DEAD_LETTER_COLUMNS
from sinks.history.rows_erasure import ERASURE_COLUMNS
from sinks.history.rows_events import EVENT_COLUMNS, PII_COLUMNS
from sinks.history.rows_identity import IDENTITY_COLUMNS


class InsertsRowBinary(Protocol):
    def insert(self, table: str, columns: Sequence[str], data: bytes) -> None: ...


class HistoryWriter:
    def __init__(
        self, client: Executes, database: str, raw: InsertsRowBinary | None = None
    ) -> None:
        self.client = client
        self.db = database
        self.raw = raw

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        data = [list(column) for column in zip(*rows, strict=True)]
        self.client.execute(
            f"INSERT INTO {self.db}.{table} ({', '.join(columns)}) VALUES", data, columnar=True
        )
        metrics.HISTORY_ROWS.labels(table).inc(len(rows))

    def insert_rowbinary(
        self, table: str, columns: Sequence[str], chunks: Sequence[bytes | memoryview], rows: int
    ) -> None:
        if not rows:
            return
        if self.raw is None:
            raise RuntimeError("bulk-decoded rows need a RowBinary inserter")
        self.raw.insert(f"{self.db}.{table}", columns, b"".join(chunks))
        metrics.HISTORY_ROWS.labels(table).inc(rows)

    def write(self, batch: Batch) -> None:
        """Everything of one batch; erasures last so they also erase this batch's own rows."""
        self.insert("events", EVENT_COLUMNS, batch.events)
        bulk = batch.bulk
        self.insert_rowbinary(
            "events", EVENT_COLUMNS, [b.events for b in bulk], sum(b.event_rows for b in bulk)
        )
        self.insert("pii", PII_COLUMNS, batch.pii)
        self.insert_rowbinary(
            "pii", PII_COLUMNS, [b.pii for b in bulk], sum(b.pii_rows for b in bulk)
        )
        self.insert("identity_changes", IDENTITY_COLUMNS, batch.identity_changes)
        if batch.edges:
            self.insert("profile_map", profile_map.MAP_COLUMNS, self.closed_map(batch))
        self.insert("dead_letters", DEAD_LETTER_COLUMNS, batch.dead_letters)
        self.insert("erasures", ERASURE_COLUMNS, batch.erasure_rows())
        for erasure in batch.erasures:
            self.erase(erasure["profile_ids"])

    def closed_map(self, batch: Batch) -> list[tuple[Any, ...]]:
        every, merged = profile_map.nodes(batch.edges)
        return list(profile_map.close(batch.edges, self.stored_map(every, merged)))

    def stored_map(self, every: set[str], merged: set[str]) -> dict[str, profile_map.Mapped]:
        """Current rows for profiles in ``every`` or mapped to a profile in ``merged``."""
        rows = self.client.execute(
            f"SELECT profile_id, argMax(survivor_id, version), max(version), "
            f"argMax(change_id, version) FROM {self.db}.profile_map "
            f"WHERE profile_id IN (SELECT profile_id FROM {self.db}.profile_map "
            f"WHERE profile_id IN %(every)s OR survivor_id IN %(merged)s) GROUP BY profile_id",
            {"every": tuple(every), "merged": tuple(merged)},
        )
        return {p: profile_map.Mapped(s, v, c) for p, s, v, c in rows}

    def erase(self, profile_ids: Sequence[str]) -> set[str]:
        """Run the mutations that erase these profiles (and every profile merged into them)."""
        queries = rows_erasure.lookup_queries(self.db, list(profile_ids))
        profiles = set(profile_ids) | self._column(queries["merged"])
        queries = rows_erasure.lookup_queries(self.db, sorted(profiles))
        values = self._column(queries["values"]) | self._column(queries["change_values"])
        event_ids = self._column(queries["event_ids"])
        for statement in rows_erasure.mutations(self.db, sorted(profiles), values, event_ids):
            self.client.execute(statement)
        metrics.HISTORY_ERASURES.inc()
        return profiles

    def erased_profiles(self) -> set[str]:
        """Every profile erased so far (and those merged into them): their pii is not rewritten."""
        erased = self._column(f"SELECT DISTINCT arrayJoin(profile_ids) FROM {self.db}.erasures")
        if not erased:
            return erased
        merged = rows_erasure.lookup_queries(self.db, sorted(erased))["merged"]
        return erased | self._column(merged)

    def _column(self, query: str) -> set[str]:
        return {row[0] for row in self.client.execute(query)}
