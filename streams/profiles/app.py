"""The faust worker of the profiles stage: two batch loops, chained here and nowhere else.

RESOLVED          --batch_agent(batch_size, within batch_seconds)--> Processor.resolved_batch
IDENTITY_CHANGES  --batch_agent(batch_size, within batch_seconds)--> Processor.changes_batch
"""

from __future__ import annotations

from typing import Any

import faust
from redis.asyncio import Redis

from core import kafka, topics
from core.keys import Keys
from core.settings import Settings
from streams.common.faust_app import batch_agent, make_app, raw_topic, run_worker
from streams.common.messages import RawMessage
from streams.profiles.store import ProfileStore
from streams.profiles.worker import Processor


def create_app(settings: Settings) -> faust.App:
    app = make_app(settings, topics.GROUP_PROFILES)
    holder: dict[str, Processor] = {}

    def processor() -> Processor:
        """Built on first use, inside the worker's event loop (redis.asyncio binds to it)."""
        if "p" not in holder:
            redis = Redis.from_url(settings.redis_url)
            store = ProfileStore(redis, Keys(settings.redis_prefix))
            holder["p"] = Processor(settings, store, kafka.producer(settings))
        return holder["p"]

    def fold(batch: list[RawMessage]) -> Any:
        return processor().resolved_batch(batch)

    def merge(batch: list[RawMessage]) -> Any:
        return processor().changes_batch(batch)

    resolved = raw_topic(app, kafka.topic(settings, topics.RESOLVED))
    changes = raw_topic(app, kafka.topic(settings, topics.IDENTITY_CHANGES))
    batch_agent(app, resolved, settings, "fold_profiles", fold, in_thread=False)
    batch_agent(app, changes, settings, "merge_profiles", merge, in_thread=False)
    return app


def run(settings: Settings) -> None:
    run_worker(create_app(settings))
