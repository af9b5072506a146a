"""Open-loop GET /v1/profiles/... load in its own process (so the client's CPU does not share
a GIL with whatever else the benchmark does); prints p50/p99 as JSON.

    python -m bench.lookup --url http://127.0.0.1:18081 --rps 2000 --seconds 15 --pids p1,p2

Each path in ``--pids`` is a profile id (``/v1/profiles/{id}``) or, with a slash, an identifier
``type/value`` (``/v1/profiles/{type}/{value}``); the load cycles through them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

API_KEY = "bench-key"


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def load(url: str, rps: int, seconds: float, ids: list[str]) -> tuple[list[float], int]:
    """``rps`` requests/s for ``seconds``, each sent when due whatever the answers (open loop)."""
    import aiohttp

    latencies: list[float] = []
    errors = 0
    conn = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=conn, headers={"X-API-Key": API_KEY}) as s:

        async def one(path: str) -> None:
            nonlocal errors
            t = time.perf_counter()
            try:
                async with s.get(url + path) as r:
                    await r.read()
                    if r.status != 200:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append((time.perf_counter() - t) * 1000)

        tasks, start, n = [], time.perf_counter(), 0
        paths = [f"/v1/profiles/{p}" for p in ids]
        while (now := time.perf_counter() - start) < seconds:
            while n < int(now * rps):
                tasks.append(asyncio.create_task(one(paths[n % len(paths)])))
                n += 1
            await asyncio.sleep(0.0005)
        await asyncio.gather(*tasks)
    return latencies, errors


def spawn(url: str, rps: int, seconds: float, ids: list[str]) -> subprocess.Popen[bytes]:
    """This module as a subprocess; read its answer with ``result``."""
    cmd = [sys.executable, "-m", "bench.lookup", "--url", url, "--rps", str(rps)]
    cmd += ["--seconds", str(seconds), "--pids", ",".join(ids)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE)


def result(proc: subprocess.Popen[bytes], timeout: float = 300.0) -> dict[str, Any]:
    out, _ = proc.communicate(timeout=timeout)
    return json.loads(out or b"{}")  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--rps", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--pids", required=True, help="comma-separated profile ids to look up")
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    latencies, errors = asyncio.run(load(args.url, args.rps, args.seconds, args.pids.split(",")))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        json.dumps(
            {
                "n": len(latencies),
                "errors": errors,
                "p50_ms": pct(latencies, 0.5),
                "p99_ms": pct(latencies, 0.99),
                "max_ms": max(latencies, default=float("nan")),
                "client_cpu": round(cpu / wall, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
