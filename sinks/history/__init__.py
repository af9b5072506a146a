"""ClickHouse history sink: resolved touchpoints, identity changes, erasures and dead letters
-> database settings.clickhouse_database (see docs/history.md).

Flow (one place, consumer.HistorySink): consume -> prefilter (``take``): resolved touchpoints
of the current schema wait for the bulk step, everything else is decoded per message
(decode.Decoder -> batch.Batch, pure rows_* mappers) -> at flush, pipeline.Pipeline: the bulk
step (bulk_step -> bulk.BulkDecoder: one chdb query turns the batch into `events`/`pii` RowBinary;
bad batches split down to per-message decoding) in a decode thread, then
writer.HistoryWriter (inserts, RowBinary over HTTP, profile_map closure, erasure mutations) in a
write thread -> commit. ``main(settings)`` runs it in the foreground until SIGTERM/SIGINT.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.topics import GROUP_HISTORY as GROUP

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = ["GROUP", "main"]


def main(settings: Settings) -> None:
    from core.settings import lower_worker_priority
    from sinks.history.app import run

    lower_worker_priority(settings)
    run(settings)
