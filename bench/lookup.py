"""Open-loop GET /v1/profiles/{id} load in its own process (so the client's CPU does not share
a GIL with whatever else the benchmark does); prints p50/p99 as JSON.

    python -m bench.lookup --url http://127.0.0.1:18081 --rps 2000 --seconds 15 --pids p1,p2
"""

from __future__ import annotations

import argparse
import asyncio
import json

from bench import profiles


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--rps", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--pids", required=True, help="comma-separated profile ids to look up")
    args = ap.parse_args()
    profiles.PIDS.extend(args.pids.split(","))
    latencies, errors = asyncio.run(profiles.load(args.url, args.rps, args.seconds))
    print(
        json.dumps(
            {
                "n": len(latencies),
                "errors": errors,
                "p50_ms": profiles.pct(latencies, 0.5),
                "p99_ms": profiles.pct(latencies, 0.99),
            }
        )
    )


if __name__ == "__main__":
    main()
