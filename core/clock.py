"""Injected clocks: logic takes a ``Clock``; tests pass a fixed one."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], int]  # returns epoch milliseconds


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def fixed_clock(ms: int) -> Clock:
    return lambda: ms
