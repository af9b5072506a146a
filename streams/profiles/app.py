"""The faust worker of the profiles stage: two agents, chained here and nowhere else.

RESOLVED          --take(batch_size, within=batch_seconds)--> Processor.resolved_batch
IDENTITY_CHANGES  --take(batch_size, within=batch_seconds)--> Processor.changes_batch
"""

from __future__ import annotations

from typing import Any

import faust
from redis.asyncio import Redis

from core import kafka, topics
from core.keys import Keys
from core.settings import Settings
from streams.common.fetch_wait import set_fetch_wait
from streams.profiles.store import ProfileStore
from streams.profiles.worker import Message, Processor


def create_app(settings: Settings) -> faust.App:
    set_fetch_wait(settings.kafka_fetch_wait_ms)
    app_id = f"{settings.topic_prefix}{topics.GROUP_PROFILES}"
    datadir = settings.state_dir / "faust" / app_id
    datadir.parent.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        app_id,
        broker=[f"kafka://{s}" for s in settings.kafka_bootstrap_servers.split(",")],
        value_serializer="raw",
        key_serializer="raw",
        web_enabled=False,
        store="memory://",
        datadir=str(datadir),
        broker_session_timeout=6.0,
        broker_heartbeat_interval=1.0,
        consumer_auto_offset_reset="earliest",
        topic_disable_leader=True,
        topic_allow_declare=False,
        topic_partitions=settings.topic_partitions,
    )
    holder: dict[str, Processor] = {}

    def processor() -> Processor:
        if "p" not in holder:
            redis = Redis.from_url(settings.redis_url)
            holder["p"] = Processor(
                settings, ProfileStore(redis, Keys(settings.redis_prefix)), kafka.producer(settings)
            )
        return holder["p"]

    resolved = app.topic(kafka.topic(settings, topics.RESOLVED))
    changes = app.topic(kafka.topic(settings, topics.IDENTITY_CHANGES))

    @app.agent(resolved)
    async def fold_profiles(stream: Any) -> None:
        async for events in stream.take_events(settings.batch_size, within=settings.batch_seconds):
            await processor().resolved_batch([_message(e) for e in events])

    @app.agent(changes)
    async def merge_profiles(stream: Any) -> None:
        async for events in stream.take_events(settings.batch_size, within=settings.batch_seconds):
            await processor().changes_batch([_message(e) for e in events])

    return app


def _message(event: Any) -> Message:
    m = event.message
    return Message(m.value, m.topic, m.partition, m.offset)


def run(settings: Settings) -> None:
    from faust.worker import Worker

    app = create_app(settings)
    Worker(app, loglevel="WARNING").execute_from_commandline()
