"""Wait until every processor has consumed everything (consumer lag 0), with a progress bar;
stop waiting early when the lag has not gone down for a while (a processor that keeps failing
makes no progress), and say which groups are behind and the services log's last failure."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from rich.progress import Progress

from core.lag import Lag, all_lags
from core.settings import Settings

STALL_S = 120.0  # no lag decrease for this long: stop waiting
FAILURE_MARKS = ("FATAL", "exited with")  # what the processors and `cdp run all` log on a crash


def total_lag(settings: Settings) -> int:
    return sum(lag.lag for lag in all_lags(settings))


def wait_caught_up(
    settings: Settings,
    timeout: float = 600.0,
    stable_polls: int = 3,
    stall_s: float = STALL_S,
    lag_of: Callable[[Settings], int] = total_lag,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """True when the summed lag stayed 0 for ``stable_polls`` polls in a row; False at the
    timeout or when the lag has not gone down for ``stall_s`` seconds."""
    deadline = clock() + timeout
    start = best = max(1, lag_of(settings))
    last_progress = clock()
    zero_polls = 0
    with Progress() as progress:
        task = progress.add_task("pipeline catching up", total=start)
        while clock() < deadline:
            lag = lag_of(settings)
            start = max(start, lag)
            progress.update(
                task,
                total=start,
                completed=start - lag,
                description=f"pipeline catching up ({lag:,} messages behind)",
            )
            if lag < best:
                best, last_progress = lag, clock()
            elif lag and clock() - last_progress > stall_s:
                return False
            zero_polls = zero_polls + 1 if lag == 0 else 0
            if zero_polls >= stable_polls:
                return True
            sleep(1.0)
    return False


def behind(lags: Iterable[Lag]) -> list[str]:
    """One line per consumer group and topic that still has messages to consume."""
    return [f"{x.group} is {x.lag:,} messages behind on {x.topic}" for x in lags if x.lag]


def log_size(log: Path) -> int:
    return log.stat().st_size if log.exists() else 0


def last_failure(log: Path, since: int = 0, tail_bytes: int = 65_536) -> str | None:
    """The services log's last crash line, if any: a processor's FATAL line (it gives the
    reason), else the last "exited with" line of `cdp run all`; only what was written after
    byte ``since`` (the log is appended to by every run)."""
    if not log.exists():
        return None
    with log.open("rb") as fh:
        fh.seek(max(since, log.stat().st_size - tail_bytes))
        lines = fh.read().decode("utf-8", "replace").splitlines()
    for mark in FAILURE_MARKS:  # a processor's own FATAL line gives the reason
        hits = [line.strip() for line in lines if mark in line]
        if hits:
            return hits[-1][:300]
    return None
