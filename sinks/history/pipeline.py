"""Decode and write batches in background threads while the loop consumes the next one.

A handed-over batch goes through two single-thread stages, each in hand-over order: decode (the
bulk step, chdb) then write (ClickHouse). So batch k is decoded while k-1 is written and the
loop consumes k+1, and writes stay in order (the profile_map closure and erasure lookups of k
see the rows of k-1). The loop commits a batch's offsets only once its write finished, oldest
first; with more than ``depth`` batches in flight it waits for the oldest. A write retries
until it succeeds, so waiting here is waiting for ClickHouse (back-pressure).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class Pipeline(Generic[T]):
    def __init__(self, write: Callable[[T], None], depth: int = 2) -> None:
        self._write = write
        self.depth = depth
        self._decoding = ThreadPoolExecutor(1, thread_name_prefix="history-decode")
        self._writing = ThreadPoolExecutor(1, thread_name_prefix="history-write")
        self._in_flight: deque[tuple[Future[None], T]] = deque()

    def submit(self, batch: T, decode: Callable[[], None]) -> list[T]:
        """Decode (``decode()`` fills ``batch``), then write ``batch``. Returns the batches whose
        writes have finished (to commit, oldest first). An exception of either stage re-raises
        here or in ``finish``."""
        decoded = self._decoding.submit(decode)
        self._in_flight.append((self._writing.submit(self._write_after, decoded, batch), batch))
        written = []
        while len(self._in_flight) > self.depth:
            written.append(self._oldest())
        return written + self.written()

    def written(self) -> list[T]:
        """The batches whose writes have finished, oldest first, without waiting."""
        done = []
        while self._in_flight and self._in_flight[0][0].done():
            done.append(self._oldest())
        return done

    def finish(self) -> list[T]:
        """Wait for every batch in flight; returns them all, oldest first."""
        return [self._oldest() for _ in range(len(self._in_flight))]

    def close(self) -> None:
        self._decoding.shutdown(wait=True)
        self._writing.shutdown(wait=True)

    def _write_after(self, decoded: Future[None], batch: T) -> None:
        decoded.result()
        self._write(batch)

    def _oldest(self) -> T:
        future, batch = self._in_flight.popleft()
        future.result()
        return batch
