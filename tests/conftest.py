"""Shared fixtures.

``stack`` (session): the embedded stack, started once per session on free ports in a tmp dir, or
an external one when CDP_TEST_KAFKA / CDP_TEST_REDIS_URL / CDP_TEST_CLICKHOUSE_HOST(+_PORT) are set.
``settings`` (per test): core Settings pointing at it, with this test's own topic prefix, Redis key
prefix and ClickHouse database name (the database is not created here).
Unit tests never request ``stack``, so they never start a server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from cdp.stack import CONSUMER_DEFAULTS, Endpoints, Stack, StackConfig
from core.settings import Settings


class ExternalStack(BaseSettings):
    """CDP_TEST_* variables: run the integration tests against services that already run."""

    model_config = SettingsConfigDict(env_prefix="CDP_TEST_", frozen=True, extra="ignore")

    kafka: str | None = Field(default=None, description="bootstrap servers")
    redis_url: str | None = None
    clickhouse_host: str | None = None
    clickhouse_port: int = 9000
    clickhouse_http_port: int = 8123

    def endpoints(self) -> Endpoints | None:
        if not (self.kafka and self.redis_url and self.clickhouse_host):
            return None
        return Endpoints(
            self.kafka,
            self.redis_url,
            self.clickhouse_host,
            self.clickhouse_port,
            self.clickhouse_http_port,
        )


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoints]:
    external = ExternalStack().endpoints()
    if external is not None:
        yield external
        return
    config = StackConfig(
        kafka_port=None, redis_port=None, clickhouse_port=None, clickhouse_http_port=None
    )
    embedded = Stack(tmp_path_factory.mktemp("stack"), config, prefer_default_ports=False)
    try:
        yield embedded.up()
    finally:
        embedded.down()


@pytest.fixture
def settings(stack: Endpoints, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    uid = uuid.uuid4().hex[:8]
    return Settings(
        state_dir=tmp_path_factory.mktemp("state"),
        topic_prefix=f"t{uid}.",
        redis_prefix=f"t{uid}",
        clickhouse_database=f"cdp_t{uid}",
        **stack.settings_overrides(),  # type: ignore[arg-type]
    )


@pytest.fixture
def consumer_config(settings: Settings) -> dict[str, object]:
    """confluent-kafka consumer config for tests: own group, session.timeout.ms 6000."""
    return {
        "bootstrap.servers": settings.kafka_bootstrap_servers,
        "group.id": f"{settings.topic_prefix}group",
        **CONSUMER_DEFAULTS,
    }
