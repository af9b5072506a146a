"""Retry outages with capped exponential backoff (bad data is never retried: it is not an
outage). The sleep is injected so tests do not wait."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


def retry_outages(
    fn: Callable[[], T],
    outages: tuple[type[BaseException], ...],
    *,
    what: str,
    first_delay: float = 0.1,
    max_delay: float = 5.0,
    max_attempts: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    delay = first_delay
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn()
        except outages as exc:
            if max_attempts is not None and attempt >= max_attempts:
                raise
            log.warning(
                "%s failed (%s: %s); retrying in %.1fs", what, type(exc).__name__, exc, delay
            )
            sleep(delay)
            delay = min(max_delay, delay * 2)
