"""The identity worker end to end on the embedded stack: faust processes, Kafka in and out."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from core import kafka, topics
from core.settings import Settings
from schemas import catalogue
from tests.integration.identity.test_graph_redis import clean_events
from tests.integration.identity.workers import (
    consume_until,
    produce_touchpoints,
    redis_partition,
    start_worker,
    stop_worker,
)
from tests.unit.identity.test_properties import expected_partition

T0 = 1_760_000_000_000


def as_touchpoints(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "event_time": T0 + e["event_time"], "received_time": T0} for e in events]


def alive(*procs: Any) -> Any:
    def check() -> None:
        for p in procs:
            assert p.poll() is None, f"worker exited with {p.returncode}"

    return check


def test_worker_resolves_publishes_and_dead_letters(settings: Settings, tmp_path: Path) -> None:
    kafka.create_topics(settings)
    events = as_touchpoints(clean_events(3))
    blocked = {
        **events[0],
        "event_id": "blocked-only",
        "identifiers": [{"type": "email", "value": "test@test.com"}],
    }
    produce_touchpoints(settings, [*events, blocked], raw=[b"\x00\x00\x01\x86\x9fxx", b"junk", b""])
    worker = start_worker(settings, tmp_path / "worker.log")
    try:
        check = alive(worker)
        resolved = consume_until(
            settings,
            topics.RESOLVED,
            catalogue.RESOLVED,
            lambda r: len(r) >= len(events),
            check_alive=check,
        )
        dead = consume_until(
            settings,
            topics.DEAD_LETTERS,
            catalogue.DEAD_LETTER,
            lambda r: len(r) >= 4,
            check_alive=check,
        )
        changes = consume_until(
            settings,
            topics.IDENTITY_CHANGES,
            catalogue.IDENTITY_CHANGE,
            lambda r: any(c["kind"] == "merged" for c in r) or len(r) > 300,
            check_alive=check,
        )
        # the worker keeps going after bad input
        later = {**events[1], "event_id": "after-bad-input"}
        produce_touchpoints(settings, [later])
        consume_until(
            settings,
            topics.RESOLVED,
            catalogue.RESOLVED,
            lambda r: any(x["touchpoint"]["event_id"] == "after-bad-input" for x in r),
            check_alive=check,
        )
    finally:
        stop_worker(worker)
    assert {r["touchpoint"]["event_id"] for r in resolved} == {e["event_id"] for e in events}
    assert redis_partition(settings) == expected_partition(events)
    by_reason = {d["reason"]: d for d in dead}
    assert set(by_reason) == {"malformed_avro", "unknown_schema_id", "blocked_identifiers_only"}
    assert {d["payload"] for d in dead if d["reason"] == "malformed_avro"} == {b"junk", b""}
    assert all(
        d["topic"] == kafka.topic(settings, topics.TOUCHPOINTS) and d["offset"] is not None
        for d in dead
    )
    assert by_reason["blocked_identifiers_only"]["event_id"] == "blocked-only"
    assert {"created", "linked"} <= {c["kind"] for c in changes}
    assert all(c["event_id"] for c in changes)


def test_two_workers_on_different_partitions_reach_the_graph_of_one(
    settings: Settings, tmp_path: Path
) -> None:
    kafka.create_topics(settings)
    events = as_touchpoints(clean_events(4, people=60))
    workers = [start_worker(settings, tmp_path / f"worker{k}.log") for k in range(2)]
    try:
        time.sleep(1.0)  # let both join the group so partitions are split between them
        produce_touchpoints(settings, events)
        resolved = consume_until(
            settings,
            topics.RESOLVED,
            catalogue.RESOLVED,
            lambda r: len({x["touchpoint"]["event_id"] for x in r}) >= len(events),
            check_alive=alive(*workers),
        )
    finally:
        for w in workers:
            stop_worker(w)
    assert len({r["touchpoint"]["event_id"] for r in resolved}) == len(events)
    assert redis_partition(settings) == expected_partition(events)
    logs = [(tmp_path / f"worker{k}.log").read_text() for k in range(2)]
    assert not any("FATAL" in log for log in logs)
