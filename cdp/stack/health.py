"""Is a service answering? One probe, and waiting for a freshly started server to answer."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

from cdp.stack import ports as portlib
from cdp.stack.errors import StackError
from cdp.stack.service import Ports, Service


def probe(service: Service, ports: Ports) -> str | None:
    """None when healthy, else the reason."""
    closed = [port for port in ports.values() if not portlib.accepts(port)]
    if closed:
        return f"port {closed[0]} is not accepting connections"
    try:
        service.check(ports)
    except Exception as exc:  # any client error means "not healthy (yet)"
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TELLING = ("err", "in use", "fail", "panic", "abort", "fatal", "exception", "denied", "not found")


def log_sizes(logs: list[Path]) -> dict[Path, int]:
    """Where each log ends now, so a failure is explained by this run's lines only."""
    return {log: log.stat().st_size if log.exists() else 0 for log in logs}


def _new_lines(log: Path, offset: int) -> list[str]:
    try:
        with open(log, "rb") as fh:
            fh.seek(offset)
            text = fh.read().decode(errors="replace")
    except OSError:
        return []
    return [_ANSI.sub("", ln).strip() for ln in text.splitlines() if ln.strip()]


def reason_from_logs(offsets: dict[Path, int]) -> tuple[str, Path]:
    """The last telling line written since ``offsets`` (else the last line), and its log."""
    for log, offset in offsets.items():
        lines = _new_lines(log, offset)
        telling = [ln for ln in lines if any(word in ln.lower() for word in _TELLING)]
        if telling or lines:
            return (telling or lines)[-1][:300], log
    return "no output", list(offsets)[-1]


def wait_ready(
    service: Service,
    proc: subprocess.Popen[bytes],
    ports: Ports,
    logs: dict[Path, int],
    timeout: float,
) -> None:
    """Return once the service answers; raise StackError naming its log when it cannot."""
    deadline = time.monotonic() + timeout
    reason: str | None = "not probed"
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            line, log = reason_from_logs(logs)
            raise _failed(service, f"exited with code {code}: {line}", log)
        reason = probe(service, ports)
        if reason is None:
            return
        time.sleep(0.1)
    raise _failed(service, f"not answering after {timeout:.0f}s ({reason})", list(logs)[-1])


def _failed(service: Service, why: str, log: Path) -> StackError:
    return StackError(f"{service.name} failed to start: {why} - log: {log}")
