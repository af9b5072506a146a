"""`cdp run all` on the embedded stack: touchpoints in, profiles in Redis and rows in ClickHouse
out; Ctrl-C (SIGINT) stops every child cleanly with offsets committed (lag 0), and a restart
processes nothing twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from clickhouse_driver import Client

from cdp.commands.init import run_init
from connectors.producer import TouchpointProducer
from core.lag import all_lags
from core.settings import Settings, to_env

ROOT = Path(__file__).resolve().parents[2]
KEY = "test-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def touchpoints(n: int) -> list[dict[str, object]]:
    now = int(time.time() * 1000)
    return [
        {
            "event_id": f"run-all-{k}", "event_type": "order_placed", "source_system": "orders",
            "event_time": now - k * 1000, "received_time": now, "amount": 10.0,
            "identifiers": [{"type": "email", "value": f"c{k % 7}@web.de"}],
        }
        for k in range(n)
    ]  # fmt: skip


def wait_until(check, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError("timed out")


def caught_up(settings: Settings) -> bool:
    lags = all_lags(settings)
    return all(lag.lag == 0 for lag in lags) and any(lag.end for lag in lags)


def rows(settings: Settings) -> int:
    ch = Client(**settings.clickhouse_kwargs)  # type: ignore[arg-type]
    db = settings.clickhouse_database
    return int(ch.execute(f"SELECT count() FROM {db}.events_current")[0][0])


def start(settings: Settings) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cdp", "run", "all"],
        cwd=ROOT,
        env={**os.environ, **to_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_run_all_processes_and_stops_cleanly(settings: Settings) -> None:
    settings = settings.model_copy(update={"api_port": free_port(), "api_keys": {KEY: ["read"]}})
    run_init(settings)
    with TouchpointProducer(settings) as producer:
        for tp in touchpoints(40):
            producer.send(tp)
    proc = start(settings)
    try:
        try:
            wait_until(lambda: caught_up(settings) and rows(settings) == 40)
        except AssertionError:
            raise AssertionError(f"lags {all_lags(settings)} rows {rows(settings)}") from None
        api = f"http://127.0.0.1:{settings.api_port}"
        wait_until(lambda: _ok(f"{api}/healthz"))
        profile = httpx.get(f"{api}/v1/profiles/email/c0@web.de", headers={"X-API-Key": KEY}).json()
        assert profile["orders"]["count"] == 6  # events 0, 7, 14, 21, 28, 35
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=90)
    assert proc.returncode == 0, out.decode()[-2000:]
    assert b"all services stopped" in out
    assert caught_up(settings)  # offsets were committed before the children exited
    restarted = start(settings)  # a restart replays nothing: no doubled rows
    try:
        time.sleep(8)
        assert restarted.poll() is None, "the restarted services exited"
        wait_until(lambda: caught_up(settings))
        assert rows(settings) == 40
    finally:
        restarted.send_signal(signal.SIGINT)
        restarted.communicate(timeout=90)


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
