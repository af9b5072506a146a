"""A faust worker with one threaded batch agent that writes down every offset it handled, for
test_batch_agent.py. Env: the CDP_* settings, TEST_OUT (file to append "partition offset" lines
to), TEST_FAIL_AT (an offset: the batch holding it raises; -1 for none) and TEST_SLEEP (seconds
each batch takes, 0.05 unless set)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from core import kafka, topics
from core.settings import load_settings
from streams.common.faust_app import batch_agent, make_app, raw_topic, run_worker
from streams.common.messages import RawMessage

GROUP = "test-batch-agent"


def main() -> None:
    settings = load_settings()
    out = Path(os.environ["TEST_OUT"])
    fail_at = int(os.environ.get("TEST_FAIL_AT", "-1"))
    pause = float(os.environ.get("TEST_SLEEP", "0.05"))

    def handle(batch: list[RawMessage]) -> None:
        time.sleep(pause)  # slow enough that faust takes the next batch meanwhile
        if any(m.offset == fail_at for m in batch):
            time.sleep(4)  # longer than faust's commit interval: an early ack would be committed
            raise RuntimeError("failing on purpose")
        with out.open("a") as f:
            f.write("".join(f"{m.partition} {m.offset}\n" for m in batch))

    app = make_app(settings, GROUP)
    source = raw_topic(app, kafka.topic(settings, topics.TOUCHPOINTS))
    batch_agent(app, source, settings, "handled", handle)
    run_worker(app)


if __name__ == "__main__":
    main()
