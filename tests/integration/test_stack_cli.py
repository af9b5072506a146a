"""`cdp stack up|status|down` as a user runs them, against a state dir of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SERVICES = ("kafka", "redis", "clickhouse")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CDP_")}
    ports = {
        name: str(_free_port()) for name in ("KAFKA", "REDIS", "CLICKHOUSE", "CLICKHOUSE_HTTP")
    }
    return {
        **clean,
        "CDP_STATE_DIR": str(tmp_path / "state"),
        **{f"CDP_STACK_{name}_PORT": port for name, port in ports.items()},
    }


def cdp(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cdp", "stack", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def pids(env: dict[str, str]) -> list[int]:
    run = Path(env["CDP_STATE_DIR"]) / "stack" / "run"
    return [int((run / f"{name}.pid").read_text()) for name in SERVICES]


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@pytest.fixture
def stopped_after(env: dict[str, str]) -> Iterator[None]:
    yield
    cdp(env, "down")


def up_and_check(env: dict[str, str]) -> list[int]:
    up = cdp(env, "up")
    assert up.returncode == 0, up.stderr
    assert f"CDP_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:{env['CDP_STACK_KAFKA_PORT']}" in up.stdout
    env_file = Path(env["CDP_STATE_DIR"]) / "stack.env"
    assert (
        f"CDP_REDIS_URL=redis://127.0.0.1:{env['CDP_STACK_REDIS_PORT']}/0" in env_file.read_text()
    )
    status = cdp(env, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.count(" up ") == len(SERVICES)
    started = pids(env)
    assert all(alive(pid) for pid in started)
    return started


def down_and_check(env: dict[str, str], started: list[int]) -> None:
    down = cdp(env, "down")
    assert down.returncode == 0, down.stderr
    assert not any(alive(pid) for pid in started)
    assert not list((Path(env["CDP_STATE_DIR"]) / "stack" / "run").glob("*.pid"))
    status = cdp(env, "status")
    assert status.returncode != 0


def test_up_status_down_up_down(env: dict[str, str], stopped_after: None):
    first = up_and_check(env)
    again = cdp(env, "up")  # idempotent: same processes
    assert again.returncode == 0 and pids(env) == first
    down_and_check(env, first)
    down_and_check(env, up_and_check(env))


def test_broken_start_is_one_line_with_log_path(env: dict[str, str], stopped_after: None):
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", int(env["CDP_STACK_REDIS_PORT"])))
        busy.listen()
        result = cdp(env, "up")
    log = Path(env["CDP_STATE_DIR"]) / "stack" / "logs" / "redis.log"
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "redis" in lines[0] and str(log) in lines[0]
    assert not list((Path(env["CDP_STATE_DIR"]) / "stack" / "run").glob("*.pid"))
