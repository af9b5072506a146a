"""Profile merges against the real Redis: N merges of small profiles sent one per call
(``ProfileStore.merge``) and in batches (``merge_batch``, as the worker sends a changes batch).

    cdp stack up && set -a && . .cdp/stack.env && set +a
    python -m bench.merges --merges 1000 --batch 250 --rounds 3

Prints merges/s (wall) and client CPU per merge for each mode and round. Keys go under their
own prefixes and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from redis.asyncio import Redis

from core.keys import Keys
from core.settings import load_settings
from streams.profiles.store import ProfileStore, value


def change(survivor: str, merged: str, change_id: str) -> dict[str, Any]:
    return {
        "change_id": change_id,
        "kind": "merged",
        "profile_id": survivor,
        "from_profile_id": merged,
    }


async def one_round(r: Redis, prefix: str, n: int, batch: int | None) -> tuple[float, float]:
    keys = Keys(prefix)
    store = ProfileStore(r, keys)
    pipe = r.pipeline(transaction=False)
    for i in range(2 * n):
        pipe.set(keys.profile(f"p{i}"), value("0", {"o": {"n": 1, "s": 1.0}}))
    await pipe.execute()
    changes = [change(f"p{2 * i}", f"p{2 * i + 1}", f"c{i}") for i in range(n)]
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        if batch is None:
            out = [await store.merge(c) for c in changes]
        else:
            out = []
            for j in range(0, n, batch):
                out += await store.merge_batch(changes[j : j + batch])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if out.count("merged") != n:
            raise SystemExit(f"expected {n} merges, got {out.count('merged')}")
        return wall, cpu
    finally:
        async for key in r.scan_iter(f"{prefix}:*", count=1000):
            await r.delete(key)


async def run(args: argparse.Namespace) -> None:
    settings = load_settings()
    r = Redis.from_url(settings.redis_url)
    try:
        for k in range(args.rounds):
            for mode, batch in (("one per call", None), (f"batches of {args.batch}", args.batch)):
                prefix = f"{settings.redis_prefix}-bench-merges-{k}-{batch or 1}"
                wall, cpu = await one_round(r, prefix, args.merges, batch)
                print(
                    f"round {k + 1}, {mode}: {args.merges / wall:,.0f} merges/s, "
                    f"{cpu / args.merges * 1e6:.0f} us client CPU per merge"
                )
    finally:
        await r.aclose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--merges", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=250)
    ap.add_argument("--rounds", type=int, default=3)
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
