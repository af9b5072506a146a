"""The embedded stack: Tansu (Kafka protocol), redis-server and clickhouse-server under one dir."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from cdp.stack import broker, clickhouse_server, health, process, redis_server, runrecord
from cdp.stack import ports as portlib
from cdp.stack.config import StackConfig
from cdp.stack.endpoints import Endpoints, write_env_file
from cdp.stack.errors import StackError
from cdp.stack.paths import StackPaths
from cdp.stack.runrecord import RunRecord
from cdp.stack.service import Ports, Service
from cdp.stack.status import StatusRow, extra_rows

SERVICES: tuple[Service, ...] = (broker.SERVICE, redis_server.SERVICE, clickhouse_server.SERVICE)
Started = list[tuple[Service, subprocess.Popen[bytes], dict[Path, int]]]


def _ignore(message: str) -> None:
    pass


class Stack:
    """``up()`` is idempotent; ``down()`` stops exactly what the PID files name."""

    def __init__(
        self,
        state_dir: Path,
        config: StackConfig | None = None,
        *,
        prefer_default_ports: bool = True,
        notify: Callable[[str], None] = _ignore,
    ) -> None:
        self.paths = StackPaths(Path(state_dir).absolute())
        self.config = config or StackConfig()
        self.prefer_default_ports = prefer_default_ports
        self.notify = notify

    def up(self) -> Endpoints:
        started: Started = []
        try:
            ports = self._start_missing(started)
            for service, proc, logs in started:
                ready_ports = self._ports_of(service, ports)
                health.wait_ready(service, proc, ready_ports, logs, self.config.start_timeout)
        except BaseException:
            self._stop_all([service for service, _, _ in reversed(started)])
            raise
        endpoints = Endpoints.from_ports(ports)
        write_env_file(self.paths.env_file, endpoints)
        return endpoints

    def down(self, purge: bool = False) -> list[str]:
        """Stop every service this state dir started; return their names."""
        stopped = self._stop_all(list(reversed(SERVICES)))
        self.paths.env_file.unlink(missing_ok=True)
        if purge:
            shutil.rmtree(self.paths.root, ignore_errors=True)
        return stopped

    def status(self) -> list[StatusRow]:
        rows = [self._status_row(service) for service in SERVICES]
        return rows + list(extra_rows(self.endpoints()))

    def endpoints(self) -> Endpoints | None:
        """The running stack's endpoints, None unless every service is running."""
        ports: Ports = {}
        for service in SERVICES:
            record = runrecord.running(self.paths, service)
            if record is None:
                return None
            ports.update(record.ports)
        return Endpoints.from_ports(ports)

    def log_file(self, name: str) -> Path:
        return self.paths.log_file(name)

    # -- helpers -------------------------------------------------------------------------------

    def _start_missing(self, started: Started) -> Ports:
        ports: Ports = {}
        missing: list[Service] = []
        for service in SERVICES:
            record = runrecord.running(self.paths, service)
            if record and health.probe(service, record.ports) is None:
                ports.update(record.ports)
            else:
                self._stop(service)
                missing.append(service)
        for service in missing:
            self.paths.make_dirs(service.name)
            chosen = self._choose_ports(service, set(ports.values()))
            logs = health.log_sizes(self._logs(service))
            started.append((service, self._start(service, chosen), logs))
            ports.update(chosen)
        return ports

    def _choose_ports(self, service: Service, taken: set[int]) -> Ports:
        explicit = self.config.explicit_ports()
        chosen: Ports = {}
        for key, default in service.default_ports.items():
            if key in explicit:
                chosen[key] = explicit[key]
            else:
                busy = taken | set(explicit.values()) | set(chosen.values())
                chosen[key] = portlib.choose(
                    key, default, busy, self.prefer_default_ports, self.notify
                )
        return chosen

    def _start(self, service: Service, ports: Ports) -> subprocess.Popen[bytes]:
        log = self.paths.log_file(service.name)
        try:
            command = service.prepare(self.paths, ports, self.config)
            proc = process.spawn(command, log, cwd=self.paths.data_dir(service.name))
        except (OSError, RuntimeError) as exc:
            raise StackError(f"{service.name} could not be started: {exc} - log: {log}") from None
        runrecord.save(self.paths, service, RunRecord(proc.pid, ports))
        return proc

    def _logs(self, service: Service) -> list[Path]:
        main = self.paths.log_file(service.name)
        return [main.parent / service.error_log, main] if service.error_log else [main]

    @staticmethod
    def _ports_of(service: Service, ports: Ports) -> Ports:
        return {key: ports[key] for key in service.default_ports}

    def _stop_all(self, services: list[Service]) -> list[str]:
        """Stop services in parallel (SIGTERM all, then wait); return the names that ran."""
        records = {s.name: runrecord.running(self.paths, s) for s in services}
        running = {name: rec.pid for name, rec in records.items() if rec is not None}
        alive = process.terminate(list(running.values()))
        for service in services:
            if running.get(service.name) not in alive:
                runrecord.forget(self.paths, service)
        if alive:
            raise StackError(f"could not stop PIDs {alive}; stop them by hand")
        return list(running)

    def _stop(self, service: Service) -> bool:
        return bool(self._stop_all([service]))

    def _status_row(self, service: Service) -> StatusRow:
        record = runrecord.running(self.paths, service)
        if record is None:
            return StatusRow(service.name, "-", None, False, "not running")
        reason = health.probe(service, record.ports)
        return StatusRow(
            service.name, service.endpoint(record.ports), record.pid, reason is None, reason or ""
        )
