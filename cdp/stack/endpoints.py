"""The stack's endpoints and the ``stack.env`` file through which every other command finds them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cdp.stack import broker, redis_server
from cdp.stack.ports import HOST
from cdp.stack.service import Ports


@dataclass(frozen=True)
class Endpoints:
    kafka_bootstrap_servers: str
    redis_url: str
    clickhouse_host: str
    clickhouse_port: int
    clickhouse_http_port: int

    @classmethod
    def from_ports(cls, ports: Ports) -> Endpoints:
        return cls(
            kafka_bootstrap_servers=broker.bootstrap(ports),
            redis_url=redis_server.url(ports),
            clickhouse_host=HOST,
            clickhouse_port=ports["clickhouse"],
            clickhouse_http_port=ports["clickhouse_http"],
        )

    def settings_overrides(self) -> dict[str, object]:
        """Keyword arguments for core.settings.Settings (field name -> value)."""
        return {
            "kafka_bootstrap_servers": self.kafka_bootstrap_servers,
            "redis_url": self.redis_url,
            "clickhouse_host": self.clickhouse_host,
            "clickhouse_port": self.clickhouse_port,
            "clickhouse_http_port": self.clickhouse_http_port,
        }

    def env(self) -> dict[str, str]:
        """The same as CDP_* environment variables."""
        return {f"CDP_{key.upper()}": str(val) for key, val in self.settings_overrides().items()}


def write_env_file(path: Path, endpoints: Endpoints) -> None:
    lines = [f"{name}={value}" for name, value in endpoints.env().items()]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        "# written by `cdp stack up`; read by core.settings.load_settings\n"
        + "\n".join(lines)
        + "\n"
    )
    tmp.replace(path)
