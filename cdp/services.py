"""The background `cdp run all` of the embedded stack: started by `cdp demo`, stopped by
`cdp stack down`. Its PID file lives in the state dir beside the stack's own."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PID_FILE = "services.pid"
LOG_FILE = "services.log"


def pid_file(state_dir: Path) -> Path:
    return state_dir / PID_FILE


def running_pid(state_dir: Path) -> int | None:
    path = pid_file(state_dir)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    cmdline = Path(f"/proc/{pid}/cmdline")
    if pid and cmdline.exists() and b"run\x00all" in cmdline.read_bytes():
        return pid
    path.unlink(missing_ok=True)
    return None


def start(state_dir: Path, env: dict[str, str]) -> int:
    """Start `cdp run all` in the background unless it already runs; returns its PID."""
    pid = running_pid(state_dir)
    if pid is not None:
        return pid
    log = (state_dir / LOG_FILE).open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cdp", "run", "all"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **env},
    )
    pid_file(state_dir).write_text(f"{proc.pid}\n")
    return proc.pid


def stop(state_dir: Path, timeout: float = 60.0) -> bool:
    """SIGTERM the supervisor (it stops its services cleanly); True if something ran."""
    pid = running_pid(state_dir)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and running_pid(state_dir) is not None:
        _reap(pid)
        time.sleep(0.2)
    if running_pid(state_dir) is not None:
        os.killpg(pid, signal.SIGKILL)
    pid_file(state_dir).unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
