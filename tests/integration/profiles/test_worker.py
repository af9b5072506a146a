"""The faust worker end to end: resolved touchpoints and a merge on Kafka -> profiles in Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from core import kafka, topics
from core.settings import Settings, to_env
from streams.profiles import traits
from streams.profiles.fold import fold_all
from tests.integration.profiles import helpers as h
from tests.unit.profiles.events import DAY, T0, resolved, tp


def env_for(settings: Settings) -> dict[str, str]:
    return {**os.environ, **to_env(settings), "CDP_BATCH_SECONDS": "0.05"}


@pytest.fixture
def worker(settings: Settings, tmp_path: Any) -> Iterator[subprocess.Popen[bytes]]:
    kafka.create_topics(settings)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streams.profiles"],
            env=env_for(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        yield proc
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    sys.stderr.write(log.read_text()[-4000:])


def wait_for(check: Any, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def test_worker_folds_and_merges(settings: Settings, worker: subprocess.Popen[bytes]) -> None:
    producer = kafka.producer(settings)
    a = [resolved(tp("order_placed", T0 + i * DAY, amount=10.0), "pA") for i in range(3)]
    b = [resolved(tp("page_view", T0 + i * DAY, source="web"), "pB") for i in range(2)]
    for e in a + b:
        producer.produce(
            kafka.topic(settings, topics.RESOLVED),
            h.RESOLVED.encode(e),
            key=e["profile_id"].encode(),
        )
    producer.produce(kafka.topic(settings, topics.RESOLVED), b"not avro", key=b"pA")
    assert producer.flush(10) == 0
    wait_for(lambda: h.state(settings, "pA").get("n") == 3 and h.state(settings, "pB"))
    change = {
        "change_id": "m1",
        "kind": "merged",
        "profile_id": "pA",
        "from_profile_id": "pB",
        "identifier": None,
        "household_id": None,
        "reason": "email",
        "event_id": None,
        "event_time": T0,
        "change_time": T0,
    }
    producer.produce(
        kafka.topic(settings, topics.IDENTITY_CHANGES), h.CHANGE.encode(change), key=b"pA"
    )
    assert producer.flush(10) == 0
    wait_for(lambda: h.raw_profile(settings, "pB") is None)
    s = h.state(settings, "pA")
    assert s == {**fold_all({}, [dict(e, profile_id="pA") for e in a + b]), "mg": ["pB"]}
    assert traits.web(s)["visits"] == 2 and traits.orders(s)["count"] == 3
    assert worker.poll() is None  # bad input did not crash the agent
