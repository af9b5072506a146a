"""History sink benchmark: throughput into ClickHouse and publish-to-queryable latency.

    .venv/bin/python -m bench.history --events 300000 --rate 50000 --seconds 10

Needs a running stack (`cdp stack up`, or CDP_* endpoints). Phase 1 produces N resolved
touchpoints up front, then runs the sink (in-process, in a thread, as `cdp run history` builds
it) and reports rows/s from its start until every row is in ClickHouse, and the same from the
first consumed message (without the consumer-group join). Phase 2 encodes rate x seconds
touchpoints up front, offers them at the fixed rate while the sink runs and measures, for every
100th event (a probe), the time from produce to the row being visible in `events`.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from typing import Any

from clickhouse_driver import Client

from bench.scratch import discard
from core import kafka, topics
from core.settings import Settings, load_settings
from schemas import catalogue
from schemas.serde import Codec
from sinks.history import app
from sinks.history.consumer import SinkConfig

PROBE_EVERY = 100
PROBE_TYPE = "probe"


def sample(i: int, now_ms: int, prefix: str = "ev") -> dict[str, Any]:
    """A realistic resolved touchpoint (an invoice with identifiers and attributes)."""
    tp: dict[str, Any] = dict.fromkeys(catalogue_fields(), None)
    tp.update(
        event_id=f"{prefix}-{i}", event_type="invoice", source_system="billing",
        event_time=now_ms - 86_400_000, received_time=now_ms, channel="email",
        direction="outbound", department="billing", amount=100.0 + i % 50, currency="EUR",
        quantity=1, product="car_insurance", invoice_id=f"INV-{i}", due_date=19_700,
        identifiers=[{"type": "email", "value": f"c{i % 50_000}@example.com"},
                     {"type": "billing_account", "value": f"B-{i % 50_000}"}],
        relations=[], attributes={"first_name": "Anna", "city": "Berlin"}, extras={},
    )  # fmt: skip
    return {
        "touchpoint": tp,
        "profile_id": f"p{i % 50_000}",
        "household_id": None,
        "resolved_time": now_ms,
    }


def catalogue_fields() -> list[str]:
    return [f["name"] for f in catalogue.current(catalogue.TOUCHPOINT).parsed["fields"]]


def count(client: Client, database: str) -> int:
    try:
        return int(client.execute(f"SELECT count() FROM {database}.events")[0][0])
    except Exception:
        return 0


class FirstMessage:
    """Wraps the sink's consumer: remembers when the first message arrived (group joined)."""

    def __init__(self, consumer: Any) -> None:
        self.consumer = consumer
        self.at: float | None = None

    def consume(self, num: int, timeout: float) -> list[Any]:
        messages = self.consumer.consume(num, timeout)
        if messages and self.at is None:
            self.at = time.perf_counter()
        return messages  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.consumer, name)


def start_sink(
    settings: Settings, config: SinkConfig
) -> tuple[threading.Event, threading.Thread, FirstMessage]:
    stop = threading.Event()
    sink = app.build(settings, group=f"{settings.topic_prefix}bench", config=config)
    sink.consumer = first = FirstMessage(sink.consumer)
    thread = threading.Thread(target=sink.run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread, first


def throughput(settings: Settings, n: int, config: SinkConfig) -> dict[str, Any]:
    codec, producer = Codec(catalogue.RESOLVED), kafka.producer(settings)
    topic, now = kafka.topic(settings, topics.RESOLVED), int(time.time() * 1000)
    record = sample(0, now)
    for i in range(n):
        record["touchpoint"]["event_id"] = f"ev-{i}"
        record["profile_id"] = f"p{i % 50_000}"
        producer.produce(topic, codec.encode(record), key=record["profile_id"])
        if i % 50_000 == 0:
            producer.poll(0)
    producer.flush()
    client = Client(**settings.clickhouse_kwargs)
    start = time.perf_counter()
    stop, thread, first = start_sink(settings, config)
    while count(client, settings.clickhouse_database) < n:
        time.sleep(0.05)
    end = time.perf_counter()
    stop.set()
    thread.join()
    consuming = end - (first.at or start)
    return {
        "rows": n,
        "seconds": round(end - start, 2),
        "rows_per_s": round(n / (end - start)),
        "group_join_s": round((first.at or start) - start, 2),
        "rows_per_s_after_join": round(n / consuming),
    }


def offered_load(n: int) -> list[tuple[str, str, bytes]]:
    """(event_id, key, value) of n resolved touchpoints, encoded up front so that producing at
    the offered rate costs the bench (which shares the process and the GIL with the sink)
    almost nothing. Every PROBE_EVERY-th is a probe: its own event_type, so polling for probes
    reads only their primary-key range."""
    codec, now, out = Codec(catalogue.RESOLVED), int(time.time() * 1000), []
    for i in range(n):
        probe = i % PROBE_EVERY == 0
        record = sample(i, now, "probe" if probe else "lat")
        if probe:
            record["touchpoint"]["event_type"] = PROBE_TYPE
        out.append((record["touchpoint"]["event_id"], record["profile_id"], codec.encode(record)))
    return out


def latency(settings: Settings, rate: int, seconds: float, config: SinkConfig) -> dict[str, Any]:
    producer = kafka.producer(settings, **{"linger.ms": 1})
    topic, db = kafka.topic(settings, topics.RESOLVED), settings.clickhouse_database
    client = Client(**settings.clickhouse_kwargs)
    load = offered_load(int(rate * seconds))
    stop, thread, _ = start_sink(settings, config)
    time.sleep(4)  # consumer group join
    sent: dict[str, int] = {}
    seen: dict[str, int] = {}
    start, i = time.time(), 0
    while i < len(load):
        due = min(len(load), int((time.time() - start) * rate))
        now = int(time.time() * 1000)
        for event_id, key, value in load[i:due]:
            producer.produce(topic, value, key=key)
            if event_id.startswith("probe-"):
                sent[event_id] = now
        i = max(i, due)
        producer.poll(0)
        _poll_probes(client, db, sent, seen)
        time.sleep(0.01)
    sent_s = time.time() - start
    producer.flush()
    deadline = time.time() + 30
    while len(seen) < len(sent) and time.time() < deadline:
        _poll_probes(client, db, sent, seen)
        time.sleep(0.02)
    stop.set()
    thread.join()
    lat = sorted(seen[k] - sent[k] for k in seen)
    return {
        "offered_rate": rate,
        "sent_rate": round(i / sent_s),
        "flush_max_ms": config.max_ms,
        "events": i,
        "probes": len(sent),
        "visible": len(seen),
        "p50_ms": _pct(lat, 0.50),
        "p99_ms": _pct(lat, 0.99),
        "max_ms": lat[-1] if lat else None,
    }


def _poll_probes(client: Client, db: str, sent: dict[str, int], seen: dict[str, int]) -> None:
    if len(seen) == len(sent):
        return
    rows = client.execute(
        f"SELECT event_id FROM {db}.events WHERE event_type = %(type)s", {"type": PROBE_TYPE}
    )
    now = int(time.time() * 1000)
    for (event_id,) in rows:
        if event_id in sent and event_id not in seen:
            seen[event_id] = now


def _pct(values: list[int], q: float) -> int | None:
    return values[min(len(values) - 1, int(q * len(values)))] if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--rate", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-ms", type=int, default=SinkConfig.max_ms, help="flush interval")
    args = parser.parse_args()
    config = SinkConfig(max_ms=args.max_ms)
    uid = uuid.uuid4().hex[:6]
    result = {}
    for phase in ("throughput", "latency"):
        settings = load_settings(
            topic_prefix=f"bench{uid}{phase[0]}.",
            clickhouse_database=f"bench_history_{uid}{phase[0]}",
        )
        kafka.create_topics(settings)
        try:
            if phase == "throughput":
                result[phase] = throughput(settings, args.events, config)
            else:
                result[phase] = latency(settings, args.rate, args.seconds, config)
        finally:
            discard(settings)
        print(json.dumps({phase: result[phase]}), flush=True)


if __name__ == "__main__":
    main()
