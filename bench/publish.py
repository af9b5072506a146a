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
from collections import Counter
from pathlib import Path
from typing import Any

from bench.scratch import discard
from connectors.generator import write_company
from connectors.publish import infer_sources, publish_files
from core import kafka, topics
from core.clock import wall_clock_ms
from core.lag import log_ends
from core.settings import Settings, load_settings


def reconcile(
    settings: Any, summary: dict[str, Any], accepted: int, rejected: int, reports: list[Any]
) -> None:
    """Counts on the topics against the import's summary and the generator's bad records."""
    on_topic = sum(log_ends(settings, kafka.topic(settings, topics.TOUCHPOINTS)).values())
    dead = sum(log_ends(settings, kafka.topic(settings, topics.DEAD_LETTERS)).values())
    by_reason: Counter[str] = Counter()
    for report in reports:
        by_reason.update(report.rejected)
    print(
        f"reconciliation: touchpoint topic {on_topic} == accepted {accepted}: "
        f"{on_topic == accepted}; dead-letter topic {dead} == rejected {rejected}: "
        f"{dead == rejected}; rejected by reason == generator's bad records by reason: "
        f"{dict(by_reason) == summary['bad_by_reason']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    settings = load_settings(topic_prefix=f"bench{uuid.uuid4().hex[:6]}.")
    try:
        run(args, settings)
    finally:
        discard(settings)


def run(args: argparse.Namespace, settings: Settings) -> None:
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
    reconcile(settings, summary, accepted, received - accepted, reports)
    print(
        f"command: python -m bench.publish --customers {args.customers} --days {args.days} "
        f"--workers {args.workers}"
    )


if __name__ == "__main__":
    main()
