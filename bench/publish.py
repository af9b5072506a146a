"""File import benchmark: generate a company, publish every file to Kafka, report events/s.

    cdp stack up
    .venv/bin/python -m bench.publish --customers 10000 --days 90 [--workers 2]

Uses the stack from settings (load_settings) under a fresh topic prefix, so runs do not mix.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from connectors.generator import write_company
from connectors.publish import infer_sources, publish_files
from core.clock import wall_clock_ms
from core.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    settings = load_settings(topic_prefix=f"bench{uuid.uuid4().hex[:6]}.")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.monotonic()
        summary = write_company(out, args.customers, args.days, args.seed, wall_clock_ms())
        print(f"generated {summary['rows']} rows in {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        reports = publish_files(
            infer_sources(out), settings, wall_clock_ms(), out / "rejects", workers=args.workers
        )
        seconds = time.monotonic() - started
    received = sum(r.received for r in reports)
    accepted = sum(r.accepted for r in reports)
    print(
        f"published {received} rows ({accepted} accepted, {received - accepted} rejected) "
        f"in {seconds:.1f}s: {received / seconds:,.0f} events/s "
        f"(workers={args.workers}, topic prefix {settings.topic_prefix})"
    )
    print(
        f"command: python -m bench.publish --customers {args.customers} --days {args.days} "
        f"--workers {args.workers}"
    )


if __name__ == "__main__":
    main()
