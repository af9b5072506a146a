"""What the stack needs to know about one server: how to start it and how to ask if it is up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cdp.stack.config import StackConfig
from cdp.stack.paths import StackPaths

Ports = dict[str, int]


@dataclass(frozen=True)
class Service:
    name: str
    executables: tuple[str, ...]  # accepted basenames (prefixes) in /proc/PID/cmdline
    default_ports: Ports  # port key -> default, e.g. {"clickhouse": 9000, "clickhouse_http": 8123}
    # writes config files (from the stack config where it matters), returns the command
    prepare: Callable[[StackPaths, Ports, StackConfig], list[str]]
    check: Callable[[Ports], None]  # raises when the service does not answer properly
    endpoint: Callable[[Ports], str]  # human-readable address for up/status
    error_log: str | None = None  # a file in the logs dir with the server's own errors
