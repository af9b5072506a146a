"""bench.scratch.discard on the embedded stack: a bench run's Redis keys, ClickHouse database and
topics go; another run's (and anything not under a bench prefix) stay."""

from __future__ import annotations

import redis
from clickhouse_driver import Client
from confluent_kafka.admin import AdminClient  # type: ignore[attr-defined]

from bench.scratch import discard
from core import kafka
from core.settings import Settings
from sinks.history.migrate import migrate


def scratch(settings: Settings, tag: str) -> Settings:
    run = f"bench{settings.redis_prefix}{tag}"
    return settings.model_copy(
        update={"topic_prefix": f"{run}.", "redis_prefix": run, "clickhouse_database": f"{run}_db"}
    )


def fill(s: Settings, keys: int) -> None:
    kafka.create_topics(s)
    r = redis.Redis.from_url(s.redis_url)
    r.mset({f"{s.redis_prefix}:k:{i}": b"v" for i in range(keys)})
    migrate(Client(**s.clickhouse_kwargs), s.clickhouse_database)  # type: ignore[arg-type]


def present(s: Settings) -> tuple[int, bool, int]:
    r = redis.Redis.from_url(s.redis_url)
    n_keys = sum(1 for _ in r.scan_iter(f"{s.redis_prefix}:*", count=5000))
    client = Client(**s.clickhouse_kwargs)  # type: ignore[arg-type]
    has_db = s.clickhouse_database in {d for (d,) in client.execute("SHOW DATABASES")}
    admin = AdminClient({"bootstrap.servers": s.kafka_bootstrap_servers})
    n_topics = sum(1 for t in admin.list_topics(timeout=10).topics if t.startswith(s.topic_prefix))
    return n_keys, has_db, n_topics


def test_discard_removes_one_run_and_nothing_else(settings: Settings) -> None:
    gone, kept = scratch(settings, "a"), scratch(settings, "b")
    fill(gone, 12_000)  # more than one UNLINK batch
    fill(kept, 10)
    fill(settings, 10)  # not a bench prefix: the tests' own
    topic_count = present(kept)[2]
    assert present(gone) == (12_000, True, topic_count) and topic_count > 0

    discard(gone)

    assert present(gone) == (0, False, 0)
    assert present(kept) == (10, True, topic_count)
    assert present(settings) == (10, True, topic_count)
    discard(kept)
    discard(settings)  # refuses: not a bench prefix
    assert present(settings) == (10, True, topic_count)
    Client(**settings.clickhouse_kwargs).execute(  # type: ignore[arg-type]
        f"DROP DATABASE IF EXISTS {settings.clickhouse_database}"
    )
    redis.Redis.from_url(settings.redis_url).unlink(
        *(f"{settings.redis_prefix}:k:{i}" for i in range(10))
    )
