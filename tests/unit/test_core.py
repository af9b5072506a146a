"""Shared core pieces: lag arithmetic, settings passed to child processes."""

from __future__ import annotations


def test_lag_counts_what_is_past_the_committed_offset() -> None:
    from core.lag import lag_of

    ends = {0: 10, 1: 5, 2: 0}
    assert lag_of(ends, {0: 4, 1: 5, 2: -1}) == 6  # p0 behind by 6, p1 done, p2 empty
    assert lag_of(ends, {0: -1}) == 15  # no commits yet: everything is behind
    assert lag_of(ends, {0: 12, 1: 5}) == 0  # never negative


def test_settings_survive_the_trip_through_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from core.settings import Settings, to_env

    original = Settings(topic_prefix="t1.", api_keys={"k": ["read", "admin"]}, batch_seconds=0.05)
    for name, value in to_env(original).items():
        monkeypatch.setenv(name, value)
    assert Settings() == original


def test_workers_lower_their_cpu_priority_by_worker_nice() -> None:
    import subprocess
    import sys

    code = (
        "import os; from core.settings import Settings, lower_worker_priority; "
        "before = os.nice(0); lower_worker_priority(Settings(worker_nice={n})); "
        "print(os.nice(0) - before)"
    )
    for n, expected in ((0, "0"), (3, "3")):
        out = subprocess.run(
            [sys.executable, "-c", code.format(n=n)], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == expected
