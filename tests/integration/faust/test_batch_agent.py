"""streams.common.faust_app.batch_agent in a real faust worker: batches run in order while the
next one is taken, every handled batch gets committed (also the last one, with nothing after it),
and a batch whose handler failed is never committed."""

from __future__ import annotations

import subprocess
import time
from collections import defaultdict
from pathlib import Path

from core import kafka, lag, topics
from core.settings import Settings
from streams.common.faust_app import EXIT_FATAL
from tests.integration.faust.batch_app import GROUP
from tests.integration.identity.workers import start_worker, stop_worker

N = 1200


def _produce(settings: Settings) -> dict[int, int]:
    kafka.create_topics(settings)
    producer = kafka.producer(settings)
    name = kafka.topic(settings, topics.TOUCHPOINTS)
    for i in range(N):
        producer.produce(name, b"x", str(i).encode())
    assert producer.flush(30) == 0
    return lag.log_ends(settings, name)


def _handled(out: Path) -> dict[int, list[int]]:
    seen: dict[int, list[int]] = defaultdict(list)
    if out.exists():
        for line in out.read_text().splitlines():
            partition, offset = line.split()
            seen[int(partition)].append(int(offset))
    return seen


def _committed(settings: Settings, ends: dict[int, int]) -> dict[int, int]:
    name = kafka.topic(settings, topics.TOUCHPOINTS)
    group = f"{settings.topic_prefix}{GROUP}"
    return lag.committed_offsets(settings, group, {name: sorted(ends)})[name]


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.3)
    return False


def test_every_batch_is_handled_in_order_and_committed(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"batch_size": 100})
    ends = _produce(settings)
    out = tmp_path / "handled.txt"
    proc = start_worker(
        settings, tmp_path / "worker.log", "tests.integration.faust.batch_app", TEST_OUT=str(out)
    )
    try:
        assert _wait(lambda: sum(map(len, _handled(out).values())) >= N, 90), "not all handled"
        # the last batch is acknowledged although no message follows it
        assert _wait(lambda: _committed(settings, ends) == ends, 30), _committed(settings, ends)
    finally:
        stop_worker(proc)
    handled = _handled(out)
    assert {p: offsets for p, offsets in handled.items()} == {
        p: list(range(end)) for p, end in ends.items() if end
    }  # each offset once, in order per partition


def test_a_failed_batch_stops_the_worker_and_is_not_committed(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"batch_size": 50})
    ends = _produce(settings)
    fail_at = min(ends.values()) // 2
    out = tmp_path / "handled.txt"
    proc = start_worker(
        settings,
        tmp_path / "worker.log",
        "tests.integration.faust.batch_app",
        TEST_OUT=str(out),
        TEST_FAIL_AT=str(fail_at),
    )
    try:
        assert proc.wait(90) == EXIT_FATAL
    finally:
        stop_worker(proc)
    handled = _handled(out)
    for partition, committed in _committed(settings, ends).items():
        # everything before the committed position was handled: nothing unhandled is skipped
        assert set(range(max(committed, 0))) <= set(handled.get(partition, ())), partition
        assert committed <= fail_at


def test_workers_joining_and_leaving_mid_stream_handle_and_commit_every_offset(
    settings: Settings, tmp_path: Path
) -> None:
    """Two rebalances while batches are in flight: a second worker joins, then the first one
    stops. Every offset is handled by one of them (at least once) and all are committed."""
    settings = settings.model_copy(update={"batch_size": 20})
    ends = _produce(settings)
    outs = [tmp_path / "first.txt", tmp_path / "second.txt"]
    logs = [tmp_path / "first.log", tmp_path / "second.log"]

    def start(k: int) -> subprocess.Popen[bytes]:
        return start_worker(
            settings,
            logs[k],
            "tests.integration.faust.batch_app",
            TEST_OUT=str(outs[k]),
            TEST_SLEEP="0.2",
        )

    first = start(0)
    second = None
    try:
        assert _wait(lambda: _handled(outs[0]), 60), "the first worker handled nothing"
        second = start(1)
        assert _wait(lambda: _handled(outs[1]), 60), "the second worker got no partition"
        stop_worker(first)  # leaves with batches of its partitions in flight
        assert _wait(lambda: _committed(settings, ends) == ends, 120), _committed(settings, ends)
    finally:
        for proc in (first, second):
            if proc is not None:
                stop_worker(proc)
    by_first, by_second = _handled(outs[0]), _handled(outs[1])
    for partition, end in ends.items():
        handled = set(by_first.get(partition, ())) | set(by_second.get(partition, ()))
        assert handled == set(range(end)), partition
    assert not any("FATAL" in log.read_text() for log in logs)
