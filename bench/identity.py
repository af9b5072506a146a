"""Identity benchmark: events/s through identity workers, next to the no-op faust ceiling.

    cdp stack up
    .venv/bin/python -m bench.identity --events 100000 --customers 5000

Produces N touchpoints (2-4 identifiers each from a pool of customers; cookies, households and
some merges) to a fresh topic, then measures in separate processes, one after the other:
1. the ceiling: a faust agent doing nothing with take(5000, within=0.5) on that topic;
2. one identity worker (settings.batch_size / batch_seconds) on that topic, empty graph;
3. two identity workers in one group on a copy of the topic (its own prefix), empty graph.
Rates count events after the first batch, from the first to the last batch (the consumer-group
join and faust start-up are excluded), so the figures compare like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench.scratch import discard
from core import kafka, topics
from core.settings import Settings, load_settings, to_env
from schemas import catalogue
from schemas.serde import Codec

ROOT = Path(__file__).resolve().parents[1]
T0 = 1_760_000_000_000


def touchpoints(n: int, customers: int, seed: int = 1) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        c = rnd.randrange(customers)
        pool = [
            ("crm_id", f"CRM-{c:08d}"),
            ("email", f"kunde{c}@web.de"),
            ("phone", f"+49151{c:08d}"),
            ("cookie_id", f"ck_{c:x}_{rnd.randrange(3)}"),
            ("customer_number", f"K{4_000_000 + c}"),
        ]
        ids = [{"type": t, "value": v} for t, v in rnd.sample(pool, rnd.randint(1, 3))]
        if rnd.random() < 0.2:
            ids.append({"type": "address_key", "value": f"hauptstr {c // 2} 10115 berlin"})
        out.append(
            {
                "event_id": f"ev-{i}",
                "event_type": "order_placed",
                "source_system": "orders",
                "event_time": T0 - rnd.randrange(10**10),
                "received_time": T0,
                "identifiers": ids,
                "channel": "web",
                "amount": 10.0 + i % 90,
                "currency": "EUR",
                "order_id": f"O{i}",
                "attributes": {"first_name": "Anna", "city": "Berlin"},
            }
        )
    return out


def with_prefix(base: Settings, tag: str) -> Settings:
    run = f"bench{uuid.uuid4().hex[:6]}{tag}"
    return base.model_copy(update={"topic_prefix": f"{run}.", "redis_prefix": run})


def produce(settings: Settings, events: list[bytes]) -> None:
    kafka.create_topics(settings)
    producer = kafka.producer(settings)
    name = kafka.topic(settings, topics.TOUCHPOINTS)
    for k, value in enumerate(events):
        producer.produce(name, value, str(k % 997).encode())
        if k % 10000 == 0:
            producer.poll(0)
    assert producer.flush(60) == 0


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    return {**os.environ, **to_env(settings), **extra}


def spawn(module: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", module], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


def rate(batches: list[tuple[float, int]]) -> float:
    """Events per second after the first batch, first to last batch."""
    batches = sorted(batches)
    span = batches[-1][0] - batches[0][0]
    return sum(n for _, n in batches[1:]) / span if span > 0 else float("nan")


def ceiling(settings: Settings, n: int, workdir: Path, agent: str = "take") -> float:
    """The no-op agent's rate; agent "batch" = the processors' batch_agent with a no-op handler,
    "stock" = the take agent on faust.App as shipped (each run its own consumer group, so each
    reads the whole topic)."""
    out = workdir / f"noop-{agent}.json"
    proc = spawn(
        "bench.noop_agent",
        env_for(settings, BENCH_N=str(n), BENCH_OUT=str(out), BENCH_AGENT=agent),
        workdir / f"noop-{agent}.log",
    )
    try:
        while not out.exists():
            if proc.poll() is not None:
                raise SystemExit(f"no-op agent exited; see {workdir / f'noop-{agent}.log'}")
            time.sleep(0.2)
        time.sleep(0.2)
        return rate([tuple(b) for b in json.loads(out.read_text())["batches"]])
    finally:
        stop([proc])


def identity(settings: Settings, n: int, workers: int, workdir: Path) -> float:
    procs = [
        spawn("streams.identity", env_for(settings), workdir / f"identity{workers}-{k}.log")
        for k in range(workers)
    ]
    consumer = kafka.consumer(settings, f"{settings.topic_prefix}bench-reader")
    consumer.subscribe([kafka.topic(settings, topics.RESOLVED)])
    codec = Codec(catalogue.RESOLVED)
    per_batch: Counter[tuple[int, int]] = Counter()
    seen = 0
    try:
        while seen < n:
            if any(p.poll() is not None for p in procs):
                raise SystemExit(f"identity worker exited; see logs in {workdir}")
            for msg in consumer.consume(10000, timeout=0.5):
                if msg.error():
                    continue
                seen += 1
                # resolved_time is the batch's clock: events of one batch share it
                per_batch[(resolved_time(msg.value(), codec), msg.partition())] += 1
    finally:
        consumer.close()
        stop(procs)
    by_time: Counter[int] = Counter()
    for (t, _), count in per_batch.items():
        by_time[t] += count
    return rate([(t / 1000, c) for t, c in by_time.items()])


def resolved_time(value: bytes, codec: Codec) -> int:
    """The last field of a cdp.ResolvedTouchpoint, read from the end of the message (a full
    decode would cost the reader ~20 us per event on the cores the worker needs): a zigzag
    varint whose bytes before the last have the high bit set. The field before it ends in a
    byte without it (0 for a null household, else an ASCII household id); anything implausible
    is decoded in full."""
    start = len(value) - 1
    while start > 0 and value[start - 1] & 0x80:
        start -= 1
    n = 0
    for shift, byte in enumerate(value[start:]):
        n |= (byte & 0x7F) << (7 * shift)
    t = (n >> 1) ^ -(n & 1)
    if abs(t - time.time() * 1000) < 86_400_000:
        return t
    return int(codec.decode(value)["resolved_time"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--customers",
        type=int,
        default=5_000,
        help="pool of customers (the first events of each create profiles)",
    )
    args = parser.parse_args()
    base = load_settings()
    codec = Codec(catalogue.TOUCHPOINT)
    encoded = [codec.encode(tp) for tp in touchpoints(args.events, args.customers)]
    workdir = Path(tempfile.mkdtemp(prefix="bench-identity-"))
    one, two = with_prefix(base, "a"), with_prefix(base, "b")
    try:
        run(args, encoded, one, two, workdir)
    finally:
        discard(one)
        discard(two)


def run(
    args: argparse.Namespace, encoded: list[bytes], one: Settings, two: Settings, workdir: Path
) -> None:
    produce(one, encoded)
    stock = ceiling(one, args.events, workdir, "stock")
    print(f"faust no-op ceiling, faust.App as shipped (take 5000, within 0.5): {stock:,.0f}/s")
    noop = ceiling(one, args.events, workdir)
    print(f"faust no-op ceiling, the workers' app (same agent): {noop:,.0f} events/s")
    plumbing = ceiling(one, args.events, workdir, "batch")
    print(f"faust + batch_agent, no-op handler: {plumbing:,.0f} events/s = {plumbing / noop:.0%}")
    single = identity(one, args.events, 1, workdir)
    print(
        f"identity, 1 worker:  {single:,.0f} events/s  = {single / stock:.0%} of faust's"
        f" ceiling, {single / noop:.0%} of the workers' app's"
    )
    produce(two, encoded)
    double = identity(two, args.events, 2, workdir)
    print(f"identity, 2 workers: {double:,.0f} events/s  ({double / 2:,.0f} per worker)")
    print(f"logs: {workdir}")


if __name__ == "__main__":
    main()
