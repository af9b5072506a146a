"""Dead-letter limit (pure): stop rather than quietly discard most of the input.

The ratio is taken over a rolling window of recent events, and only once the window holds enough
events to mean something, so one bad message in a tiny batch does not stop the processor.
"""

from __future__ import annotations

from collections import deque


class DeadLetterLimitExceeded(RuntimeError):
    """Too much input went to the dead-letter topic: a bad deploy upstream, most likely."""


class DlqLimit:
    def __init__(self, max_ratio: float, *, window: int = 5000, min_events: int = 200) -> None:
        self.max_ratio = max_ratio
        self.window = window
        self.min_events = min_events
        self._batches: deque[tuple[int, int]] = deque()
        self._total = 0
        self._bad = 0

    def check(self, total: int, bad: int) -> None:
        """Record a batch; raise DeadLetterLimitExceeded when the recent ratio is above max."""
        self._batches.append((total, bad))
        self._total += total
        self._bad += bad
        while len(self._batches) > 1 and self._total - self._batches[0][0] >= self.window:
            old_total, old_bad = self._batches.popleft()
            self._total -= old_total
            self._bad -= old_bad
        if self._total >= self.min_events and self._bad > self.max_ratio * self._total:
            raise DeadLetterLimitExceeded(
                f"{self._bad} of the last {self._total} events went to the dead-letter topic "
                f"(max ratio {self.max_ratio}): stopping instead of discarding them"
            )
