"""What the stack remembers about a service it started: PID file plus a ports file."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cdp.stack import process
from cdp.stack.paths import StackPaths
from cdp.stack.service import Ports, Service


@dataclass(frozen=True)
class RunRecord:
    pid: int
    ports: Ports


def save(paths: StackPaths, service: Service, record: RunRecord) -> None:
    paths.ports_file(service.name).write_text(json.dumps(record.ports) + "\n")
    process.write_pid(paths.pid_file(service.name), record.pid)


def load(paths: StackPaths, service: Service) -> RunRecord | None:
    pid = process.read_pid(paths.pid_file(service.name))
    try:
        ports = json.loads(paths.ports_file(service.name).read_text())
    except (OSError, ValueError):
        return None
    return RunRecord(pid, {str(k): int(v) for k, v in ports.items()}) if pid else None


def running(paths: StackPaths, service: Service) -> RunRecord | None:
    """The record when its PID is alive and still runs the service's executable."""
    record = load(paths, service)
    if record and process.is_alive(record.pid) and process.is_ours(record.pid, service.executables):
        return record
    return None


def forget(paths: StackPaths, service: Service) -> None:
    paths.pid_file(service.name).unlink(missing_ok=True)
    paths.ports_file(service.name).unlink(missing_ok=True)
