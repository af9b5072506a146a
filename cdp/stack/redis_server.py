"""redis-server (Debian package): own dir and port, AOF on, foreground (we own the PID)."""

from __future__ import annotations

import redis

from cdp.stack.config import StackConfig
from cdp.stack.paths import StackPaths
from cdp.stack.ports import HOST
from cdp.stack.service import Ports, Service

NAME = "redis"

CONFIG = """\
bind {host}
port {port}
dir {data_dir}
daemonize no
logfile ""
appendonly yes
appendfsync everysec
save ""
"""


def url(ports: Ports) -> str:
    return f"redis://{HOST}:{ports[NAME]}/0"


def _command(paths: StackPaths, ports: Ports, _config: StackConfig) -> list[str]:
    data_dir = paths.data_dir(NAME)
    config = data_dir / "redis.conf"
    config.write_text(CONFIG.format(host=HOST, port=ports[NAME], data_dir=data_dir))
    return ["redis-server", str(config)]


def check(ports: Ports) -> None:
    client = redis.Redis.from_url(url(ports), socket_timeout=2, socket_connect_timeout=2)
    try:
        if not client.ping():
            raise RuntimeError("PING did not answer PONG")
    finally:
        client.close()


SERVICE = Service(
    name=NAME,
    executables=("redis-server",),
    default_ports={NAME: 6379},
    prepare=_command,
    check=check,
    endpoint=url,
)
