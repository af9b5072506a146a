"""One frozen, typed settings object per process.

Values come from, in order of precedence: explicit keyword arguments, ``CDP_*`` environment
variables, the endpoints file written by ``cdp stack up`` (``$CDP_STATE_DIR/stack.env``), defaults.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core import envnames

DEFAULT_STATE_DIR = ".cdp"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=envnames.PREFIX, frozen=True, extra="ignore")

    state_dir: Path = Field(default=Path(DEFAULT_STATE_DIR), description="Embedded stack state dir")
    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", description="Kafka brokers")
    schema_registry_url: str | None = Field(
        default=None, description="Confluent-API schema registry; unset = catalogue from schemas/"
    )
    topic_prefix: str = Field(default="", description="Prefix for every topic name (isolation)")
    topic_partitions: int = Field(default=4, description="Partitions of each topic at cdp init")
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", description="Redis URL")
    redis_prefix: str = Field(default="cdp", description="Prefix of every Redis key")
    clickhouse_host: str = Field(default="127.0.0.1", description="ClickHouse host")
    clickhouse_port: int = Field(default=9000, description="ClickHouse native TCP port")
    clickhouse_http_port: int = Field(default=8123, description="ClickHouse HTTP port")
    clickhouse_database: str = Field(default="cdp", description="ClickHouse database")
    clickhouse_user: str = Field(default="default", description="ClickHouse user")
    clickhouse_password: SecretStr = Field(default=SecretStr(""), description="ClickHouse password")
    api_host: str = Field(default="127.0.0.1", description="API bind address")
    api_port: int = Field(default=8080, description="API port")
    api_workers: int = Field(
        default=2, ge=1, description="API server processes (uvicorn workers) sharing the port"
    )
    api_keys: dict[str, list[str]] = Field(
        default_factory=dict,
        description='API keys and their scopes as JSON, e.g. {"k1": ["ingest", "read", "admin"]}',
    )
    default_region: str = Field(default="DE", description="Phone region for numbers without +CC")
    default_timezone: str = Field(default="Europe/Berlin", description="Customer time zone default")
    faust_web_port: int = Field(default=6066, description="First port for faust workers' web")
    kafka_fetch_wait_ms: int = Field(
        default=100,
        description="Max wait of a consumer's fetch (the embedded broker holds each "
        "fetch this long; Apache Kafka answers as soon as data arrives)",
    )
    batch_size: int = Field(default=5000, description="Events per processing batch")
    batch_seconds: float = Field(default=0.2, description="Max wait to fill a batch")
    dlq_max_ratio: float = Field(default=0.5, description="Stop if a batch's dead-letter ratio >")
    worker_nice: int = Field(
        default=5,
        ge=0,
        le=19,
        description="CPU priority offset (Unix nice) of the stream processors and the history "
        "sink: where they share cores with the API, lookups win the CPU and ingestion catches "
        "up after a burst; 0 = same priority as the API",
    )

    @property
    def clickhouse_kwargs(self) -> dict[str, object]:
        return {
            "host": self.clickhouse_host,
            "port": self.clickhouse_port,
            "user": self.clickhouse_user,
            "password": self.clickhouse_password.get_secret_value(),
        }


def lower_worker_priority(settings: Settings) -> None:
    """Raise this process's nice value by ``worker_nice`` (called once as a worker starts)."""
    if settings.worker_nice and hasattr(os, "nice"):
        os.nice(settings.worker_nice)


def to_env(settings: Settings) -> dict[str, str]:
    """The CDP_* variables that make a child process load these same settings (secrets left out:
    children read those from the real environment)."""
    env: dict[str, str] = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is None or isinstance(Settings.model_fields[name].default, SecretStr):
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        env[f"{envnames.PREFIX}{name.upper()}"] = text
    return env


def stack_env_file(state_dir: Path | None = None) -> Path:
    base = state_dir or Path(os.environ.get(envnames.STATE_DIR, DEFAULT_STATE_DIR))
    return base / envnames.STACK_ENV_FILE


def load_settings(**overrides: object) -> Settings:
    """Build the settings; the embedded stack's endpoints file is read when it exists."""
    env_file = stack_env_file()
    if env_file.exists():
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg, arg-type]
    return Settings(**overrides)  # type: ignore[arg-type]
