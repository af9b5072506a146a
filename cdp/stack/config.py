"""The embedded stack's own knobs: every ``CDP_STACK_*`` environment variable, in one place.

A port left unset means "the default when free, else any free port"; a port that is set must be
free, or ``cdp stack up`` fails for that service.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "CDP_STACK_"


class StackConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    kafka_port: int | None = Field(default=None, description="Tansu broker port (default 9092)")
    redis_port: int | None = Field(default=None, description="redis-server port (default 6379)")
    clickhouse_port: int | None = Field(default=None, description="ClickHouse native port (9000)")
    clickhouse_http_port: int | None = Field(default=None, description="ClickHouse HTTP (8123)")
    clickhouse_data_dir: Path | None = Field(
        default=None,
        description="Where ClickHouse keeps its tables (default: under the state dir). Each "
        "insert and merge writes a part of ~2 files per column; on ext4 without a journal, as on "
        "the development VMs, creating them cost ~75-110 ms of kernel CPU per insert of the 50-"
        "column events table (docs/benchmarks.md); a tmpfs dir here (e.g. /dev/shm/cdp-clickhouse)"
        " avoids that for benchmarks, and loses the history at reboot",
    )
    start_timeout: float = Field(default=60.0, description="Seconds to wait for each service")

    def explicit_ports(self) -> dict[str, int]:
        """The ports that were set explicitly, keyed like ``Service.ports`` (e.g. 'kafka')."""
        ports = {
            "kafka": self.kafka_port,
            "redis": self.redis_port,
            "clickhouse": self.clickhouse_port,
            "clickhouse_http": self.clickhouse_http_port,
        }
        return {key: port for key, port in ports.items() if port is not None}


def env_name(port_key: str) -> str:
    """The variable that sets a port, e.g. 'clickhouse_http' -> CDP_STACK_CLICKHOUSE_HTTP_PORT."""
    return f"{ENV_PREFIX}{port_key.upper()}_PORT"
