"""The bulk step of the history sink: decode the waiting resolved touchpoints in one go.

A batch whose bulk decode fails (bad bytes, or chdb failing) is split in halves and each half
tried again, down to ``split_below`` messages, which are decoded one by one: the bad message
becomes a dead letter with its reason and the rest still lands, at most a few bulk decodes
later. Rows the decoder marks for the per-message path (see bulk_sql) take it too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Set
from typing import Any

from core import metrics
from sinks.history.batch import Batch
from sinks.history.bulk import BulkDecodeError, BulkDecoder

log = logging.getLogger(__name__)


class BulkStep:
    def __init__(
        self, bulk: BulkDecoder, per_message: Callable[[Any], None], split_below: int
    ) -> None:
        self.bulk = bulk
        self.per_message = per_message
        self.split_below = split_below

    def decode(self, messages: list[Any], batch: Batch, erased: Set[str]) -> int:
        """Add the rows of ``messages`` to ``batch``; returns how many `events` rows the bulk
        path produced (the rest went through ``per_message``)."""
        try:
            rows = self.bulk.decode([m.value() for m in messages], erased)
        except BulkDecodeError as exc:
            log.warning("bulk decode of %d messages failed (%s)", len(messages), exc)
            metrics.HISTORY_BULK_FAILURES.inc()
            return self._split(messages, batch, erased)
        batch.add_bulk(rows)
        metrics.HISTORY_DECODED.labels("bulk").inc(rows.event_rows)
        for index in rows.python_rows:
            self.per_message(messages[index])
        return rows.event_rows

    def _split(self, messages: list[Any], batch: Batch, erased: Set[str]) -> int:
        if len(messages) < self.split_below:
            for message in messages:
                self.per_message(message)
            return 0
        half = len(messages) // 2
        return self.decode(messages[:half], batch, erased) + self.decode(
            messages[half:], batch, erased
        )
