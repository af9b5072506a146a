"""Wait until every processor has consumed everything (consumer lag 0), with a progress bar."""

from __future__ import annotations

import time

from rich.progress import Progress

from core.lag import all_lags
from core.settings import Settings


def total_lag(settings: Settings) -> int:
    return sum(lag.lag for lag in all_lags(settings))


def wait_caught_up(settings: Settings, timeout: float = 600.0, stable_polls: int = 3) -> bool:
    """True when the summed lag stayed 0 for ``stable_polls`` polls in a row."""
    deadline = time.monotonic() + timeout
    start = max(1, total_lag(settings))
    zero_polls = 0
    with Progress() as progress:
        task = progress.add_task("pipeline catching up", total=start)
        while time.monotonic() < deadline:
            lag = total_lag(settings)
            start = max(start, lag)
            progress.update(
                task,
                total=start,
                completed=start - lag,
                description=f"pipeline catching up ({lag:,} messages behind)",
            )
            zero_polls = zero_polls + 1 if lag == 0 else 0
            if zero_polls >= stable_polls:
                return True
            time.sleep(1.0)
    return False
