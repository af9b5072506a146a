"""`cdp run all`: one child process per service, restarted with backoff when it dies,
stopped in order with SIGTERM on Ctrl-C (each service flushes and commits on SIGTERM)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from rich.console import Console

console = Console(stderr=True)
STOP_ORDER = ("api", "identity", "profiles", "history")  # upstream first, so downstream drains
GRACE_SECONDS = 20.0
MAX_BACKOFF = 30.0


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)


def spawn(child: Child) -> None:
    cmd = [sys.executable, "-m", "cdp", "run", child.name]
    child.proc = subprocess.Popen(cmd, start_new_session=True)
    child.started_at = time.monotonic()
    console.print(f"[green]started[/green] {child.name} (pid {child.proc.pid})")


def check(child: Child, now: float) -> None:
    """Restart a dead child, backing off 1, 2, 4 ... 30 s; a child that ran 60 s resets it."""
    if child.proc is not None and child.proc.poll() is None:
        return
    if child.proc is not None:
        code = child.proc.returncode
        ran = now - child.started_at
        child.restarts = 0 if ran > 60 else child.restarts + 1
        delay = min(MAX_BACKOFF, 2.0**child.restarts)
        console.print(f"[red]{child.name} exited with {code}[/red]; restarting in {delay:.0f}s")
        child.proc, child.next_start = None, now + delay
    if now >= child.next_start:
        spawn(child)


def stop(children: dict[str, Child]) -> None:
    for name in STOP_ORDER:
        child = children.get(name)
        if child is None or child.proc is None or child.proc.poll() is not None:
            continue
        console.print(f"stopping {name} ...")
        child.proc.send_signal(signal.SIGTERM)
        try:
            child.proc.wait(GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            console.print(f"[red]{name} did not stop in {GRACE_SECONDS:.0f}s; killing[/red]")
            child.proc.kill()
            child.proc.wait()


def supervise(names: tuple[str, ...]) -> None:
    children = {name: Child(name) for name in names}
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    while not stopping:
        now = time.monotonic()
        for child in children.values():
            check(child, now)
        time.sleep(0.5)
    stop(children)
    console.print("all services stopped")
