"""Starting, recognising and stopping the processes the stack owns, by PID file.

A PID is only ever signalled after /proc/PID/cmdline shows the expected executable, so a stale
PID file that now names an unrelated process is never acted on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path


def spawn(command: list[str], log_file: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """Start a server in its own session (no terminal signals), output appended to its log."""
    with open(log_file, "ab") as log:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            start_new_session=True,
        )


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.write_text(f"{pid}\n")


def executable_of(pid: int) -> str | None:
    """Basename of the program a live process runs, from /proc/PID/cmdline (None if gone)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = raw.replace(b"\0", b" ").split()  # redis rewrites its title into one string
    return os.path.basename(words[0].decode(errors="replace")) if words else None


def is_ours(pid: int, executables: tuple[str, ...]) -> bool:
    name = executable_of(pid)
    return name is not None and name.startswith(executables)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # not our child: init reaps it
        os.waitpid(pid, os.WNOHANG)


def is_alive(pid: int) -> bool:
    _reap(pid)
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[-1].split()[0] != "Z"


def _signal(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _wait_gone(pids: list[int], timeout: float) -> list[int]:
    """The PIDs still alive after waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = [pid for pid in pids if is_alive(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if is_alive(pid)]
    return alive


def terminate(pids: list[int], grace: float = 15.0) -> list[int]:
    """SIGTERM all, wait up to ``grace`` seconds, SIGKILL the rest; return PIDs still alive."""
    alive = pids
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        _signal(alive, sig)
        alive = _wait_gone(alive, wait)
        if not alive:
            break
    return alive
