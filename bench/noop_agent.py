"""A faust agent doing nothing but take(5000, within=0.5): the ceiling faust itself allows.

Run by bench/identity.py as a separate process; env BENCH_N (events to wait for) and BENCH_OUT
(JSON file written when they have all arrived: first/last batch time and counts). With
BENCH_AGENT=batch the agent is the processors' own plumbing instead
(streams.common.faust_app.batch_agent, settings.batch_size/batch_seconds, threaded handler) with
a handler that does nothing: what faust plus that plumbing allows before any identity work.
BENCH_AGENT=stock is the take agent on faust.App as shipped (with its Monitor sensor and its
per-message tasks, see streams/common/faust_app.py): the ceiling of faust out of the box."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from core import kafka, topics
from core.settings import load_settings
from streams.common.faust_app import batch_agent, make_app, raw_topic, run_worker
from streams.common.messages import RawMessage


def main() -> None:
    settings = load_settings()
    want, out = int(os.environ["BENCH_N"]), Path(os.environ["BENCH_OUT"])
    agent = os.environ.get("BENCH_AGENT", "take")
    # its own consumer group per agent; "stock": the take agent on faust.App as shipped
    app = make_app(settings, f"bench-noop-{agent}", stock=agent == "stock")
    source = raw_topic(app, kafka.topic(settings, topics.TOUCHPOINTS))
    batches: list[tuple[float, int]] = []

    if agent == "batch":

        def handle(batch: list[RawMessage]) -> None:
            batches.append((time.time(), len(batch)))
            if sum(n for _, n in batches) >= want and not out.exists():
                out.write_text(json.dumps({"batches": batches}))

        batch_agent(app, source, settings, "bench-noop", handle)
        run_worker(app)
        return

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
