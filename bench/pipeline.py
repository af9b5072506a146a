"""End-to-end benchmark of the whole pipeline on the running stack (see bench/README.md).

    cdp stack up
    .venv/bin/python -m bench.pipeline --customers 3000 --days 90

In one run, each phase on fresh topics/keys/database:
1. throughput: all generated touchpoints produced at once; time until identity, profiles and the
   ClickHouse sink have all caught up (consumer lag 0) -> end-to-end events/s; with 1 then 2
   identity and profiles workers;
2. freshness: a fixed offered load (--rate events/s) with probe events (each a new customer);
   publish -> profile visible in Redis, and publish -> row queryable in ClickHouse, p50/p99;
3. the faust no-op ceiling on the same topic (bench.identity.ceiling) and the ratio to it.
Profile lookup latency under ingestion comes from bench.profiles (run it alongside).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import redis
from clickhouse_driver import Client

from bench import profiles
from bench.identity import ceiling, env_for, spawn, stop, with_prefix
from bench.scratch import discard
from connectors.generator import generate_touchpoints
from core import kafka, topics
from core.keys import Keys
from core.lag import all_lags
from core.settings import Settings, load_settings
from schemas import catalogue
from schemas.serde import Codec
from sinks.history.migrate import migrate

API_PORT = 18081
# How often each watcher looks for open probes. A ClickHouse query costs the server a few ms
# of CPU whatever it reads: polled every 5 ms, ClickHouse took 50-80 % of a core from the
# pipeline and the API it measures; 25 ms bounds the timing error well below the latencies seen.
POLL_SECONDS = {"redis": 0.005, "clickhouse": 0.025}
PROBE_TYPE = "order_placed"  # the ClickHouse watcher reads only this type's primary-key range


def start_pipeline(settings: Settings, workers: int, workdir: Path) -> list[Any]:
    env = env_for(settings)
    procs = [spawn("sinks.history", env, workdir / "history.log")]
    for k in range(workers):
        procs.append(spawn("streams.identity", env, workdir / f"identity-{k}.log"))
        procs.append(spawn("streams.profiles", env, workdir / f"profiles-{k}.log"))
    return procs


def fresh(base: Settings, tag: str) -> Settings:
    s = with_prefix(base, tag)
    s = s.model_copy(update={"clickhouse_database": f"bench_{s.redis_prefix}"})
    kafka.create_topics(s)
    client = Client(**s.clickhouse_kwargs)  # type: ignore[arg-type]
    migrate(client, s.clickhouse_database)
    return s


def produce_all(settings: Settings, values: list[bytes]) -> None:
    producer = kafka.producer(settings, **{"linger.ms": 20})
    name = kafka.topic(settings, topics.TOUCHPOINTS)
    for k, value in enumerate(values):
        producer.produce(name, value, str(k % 4093).encode())
        if k % 5000 == 0:
            producer.poll(0)
    producer.flush(120)


def caught_up(settings: Settings) -> bool:
    lags = all_lags(settings)
    return all(lag.lag == 0 for lag in lags) and any(lag.end > 0 for lag in lags)


def wait_caught_up(settings: Settings, procs: list[Any], timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise SystemExit("a pipeline process exited; see the logs")
        if caught_up(settings):
            return time.monotonic()
        time.sleep(0.25)
    raise SystemExit("pipeline did not catch up in time")


def warm_up(settings: Settings, procs: list[Any], codec: Codec) -> None:
    produce_all(
        settings,
        [codec.encode(probe_event(f"warm{k}", int(time.time() * 1000))) for k in range(50)],
    )
    wait_caught_up(settings, procs, 180)


def throughput(base: Settings, values: list[bytes], workers: int, workdir: Path) -> float:
    settings = fresh(base, f"t{workers}")
    procs = start_pipeline(settings, workers, workdir / f"t{workers}")
    try:
        warm_up(settings, procs, Codec(catalogue.TOUCHPOINT))
        start = time.monotonic()
        produce_all(settings, values)
        end = wait_caught_up(settings, procs, 900)
        return len(values) / (end - start)
    finally:
        stop(procs)
        discard(settings)


def probe_event(tag: str, now_ms: int) -> dict[str, Any]:
    return {
        "event_id": f"probe-{tag}",
        "event_type": PROBE_TYPE,
        "source_system": "orders",
        "event_time": now_ms,
        "received_time": now_ms,
        "identifiers": [{"type": "email", "value": f"probe-{tag}@bench.example"}],
        "amount": 1.0,
        "currency": "EUR",
    }


def freshness(
    base: Settings, values: list[bytes], rate: int, seconds: int, rps: int, workdir: Path
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Offered load with probes; meanwhile GET lookups at ``rps`` from a separate process."""
    settings = fresh(base, f"f{rate}").model_copy(
        update={"api_port": API_PORT, "api_keys": {profiles.API_KEY: ["read"]}}
    )
    procs = start_pipeline(settings, 1, workdir / "f")
    procs.append(spawn("api", env_for(settings), workdir / "f" / "api.log"))
    codec = Codec(catalogue.TOUCHPOINT)
    try:
        warm_up(settings, procs, codec)
        probes: dict[str, float] = {}
        stop_flag = threading.Event()
        results: dict[str, list[float]] = {"redis": [], "clickhouse": []}
        watchers = [
            threading.Thread(target=watch, args=(settings, probes, out, stop_flag, sink))
            for sink, out in results.items()
        ]
        for watcher in watchers:
            watcher.start()
        lookups = start_lookups(settings, rps, max(1, seconds - 4)) if rps else None
        offered_load(settings, values, rate, seconds, probes, codec)
        out, _ = lookups.communicate(timeout=120) if lookups else (b"", None)
        time.sleep(5)
        stop_flag.set()
        for watcher in watchers:
            watcher.join()
        return results, json.loads(out or b"{}")
    finally:
        stop(procs)
        discard(settings)


def start_lookups(settings: Settings, rps: int, seconds: float) -> Any:
    client = redis.Redis.from_url(settings.redis_url)
    keys = [k.decode() for k in client.scan_iter(f"{settings.redis_prefix}:prof:*", count=1000)]
    pids = [k.split("{", 1)[1].rstrip("}") for k in keys][:200]
    profiles.wait_http(f"http://127.0.0.1:{API_PORT}")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.lookup",
            "--url",
            f"http://127.0.0.1:{API_PORT}",
            "--rps",
            str(rps),
            "--seconds",
            str(seconds),
            "--pids",
            ",".join(pids),
        ],
        stdout=subprocess.PIPE,
    )


def offered_load(
    settings: Settings,
    values: list[bytes],
    rate: int,
    seconds: int,
    probes: dict[str, float],
    codec: Codec,
) -> None:
    producer = kafka.producer(settings, **{"linger.ms": 5})
    name = kafka.topic(settings, topics.TOUCHPOINTS)
    tick, per_tick = 0.05, max(1, rate // 20)
    start, sent = time.monotonic(), 0
    for k in range(int(seconds / tick)):
        for value in values[sent : sent + per_tick]:
            producer.produce(name, value, str(sent % 4093).encode())
            sent += 1
        tag = uuid.uuid4().hex[:10]
        producer.produce(name, codec.encode(probe_event(tag, int(time.time() * 1000))))
        probes[tag] = time.monotonic()
        producer.poll(0)
        time.sleep(max(0.0, start + (k + 1) * tick - time.monotonic()))
    producer.flush(60)


def watch(
    settings: Settings,
    probes: dict[str, float],
    out: list[float],
    stop_flag: threading.Event,
    sink: str,
) -> None:
    """Polls every open probe until it is visible in ``sink`` (redis or clickhouse); gives up
    30 s after the load stopped. One thread per sink: a ClickHouse query taking tens of ms
    must not delay seeing a probe in Redis."""
    if sink == "redis":
        r, keys = redis.Redis.from_url(settings.redis_url), Keys(settings.redis_prefix)

        def check(open_tags: set[str], started: dict[str, float]) -> None:
            seen_redis(r, keys, open_tags, out, started)

    else:
        ch = Client(**settings.clickhouse_kwargs)  # type: ignore[arg-type]

        def check(open_tags: set[str], started: dict[str, float]) -> None:
            seen_clickhouse(ch, settings, open_tags, out, started)

    done: set[str] = set()
    give_up = float("inf")
    polls = 0
    while time.monotonic() < give_up:
        if stop_flag.is_set() and give_up == float("inf"):
            give_up = time.monotonic() + 30
        started = dict(probes)  # in the order the probes were sent
        open_tags = [t for t in started if t not in done]
        if stop_flag.is_set() and not open_tags:
            break
        polls += 1
        if sink == "redis":
            open_tags = profiles.probes_to_ask(open_tags, polls)
        asked = set(open_tags)
        check(asked, started)
        done.update(t for t in open_tags if t not in asked)
        time.sleep(POLL_SECONDS[sink])


def seen_redis(
    r: redis.Redis, keys: Keys, open_tags: set[str], out: list[float], started: dict[str, float]
) -> None:
    tags = list(open_tags)
    if not tags:
        return
    pipe = r.pipeline(transaction=False)
    for tag in tags:
        pipe.get(keys.ident("email", f"probe-{tag}@bench.example"))
    pids = pipe.execute()
    pipe = r.pipeline(transaction=False)
    for pid in pids:
        pipe.exists(keys.profile(pid.decode()) if pid else "-")
    for tag, exists in zip(tags, pipe.execute(), strict=True):
        if exists:
            out.append(time.monotonic() - started[tag])
            open_tags.discard(tag)


def seen_clickhouse(
    ch: Client, settings: Settings, open_tags: set[str], out: list[float], started: dict[str, float]
) -> None:
    if not open_tags:
        return
    ids = [f"probe-{t}" for t in open_tags]
    rows = ch.execute(
        f"SELECT event_id FROM {settings.clickhouse_database}.events "
        "WHERE event_type = %(type)s AND event_date >= yesterday() AND event_id IN %(ids)s",
        {"type": PROBE_TYPE, "ids": tuple(ids)},
    )
    now = time.monotonic()
    for (event_id,) in rows:
        tag = event_id[len("probe-") :]
        if tag in open_tags:
            out.append(now - started[tag])
            open_tags.discard(tag)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--rate", type=int, default=5000, help="offered load for freshness")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument(
        "--rps",
        type=int,
        default=2000,
        help="profile lookups per second during the freshness runs (0: none, the pipeline alone)",
    )
    parser.add_argument(
        "--low-rate",
        type=int,
        default=1000,
        help="a second, lower offered load for freshness below saturation",
    )
    args = parser.parse_args()
    base = load_settings()
    workdir = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    for sub in ("t1", "t2", "f"):
        (workdir / sub).mkdir()
    generated = generate_touchpoints(args.customers, args.days, 11, int(time.time() * 1000))
    codec = Codec(catalogue.TOUCHPOINT)
    values = [codec.encode(tp) for tp in generated.touchpoints]
    print(f"{len(values):,} touchpoints from {args.customers:,} customers x {args.days} days")
    one = throughput(base, values, 1, workdir)
    print(f"end to end, 1 worker each:  {one:,.0f} events/s (publish -> Redis and ClickHouse)")
    two = throughput(base, values, 2, workdir)
    print(f"end to end, 2 workers each: {two:,.0f} events/s ({two / one:.2f}x)")
    noop_settings = fresh(base, "n")
    try:
        produce_all(noop_settings, values)
        noop = ceiling(noop_settings, len(values), workdir)
    finally:
        discard(noop_settings)
    print(f"faust no-op ceiling: {noop:,.0f} events/s; end to end = {one / noop:.0%} of it")
    for rate in (args.rate, args.low_rate):
        fr, lookups = freshness(base, values, rate, args.seconds, args.rps, workdir)
        for sink, lat in fr.items():
            print(
                f"freshness at {rate:,}/s offered, publish -> {sink}: "
                f"p50 {pct(lat, 50):,.0f} ms, p99 {pct(lat, 99):,.0f} ms ({len(lat)} probes)"
            )
        if not args.rps:
            continue
        print(
            f"profile lookups at {args.rps:,}/s during that ingestion: "
            f"p50 {lookups.get('p50_ms', float('nan')):.1f} ms, "
            f"p99 {lookups.get('p99_ms', float('nan')):.1f} ms "
            f"({lookups.get('n', 0)} requests, {lookups.get('errors', 0)} errors)"
        )
    print(f"logs: {workdir}")


if __name__ == "__main__":
    main()
