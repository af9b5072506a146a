"""`cdp run api` with CDP_API_WORKERS=2: both workers answer, /metrics adds up both, and SIGTERM
stops everything cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from core.settings import Settings, to_env
from tests.integration.profiles import helpers as h
from tests.unit.profiles.events import T0, resolved, tp

ROOT = Path(__file__).resolve().parents[3]
KEY = "k-read"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/metrics", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the API did not come up")


def test_two_workers_serve_count_together_and_stop_on_sigterm(settings: Settings) -> None:
    settings = settings.model_copy(
        update={"api_port": free_port(), "api_keys": {KEY: ["read"]}, "api_workers": 2}
    )
    h.fold(settings, [resolved(tp("order_placed", T0, amount=5.0), "pW")])
    env = {**os.environ, **to_env(settings)}
    proc = subprocess.Popen([sys.executable, "-m", "cdp", "run", "api"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{settings.api_port}"
    try:
        wait_up(url, proc)
        for _ in range(20):  # new connections, spread over both workers
            r = httpx.get(f"{url}/v1/profiles/pW", headers={"X-API-Key": KEY})
            assert r.status_code == 200 and r.json()["profile_id"] == "pW"
        assert httpx.get(f"{url}/v1/profiles/pW").status_code == 401
        text = httpx.get(f"{url}/metrics").text
        assert 'cdp_profile_read_seconds_count{route="by_id"} 20.0' in text
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
