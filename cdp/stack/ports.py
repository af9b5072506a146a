"""Choosing TCP ports on 127.0.0.1: the default when free, otherwise any free port."""

from __future__ import annotations

import socket
from collections.abc import Callable

HOST = "127.0.0.1"


def is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def any_free(taken: set[int]) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            port = int(sock.getsockname()[1])
        if port not in taken:
            return port


def accepts(port: int, timeout: float = 0.5) -> bool:
    """True when something listens on the port."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def choose(
    key: str,
    default: int,
    taken: set[int],
    prefer_default: bool,
    notify: Callable[[str], None],
) -> int:
    """A port for ``key`` that is neither taken by this stack nor by anything else right now."""
    if prefer_default and default not in taken and is_free(default):
        return default
    port = any_free(taken)
    if prefer_default:
        notify(f"{key}: default port {default} is in use by another process, using {port}")
    return port
