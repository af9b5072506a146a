"""A faust agent doing nothing but take(5000, within=0.5): the ceiling faust itself allows.

Run by bench/identity.py as a separate process; env BENCH_N (events to wait for) and BENCH_OUT
(JSON file written when they have all arrived: first/last batch time and counts)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from core import kafka, topics
from core.settings import load_settings
from streams.common.faust_app import make_app, raw_topic, run_worker


def main() -> None:
    settings = load_settings()
    want, out = int(os.environ["BENCH_N"]), Path(os.environ["BENCH_OUT"])
    app = make_app(settings, "bench-noop")
    source = raw_topic(app, kafka.topic(settings, topics.TOUCHPOINTS))
    batches: list[tuple[float, int]] = []

    @app.agent(source)
    async def noop(stream: Any) -> None:
        seen = 0
        async for values in stream.take(5000, within=0.5):
            seen += len(values)
            batches.append((time.time(), len(values)))
            if seen >= want and not out.exists():
                out.write_text(json.dumps({"batches": batches}))

    run_worker(app)


if __name__ == "__main__":
    main()
