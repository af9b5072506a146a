"""ClickHouse history sink: resolved touchpoints, identity changes, erasures and dead letters
-> database settings.clickhouse_database (see docs/history.md).

Flow (one place): consumer.HistorySink.step = consume -> decode.Decoder -> batch.Batch (pure
rows_* mappers) -> writer.HistoryWriter (inserts, profile_map closure, erasure mutations) ->
commit. ``main(settings)`` runs it in the foreground until SIGTERM/SIGINT.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.topics import GROUP_HISTORY as GROUP

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = ["GROUP", "main"]


def main(settings: Settings) -> None:
    from sinks.history.app import run

    run(settings)
