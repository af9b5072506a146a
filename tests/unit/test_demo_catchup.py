"""The demo's catch-up wait: done at lag 0, gives up when the lag stops going down (a
processor that keeps failing), and says who is behind and the log's last failure."""

from __future__ import annotations

from pathlib import Path

from cdp.demo.catchup import behind, last_failure, wait_caught_up
from core.lag import Lag
from core.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _wait(lags: list[int], stall_s: float = 10.0) -> tuple[bool, float]:
    clock, seen = Clock(), iter(lags)
    last = [lags[-1]]

    def lag_of(_settings: Settings) -> int:
        last[0] = next(seen, last[0])
        return last[0]

    done = wait_caught_up(
        Settings(), timeout=600, stall_s=stall_s, lag_of=lag_of, clock=clock, sleep=clock.sleep
    )
    return done, clock.now


def test_caught_up_when_the_lag_stays_zero() -> None:
    done, waited = _wait([900, 500, 100, 0, 0, 0])
    assert done and waited < 10


def test_slow_progress_keeps_waiting() -> None:
    done, waited = _wait([1000 - 5 * i for i in range(200)] + [0])
    assert done and waited > 150


def test_gives_up_when_the_lag_stops_going_down() -> None:
    done, waited = _wait([900, 500, 500], stall_s=10.0)
    assert not done and 10 <= waited < 15


def test_behind_names_the_groups_with_lag() -> None:
    lags = [
        Lag("cdp-profiles", "cdp.touchpoints.resolved", 56_668, 78_389),
        Lag("cdp-history", "cdp.touchpoints.resolved", 0, 78_389),
    ]
    assert behind(lags) == ["cdp-profiles is 56,668 messages behind on cdp.touchpoints.resolved"]


def test_last_failure_is_the_last_crash_line(tmp_path: Path) -> None:
    log = tmp_path / "services.log"
    assert last_failure(log) is None
    log.write_text("started profiles (pid 1)\n")
    assert last_failure(log) is None
    log.write_text(
        "started profiles (pid 1)\nFATAL: merge_profiles: first\n"
        "profiles exited with 70; restarting in 30s\nstarted profiles (pid 2)\n"
    )
    assert last_failure(log) == "FATAL: merge_profiles: first"
    assert last_failure(log, since=log.stat().st_size) is None  # an earlier run's failure
    log.write_text("history exited with 1; restarting in 2s\n")
    assert last_failure(log) == "history exited with 1; restarting in 2s"
