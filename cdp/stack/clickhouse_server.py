"""clickhouse-server 18.16 (Debian package) with a config generated from the committed template."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path
from string import Template

from clickhouse_driver import Client

from cdp.stack.config import StackConfig
from cdp.stack.paths import StackPaths
from cdp.stack.ports import HOST
from cdp.stack.service import Ports, Service

NAME = "clickhouse"


def _template(name: str) -> str:
    return resources.files("cdp.stack").joinpath(name).read_text()


def render_config(paths: StackPaths, ports: Ports, data_dir: Path | None = None) -> str:
    """The server config; its tables live in ``data_dir`` (CDP_STACK_CLICKHOUSE_DATA_DIR), by
    default under the stack's own dir."""
    return Template(_template("clickhouse-config.xml")).substitute(
        log_dir=paths.log_file(NAME).parent,
        data_dir=data_dir or paths.data_dir(NAME) / "data",
        users_config=paths.data_dir(NAME) / "users.xml",
        tcp_port=ports[NAME],
        http_port=ports["clickhouse_http"],
    )


def _command(paths: StackPaths, ports: Ports, stack: StackConfig) -> list[str]:
    config_dir = paths.data_dir(NAME)
    (config_dir / "users.xml").write_text(_template("clickhouse-users.xml"))
    config = config_dir / "config.xml"
    data_dir = stack.clickhouse_data_dir
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
    config.write_text(render_config(paths, ports, data_dir))
    return [_binary(), f"--config-file={config}"]


def _binary() -> str:
    """clickhouse-server lives in /usr/sbin, which a non-root PATH may lack."""
    return shutil.which("clickhouse-server") or "/usr/sbin/clickhouse-server"


def check(ports: Ports) -> None:
    client = Client(HOST, port=ports[NAME], connect_timeout=2, send_receive_timeout=5)
    try:
        if client.execute("SELECT 1") != [(1,)]:
            raise RuntimeError("SELECT 1 returned something else")
    finally:
        client.disconnect()


def endpoint(ports: Ports) -> str:
    return f"{HOST}:{ports[NAME]} (http {ports['clickhouse_http']})"


SERVICE = Service(
    name=NAME,
    executables=("clickhouse",),
    default_ports={NAME: 9000, "clickhouse_http": 8123},
    prepare=_command,
    check=check,
    endpoint=endpoint,
    error_log="clickhouse-server.err.log",
)
