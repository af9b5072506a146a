"""Profiles benchmark (run once; numbers on a shared 2-core machine are noisy).

1. in-process fold and bytes per profile: a generated company folded into Redis by the worker's
   Processor (no Kafka, no faust), then replayed; events/s of both, and MEMORY USAGE of every
   profile key. `--fold-only` runs just this phase (about a minute): the before/after figure
   for changes to the worker's own per-event cost.
2. publish-to-visible: resolved touchpoints offered at --rate events/s to Kafka while the profile
   worker (a subprocess, as `cdp run profiles`) runs; every 50th event is a probe for a fresh
   profile id, polled in Redis every ~2 ms; latency = visible - produced.
3. GET profile p99 at --rps requests/s (open loop, aiohttp on 127.0.0.1) against the API
   (a uvicorn subprocess), while phase 2's ingestion keeps running.

    cdp stack up
    .venv/bin/python -m bench.profiles --customers 1000 --days 180 --rate 5000 --rps 2000
    .venv/bin/python -m bench.profiles --customers 1000 --days 180 --fold-only
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import redis

from bench import lookup
from bench.identity import stop
from bench.scratch import discard
from core import kafka, topics
from core.keys import Keys
from core.settings import Settings, load_settings, to_env
from schemas import catalogue
from schemas.serde import Codec
from streams.profiles.store import ProfileStore, split
from streams.profiles.worker import Message, Processor

END_MS = 1_735_689_600_000
API_KEY = lookup.API_KEY
pct = lookup.pct


def env_for(settings: Settings) -> dict[str, str]:
    return {**os.environ, **to_env(settings)}


def company(customers: int, days: int) -> list[dict[str, Any]]:
    from connectors.generator import generate_touchpoints

    return generate_touchpoints(customers, days, 11, END_MS).resolved_by_truth(END_MS)


async def fold_batches(proc: Processor, msgs: list[Message], size: int) -> dict[str, int]:
    totals: dict[str, int] = {}
    for i in range(0, len(msgs), size):
        for k, v in (await proc.resolved_batch(msgs[i : i + size])).items():
            totals[k] = totals.get(k, 0) + v
    return totals


def fold_in_process(settings: Settings, customers: int, days: int) -> list[str]:
    """The worker's fold without Kafka or faust: Processor.resolved_batch on batches of
    settings.batch_size encoded messages against the real Redis; then the same events again
    (a replay: every one a duplicate). Prints events/s of both passes, the Avro decode alone
    (the floor no fold change moves) and MEMORY USAGE per profile key."""
    from redis.asyncio import Redis

    events = company(customers, days)
    codec = Codec(catalogue.RESOLVED)
    msgs = [Message(codec.encode(e), "b") for e in events]
    pids, n = sorted({e["profile_id"] for e in events}), len(events)
    del events  # a worker's heap holds no generated company: keep the GC's work like a worker's
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    for m in msgs:
        codec.decode(m.value)
    decode_s = time.perf_counter() - start

    async def go() -> tuple[float, float, float, dict[str, int]]:
        r = Redis.from_url(settings.redis_url)
        proc = Processor(
            settings,
            ProfileStore(r, Keys(settings.redis_prefix)),
            kafka.producer(settings),
        )
        t0, c0 = time.perf_counter(), time.process_time()
        out = await fold_batches(proc, msgs, settings.batch_size)
        t1, c1 = time.perf_counter(), time.process_time()
        await fold_batches(proc, msgs, settings.batch_size)
        t2 = time.perf_counter()
        await r.aclose()
        return t1 - t0, c1 - c0, t2 - t1, out

    fold_s, fold_cpu, replay_s, outcomes = asyncio.run(go())
    gc.unfreeze()
    client, k = redis.Redis.from_url(settings.redis_url), Keys(settings.redis_prefix)
    sizes = [client.memory_usage(k.profile(p)) or 0 for p in pids]
    print(
        f"[fold] {n} events, {len(pids)} profiles, batches of {settings.batch_size}: "
        f"{n / fold_s:,.0f} events/s in-process ({fold_s * 1e6 / n:.1f} us/event, of which "
        f"{fold_cpu * 1e6 / n:.1f} us CPU in this process); "
        f"replay {n / replay_s:,.0f} events/s; Avro decode alone {n / decode_s:,.0f}/s "
        f"({decode_s * 1e6 / n:.1f} us/event); outcomes {dict(sorted(outcomes.items()))}"
    )
    print(
        f"[bytes] MEMORY USAGE per profile: median {statistics.median(sizes):.0f} B, "
        f"p99 {pct(sizes, 0.99):.0f} B, max {max(sizes)} B"
    )
    return pids


class Ingest(threading.Thread):
    """Offers resolved touchpoints at a fixed rate; every 50th is a probe for a fresh profile."""

    def __init__(self, settings: Settings, rate: int, seconds: float, pids: list[str]) -> None:
        super().__init__(daemon=True)
        self.settings, self.rate, self.seconds, self.pids = settings, rate, seconds, pids
        self.probes: dict[str, float] = {}
        self.sent = 0

    def run(self) -> None:
        codec = Codec(catalogue.RESOLVED)
        producer = kafka.producer(self.settings, **{"linger.ms": 1})
        name = kafka.topic(self.settings, topics.RESOLVED)
        start = time.perf_counter()
        while (now := time.perf_counter() - start) < self.seconds:
            due = int(now * self.rate)
            while self.sent < due:
                i = self.sent
                probe = i % 50 == 0
                pid = f"probe-{i}" if probe else self.pids[i % len(self.pids)]
                tp = {
                    "event_id": uuid.uuid4().hex,
                    "event_type": "page_view",
                    "source_system": "web",
                    "event_time": END_MS + i,
                    "received_time": END_MS,
                    "identifiers": [{"type": "cookie_id", "value": f"c{i}"}],
                    "relations": [],
                    "attributes": {},
                    "extras": {},
                    "page": "/p",
                }
                producer.produce(
                    name,
                    codec.encode(
                        {
                            "touchpoint": tp,
                            "profile_id": pid,
                            "household_id": None,
                            "resolved_time": END_MS,
                        }
                    ),
                    key=pid.encode(),
                )
                if probe:
                    self.probes[pid] = time.perf_counter()
                self.sent += 1
            producer.poll(0)
            time.sleep(0.001)
        producer.flush(30)


OLDEST_PER_POLL, SWEEP_EVERY = 32, 10


def probes_to_ask(open_oldest_first: list[str], poll: int) -> list[str]:
    """Which open probes a watcher's ``poll``-th poll asks Redis about: the oldest few, and every
    SWEEP_EVERY-th poll all of them. Asking for all at every poll (every 2-5 ms) is 200,000-
    250,000 lookups/s once 500 probes are open (the workers behind), CPU taken from the workers
    measured just when they are short of it. A probe seen before older ones is timed up to
    SWEEP_EVERY polls late."""
    if poll % SWEEP_EVERY == 0:
        return open_oldest_first
    return open_oldest_first[:OLDEST_PER_POLL]


def watch_probes(settings: Settings, ingest: Ingest, until: float) -> list[float]:
    client, k = redis.Redis.from_url(settings.redis_url), Keys(settings.redis_prefix)
    seen: dict[str, float] = {}
    polls = 0
    while time.perf_counter() < until:
        pending = [p for p in list(ingest.probes) if p not in seen]  # oldest first
        if pending:
            polls += 1
            pending = probes_to_ask(pending, polls)
            now = time.perf_counter()
            for p, v in zip(pending, client.mget([k.profile(p) for p in pending]), strict=True):
                if v is not None:
                    seen[p] = now
        time.sleep(0.002)
    return [(seen[p] - ingest.probes[p]) * 1000 for p in seen]


def wait_http(url: str, timeout: float = 30.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("API did not come up")


def lookup_ids(settings: Settings, pids: list[str]) -> list[str]:
    """What the GET load cycles through: every profile by id and by an identifier. The fold
    writes no identity graph, so this writes what the identity worker would have: one
    ``cookie_id`` index key per profile, its household in the profile's graph metadata and
    the household's member set."""
    client, k = redis.Redis.from_url(settings.redis_url), Keys(settings.redis_prefix)
    pipe = client.pipeline(transaction=False)
    for p, raw in zip(pids, client.mget([k.profile(p) for p in pids]), strict=True):
        pipe.set(k.ident("cookie_id", f"bench-{p}"), p)
        hh = split(raw)[1].get("hh")
        if hh:
            pipe.hset(k.meta(p), "hh", hh[0])
            pipe.sadd(k.household(hh[0]), p)
    pipe.execute()
    return [x for p in pids for x in (p, f"cookie_id/bench-{p}")]


def start_api(settings: Settings, src: str, workers: int | None) -> subprocess.Popen[bytes]:
    """The API as `cdp run api` starts it, from the checkout ``src`` (another checkout gives a
    before/after in one run), with ``CDP_API_WORKERS`` when ``workers`` is set."""
    env = env_for(settings)
    if workers is not None:
        env["CDP_API_WORKERS"] = str(workers)
    code = "import api; from core.settings import load_settings; api.main(load_settings())"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=src)
    wait_http(f"http://127.0.0.1:{settings.api_port}")
    return proc


def get_line(label: str, rps: int, during: str, out: dict[str, Any]) -> str:
    return (
        f"[get] {label}: {out.get('n', 0)} GET /v1/profiles/... at {rps}/s {during}: "
        f"p50 {out.get('p50_ms', float('nan')):.2f} ms, p99 {out.get('p99_ms', float('nan')):.2f}"
        f" ms, max {out.get('max_ms', float('nan')):.1f} ms, errors {out.get('errors')}, "
        f"client CPU {out.get('client_cpu')}, load average {os.getloadavg()[0]:.2f}"
    )


def under_ingestion(settings: Settings, args: argparse.Namespace, ids: list[str]) -> None:
    """Phases 2 and 3: the profile worker folds offered events while the GET load runs."""
    worker = subprocess.Popen([sys.executable, "-m", "streams.profiles"], env=env_for(settings))
    try:
        time.sleep(6)  # consumer group join
        for src in args.api_src:
            api = start_api(settings, src, args.api_workers)
            try:
                ingest_round(settings, args, ids, src)
            finally:
                stop([api])
    finally:
        stop([worker])


def ingest_round(settings: Settings, args: argparse.Namespace, ids: list[str], src: str) -> None:
    ingest = Ingest(settings, args.rate, args.seconds + 5, ids[::2])
    ingest.start()
    watcher: list[float] = []
    t = threading.Thread(
        target=lambda: watcher.extend(
            watch_probes(settings, ingest, time.perf_counter() + args.seconds + 8)
        ),
        daemon=True,
    )
    t.start()
    time.sleep(3)  # ingestion running
    url = f"http://127.0.0.1:{args.port}"
    out = lookup.result(lookup.spawn(url, args.rps, args.seconds, ids))
    ingest.join()
    t.join()
    print(get_line(src, args.rps, f"during {args.rate}/s ingestion", out))
    print(
        f"[visible] {ingest.sent} events offered at {args.rate}/s; {len(watcher)} of "
        f"{len(ingest.probes)} probes visible: p50 {pct(watcher, 0.5):.0f} ms, "
        f"p99 {pct(watcher, 0.99):.0f} ms"
    )


def lookups_alone(settings: Settings, args: argparse.Namespace, ids: list[str]) -> None:
    """GET load without ingestion, each API source in turn, ``--repeat`` rounds."""
    url = f"http://127.0.0.1:{args.port}"
    for _ in range(args.repeat):
        for src in args.api_src:
            api = start_api(settings, src, args.api_workers)
            try:
                time.sleep(2)  # every worker up (the first to answer may be alone)
                lookup.result(lookup.spawn(url, max(1, args.rps // 4), 3, ids))  # warm-up
                out = lookup.result(lookup.spawn(url, args.rps, args.seconds, ids))
                print(get_line(src, args.rps, "alone", out), flush=True)
            finally:
                stop([api])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--rate", type=int, default=5000)
    ap.add_argument("--rps", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument(
        "--fold-only", action="store_true", help="only the in-process fold and bytes (~1 min)"
    )
    ap.add_argument(
        "--lookup-only", action="store_true", help="the fold, then only the GET load (no ingestion)"
    )
    ap.add_argument(
        "--api-src",
        action="append",
        help="checkout to run the API from (repeat it for a before/after in one run; default .)",
    )
    ap.add_argument("--api-workers", type=int, help="CDP_API_WORKERS of the API (default: its own)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds of --lookup-only")
    args = ap.parse_args()
    args.api_src = args.api_src or [str(Path(__file__).resolve().parent.parent)]
    uid = uuid.uuid4().hex[:6]
    settings = load_settings(
        topic_prefix=f"bench{uid}.",
        redis_prefix=f"bench{uid}",
        api_port=args.port,
        api_keys={API_KEY: ["read"]},
    )
    try:
        if args.fold_only:
            fold_in_process(settings, args.customers, args.days)
            return
        if not args.lookup_only:
            kafka.create_topics(settings)
        ids = lookup_ids(settings, fold_in_process(settings, args.customers, args.days))
        if args.lookup_only:
            lookups_alone(settings, args, ids)
        else:
            under_ingestion(settings, args, ids)
    finally:
        discard(settings)


if __name__ == "__main__":
    main()
